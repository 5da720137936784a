#include "node_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#ifndef LIANDONG_BIN
#error "LIANDONG_BIN must name the liandong binary"
#endif

extern char** environ;

namespace liandong::e2e {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Through syscall(): Debian 12's <sys/pidfd.h> (glibc 2.36) declares these without C linkage.
int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
void pidfd_send_signal(int pidfd, int sig) { ::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0); }

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

ExitStatus decode(int st) {
  ExitStatus e;
  if (WIFEXITED(st)) {
    e.exited = true;
    e.code = WEXITSTATUS(st);
  } else if (WIFSIGNALED(st)) {
    e.signal = WTERMSIG(st);
  }
  return e;
}

std::string tail(const fs::path& p, size_t n = 4000) {
  std::string s = read_file(p);
  return s.size() > n ? "..." + s.substr(s.size() - n) : s;
}

}  // namespace

std::string ExitStatus::describe() const {
  return exited ? "exit " + std::to_string(code) : "signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string liandong_bin() { return LIANDONG_BIN; }

Process Process::spawn(const std::vector<std::string>& argv, const fs::path& log_path, const fs::path& stdin_path) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);

  // The test process ignores SIGPIPE; the child gets default dispositions and an empty mask.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("cannot spawn " + argv[0] + ": " + std::strerror(rc));

  Process p;
  p.pid_ = pid;
  p.log_path_ = log_path;
  p.pidfd_ = pidfd_open(pid);
  if (p.pidfd_ < 0) throw std::runtime_error("pidfd_open: " + std::string(std::strerror(errno)));
  return p;
}

Process::Process(Process&& o) noexcept { *this = std::move(o); }

Process& Process::operator=(Process&& o) noexcept {
  if (this != &o) {
    if (running()) kill();
    if (pidfd_ >= 0) ::close(pidfd_);
    pid_ = std::exchange(o.pid_, -1);
    pidfd_ = std::exchange(o.pidfd_, -1);
    status_ = std::exchange(o.status_, std::nullopt);
    log_path_ = std::move(o.log_path_);
  }
  return *this;
}

Process::~Process() {
  if (running()) kill();
  if (pidfd_ >= 0) ::close(pidfd_);
}

void Process::signal(int sig) {
  if (running()) pidfd_send_signal(pidfd_, sig);
}

std::optional<ExitStatus> Process::wait(Millis timeout) {
  if (status_) return status_;
  if (pid_ <= 0) return std::nullopt;
  auto deadline = Clock::now() + timeout;
  for (;;) {
    pollfd p{pidfd_, POLLIN, 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    break;
  }
  int st = 0;
  while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
  }
  status_ = decode(st);
  return status_;
}

std::optional<ExitStatus> Process::terminate(Millis timeout) {
  signal(SIGTERM);
  return wait(timeout);
}

ExitStatus Process::kill() {
  signal(SIGKILL);
  auto st = wait(std::chrono::minutes(1));
  return st ? *st : ExitStatus{};
}

std::vector<std::string> serve_argv(const NodeOptions& o) {
  std::vector<std::string> a = {liandong_bin(), "serve", "--data", o.data.string(), "--listen", "127.0.0.1:0",
                                "--jurisdiction", o.jurisdiction};
  if (o.test_clock) a.push_back("--test-clock");
  a.insert(a.end(), o.extra_args.begin(), o.extra_args.end());
  return a;
}

std::optional<uint16_t> wait_for_node_addr(const fs::path& dir, Process& child, Millis timeout) {
  auto deadline = Clock::now() + timeout;
  int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (in < 0) throw std::runtime_error("inotify_init1: " + std::string(std::strerror(errno)));
  // The folder may not exist yet (the node creates it): watch its parent until it does. Each
  // watch is set before the file is read, so a rename after the read is never missed.
  auto watch = [&](const fs::path& p) { return inotify_add_watch(in, p.c_str(), IN_MOVED_TO | IN_CREATE) >= 0; };
  bool watching_dir = watch(dir);
  if (!watching_dir) watch(dir.parent_path());
  std::optional<uint16_t> port;
  for (;;) {
    if (!watching_dir) watching_dir = watch(dir);
    std::string text = read_file(dir / "node.addr");
    if (auto colon = text.rfind(':'); colon != std::string::npos && text.back() == '\n') {
      port = static_cast<uint16_t>(std::stoi(text.substr(colon + 1)));
      break;
    }
    if (child.wait(Millis(0))) break;  // it exited
    int left = remaining_ms(deadline);
    if (left == 0) break;
    pollfd p[2] = {{in, POLLIN, 0}, {child.pidfd(), POLLIN, 0}};
    if (::poll(p, 2, left) > 0 && (p[0].revents & POLLIN)) {
      char buf[4096];
      while (::read(in, buf, sizeof buf) > 0) {
      }
    }
  }
  ::close(in);
  return port;
}

RunningNode start_node(const NodeOptions& o, const fs::path& log_path, Millis timeout) {
  std::error_code ec;
  fs::remove(o.data / "node.addr", ec);
  RunningNode n{Process::spawn(serve_argv(o), log_path), 0};
  auto port = wait_for_node_addr(o.data, n.process, timeout);
  if (!port) {
    auto st = n.process.wait(Millis(0));
    throw std::runtime_error("node did not start (" + (st ? st->describe() : "still running after timeout") +
                             "); log " + log_path.string() + ":\n" + tail(log_path));
  }
  n.port = *port;
  return n;
}

CommandResult run_command(const std::vector<std::string>& argv, const fs::path& log_path, Millis timeout,
                          const std::optional<std::string>& input) {
  std::error_code ec;
  fs::remove(log_path, ec);
  fs::path in = "/dev/null";
  if (input) {
    in = log_path.string() + ".stdin";
    std::ofstream(in, std::ios::binary | std::ios::trunc) << *input;
  }
  CommandResult r;
  {
    Process p = Process::spawn(argv, log_path, in);
    auto st = p.wait(timeout);
    r.status = st ? *st : p.kill();
  }
  if (input) fs::remove(in, ec);
  r.output = read_file(log_path);
  return r;
}

}  // namespace liandong::e2e
