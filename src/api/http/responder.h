// Responder: answers one request, exactly once, from any thread.
//
// Handlers may answer synchronously or later (e.g. after the engine commits, from the engine's
// thread). Calling it posts the write onto the connection's own executor; it never blocks. If the
// connection has closed meanwhile the answer is dropped. A Responder destroyed without having
// been called answers 500 `internal`, so a client is never left hanging. Move-only; calling a
// moved-from or already-called Responder does nothing.
#pragma once

#include <cstdint>
#include <memory>

#include "api/http/response.h"

namespace liandong::api::http {

namespace internal {
// Implemented by the server's HTTP session. deliver() must be thread-safe and non-blocking.
class ResponseTarget {
 public:
  virtual ~ResponseTarget() = default;
  virtual void deliver(uint64_t request_id, Response response) = 0;
};
}  // namespace internal

class Responder {
 public:
  Responder() = default;
  Responder(std::shared_ptr<internal::ResponseTarget> target, uint64_t request_id)
      : target_(std::move(target)), id_(request_id) {}
  Responder(Responder&& o) noexcept : target_(std::move(o.target_)), id_(o.id_) {}
  Responder& operator=(Responder&& o) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  void operator()(Response response);
  // True until called (and not moved from).
  explicit operator bool() const { return target_ != nullptr; }

 private:
  std::shared_ptr<internal::ResponseTarget> target_;
  uint64_t id_ = 0;
};

}  // namespace liandong::api::http
