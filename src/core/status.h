// Status and Result<T>: how every fallible call in Liandong reports expected failures.
//
// A Status is either ok or carries a Code, a message a person can act on, and optionally the name
// of the input field at fault (e.g. "location.lon"). Result<T> holds a T or a non-ok Status.
// Both are plain values: copyable, thread-compatible (no shared state).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace liandong::core {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // input is malformed or out of range (HTTP 400/422)
  kNotFound,          // the named record does not exist (404)
  kConflict,          // the change conflicts with the current state (409)
  kUnavailable,       // busy, shutting down or the store failed; retry later (503)
  kTimeout,           // the operation did not finish in time (504)
  kTooLarge,          // input over a size limit (413)
  kUnauthenticated,   // no or bad credentials (401)
  kPermissionDenied,  // credentials do not allow this (403)
  kDataLoss,          // stored data is damaged (e.g. a broken hash chain)
  kInternal,          // a bug; logged
};

// Stable lower-case name of a code, e.g. "invalid_argument".
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status ok() { return {}; }
  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  // "invalid_argument: message (field x)"
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

inline Status invalid(std::string message, std::string field = {}) {
  return {Code::kInvalidArgument, std::move(message), std::move(field)};
}
inline Status not_found(std::string message) { return {Code::kNotFound, std::move(message)}; }
inline Status conflict(std::string message, std::string field = {}) {
  return {Code::kConflict, std::move(message), std::move(field)};
}
inline Status unavailable(std::string message) { return {Code::kUnavailable, std::move(message)}; }
inline Status internal_error(std::string message) { return {Code::kInternal, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).is_ok() && "Result built from an ok Status has no value");
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace liandong::core

// Propagate a non-ok Status from an expression returning Status.
#define LD_RETURN_IF_ERROR(expr)                      \
  do {                                                \
    ::liandong::core::Status ld_status_ = (expr);     \
    if (!ld_status_.is_ok()) return ld_status_;       \
  } while (0)
