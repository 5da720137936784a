#include "app/admin_socket.h"

#include "access/secrets.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "core/log.h"

namespace liandong::app {

using nlohmann::json;

namespace {

bool make_addr(const std::string& path, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.data(), path.size());
  return true;
}

bool read_line(int fd, std::string& out, size_t limit, int timeout_ms) {
  char buf[4096];
  while (out.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return !out.empty();
    out.append(buf, n);
    if (out.size() > limit) return false;
  }
  out.resize(out.find('\n'));
  return true;
}

void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += n;
  }
}

}  // namespace

AdminSocket::~AdminSocket() { stop(); }

core::Status AdminSocket::start() {
  sockaddr_un addr;
  if (!make_addr(path_, addr)) return core::unavailable("admin socket path too long: " + path_);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return core::unavailable("cannot create the admin socket: " + std::string(std::strerror(errno)));
  ::unlink(path_.c_str());  // a stale socket of a node that died; the store lock guards a live one
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0) {
    auto err = std::string(std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
    return core::unavailable("cannot listen on the admin socket " + path_ + ": " + err);
  }
  ::chmod(path_.c_str(), 0600);
  thread_ = std::thread([this] { serve(); });
  return core::Status::ok();
}

void AdminSocket::stop() {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
}

void AdminSocket::serve() {
  while (!stopping_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    std::string line;
    if (read_line(c, line, 1 << 20, 5000)) write_all(c, answer(line) + "\n");
    access::wipe(line);  // it may hold a password (create_admin)
    ::close(c);
  }
}

std::string AdminSocket::answer(const std::string& line) {
  json req = json::parse(line, nullptr, false);
  auto fail = [](std::string code, std::string msg) {
    return json{{"ok", false}, {"code", code}, {"message", msg}}.dump();
  };
  if (req.is_discarded() || !req.is_object() || !req.contains("cmd") || !req["cmd"].is_string())
    return fail("invalid_argument", "expected one JSON object with a string \"cmd\"");
  auto it = handlers_.find(req["cmd"].get<std::string>());
  if (it == handlers_.end()) return fail("not_found", "unknown admin command '" + req["cmd"].get<std::string>() + "'");
  auto r = it->second(req);
  if (!r) return fail(core::code_name(r.status().code()), r.status().message());
  json out = *r;
  out["ok"] = true;
  return out.dump();
}

core::Result<json> admin_call(const std::string& path, const json& request, std::chrono::milliseconds timeout) {
  sockaddr_un addr;
  if (!make_addr(path, addr)) return core::invalid("admin socket path too long: " + path);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return core::unavailable("cannot create a socket");
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return core::unavailable("no node is running on " + path);
  }
  std::string out = request.dump() + "\n";
  write_all(fd, out);
  access::wipe(out);
  std::string line;
  bool ok = read_line(fd, line, 16 << 20, static_cast<int>(timeout.count()));
  ::close(fd);
  if (!ok)
    return core::Status(core::Code::kTimeout, "the node did not answer on " + path + " within " +
                                                  std::to_string(timeout.count() / 1000) + " s");
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded()) return core::internal_error("the node's answer is not JSON");
  return j;
}

}  // namespace liandong::app
