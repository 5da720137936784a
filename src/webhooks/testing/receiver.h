// A webhook receiver for tests and benchmarks: a real Boost.Beast HTTP (or HTTPS) server on
// 127.0.0.1 that records each request it reads, checks its signature with the secret of its
// path, and answers as its handler says — or never (a hanging receiver).
//
// The server runs on a thread of its own and calls the handler there; set_handler, received,
// count and clear may be called from any thread, start and stop from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace liandong::webhooks::testing {

struct Received {
  std::string path;  // the request target without its query
  std::string delivery_id, alert_id, timestamp, signature, content_type;
  std::string body;
  bool signature_ok = false;
  std::string signature_error;  // why not, when not ok
};

struct Reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool hang = false;  // keep the connection open and never answer (until stop())
};

class Receiver {
 public:
  using Handler = std::function<Reply(const Received&)>;

  // `secrets` maps a path ("/s1") to the secret its requests are signed with.
  explicit Receiver(std::map<std::string, std::string> secrets);
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  // Serves HTTPS with this key and certificate (PEM) from the next start().
  void use_tls(std::string key_pem, std::string cert_pem);
  // Listens on 127.0.0.1:`port`; 0 picks a free port the first time and reuses it afterwards, so
  // a receiver stopped and started again is at the same URL. kUnavailable when it cannot listen.
  core::Status start(uint16_t port = 0);
  // Closes the listener and every connection at once: a request being read or waiting for its
  // answer sees its connection reset. Later connections are refused until start().
  void stop();
  uint16_t port() const;

  void set_handler(Handler handler);       // the default answers 200
  std::vector<Received> received() const;  // every request read, in order, duplicates included
  size_t count() const;
  void clear();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace liandong::webhooks::testing
