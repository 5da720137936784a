// Response: what a handler answers. Plain value type.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace liandong::api::http {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// `status` with `body` serialized compactly as application/json.
Response json_response(int status, const nlohmann::json& body);

// {"code","message","field"} (field omitted when empty), as docs/API.md "Errors" describes.
Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view field = {});

// A non-ok core::Status as an error response: kInvalidArgument → 400 invalid_field,
// kNotFound → 404 not_found, kConflict → 409 conflict, kTooLarge → 413 too_large,
// kUnavailable → 503 unavailable, kTimeout → 504 timeout, kUnauthenticated → 401
// unauthenticated, kPermissionDenied → 403 forbidden, anything else → 500 internal.
// Message and field are the Status's.
Response status_response(const core::Status& status);

}  // namespace liandong::api::http
