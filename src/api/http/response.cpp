#include "api/http/response.h"

#include <nlohmann/json.hpp>

#include "api/http/responder.h"

namespace liandong::api::http {

Response json_response(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view field) {
  nlohmann::json j = {{"code", code}, {"message", message}};
  if (!field.empty()) j["field"] = field;
  return json_response(status, j);
}

Response status_response(const core::Status& s) {
  using core::Code;
  int status = 500;
  const char* code = "internal";
  switch (s.code()) {
    case Code::kInvalidArgument: status = 400, code = "invalid_field"; break;
    case Code::kNotFound: status = 404, code = "not_found"; break;
    case Code::kConflict: status = 409, code = "conflict"; break;
    case Code::kTooLarge: status = 413, code = "too_large"; break;
    case Code::kUnavailable: status = 503, code = "unavailable"; break;
    case Code::kTimeout: status = 504, code = "timeout"; break;
    case Code::kUnauthenticated: status = 401, code = "unauthenticated"; break;
    case Code::kPermissionDenied: status = 403, code = "forbidden"; break;
    default: break;
  }
  return error_response(status, code, s.message(), s.field());
}

Responder& Responder::operator=(Responder&& o) noexcept {
  if (this != &o) {
    if (target_) (*this)(error_response(500, "internal", "request was not answered"));
    target_ = std::move(o.target_);
    id_ = o.id_;
  }
  return *this;
}

Responder::~Responder() {
  if (target_) target_->deliver(id_, error_response(500, "internal", "request was not answered"));
}

void Responder::operator()(Response response) {
  if (!target_) return;
  auto target = std::move(target_);
  target_.reset();
  target->deliver(id_, std::move(response));
}

}  // namespace liandong::api::http
