// The admin socket: a Unix socket in the data folder (DIR/admin.sock) through which command-line
// tools reach a running node, so that nothing but the node writes its store.
//
// Protocol: the client sends one JSON object on one line ({"cmd": "status", ...}); the node answers
// one JSON object on one line ({"ok": true, ...} or {"ok": false, "code", "message"}). Later issues
// add commands (admin create, key create, ...). Handlers run on the socket's thread, one at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "core/status.h"

namespace liandong::app {

class AdminSocket {
 public:
  using Handler = std::function<core::Result<nlohmann::json>(const nlohmann::json& request)>;

  explicit AdminSocket(std::string path) : path_(std::move(path)) {}
  ~AdminSocket();

  void add(std::string cmd, Handler handler) { handlers_[std::move(cmd)] = std::move(handler); }
  // Binds (replacing a stale socket file) and starts serving. kUnavailable on failure.
  core::Status start();
  void stop();

 private:
  void serve();
  std::string answer(const std::string& line);

  std::string path_;
  std::map<std::string, Handler> handlers_;
  int fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Client side: sends `request` to the socket at `path` and returns the answer. kUnavailable when
// no node listens there; kTimeout when it does not answer within `timeout` (verifying a long
// journal takes a while: the default is generous).
core::Result<nlohmann::json> admin_call(const std::string& path, const nlohmann::json& request,
                                        std::chrono::milliseconds timeout = std::chrono::minutes(30));

}  // namespace liandong::app
