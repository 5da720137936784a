// Child processes for the whole-system tests: the real `liandong` binary started with
// posix_spawn, its stdout and stderr captured to a log file, waited on through a pidfd (no polling
// loops with sleeps), stopped with SIGTERM or SIGKILL.
//
// Not thread-safe: one thread owns a NodeProcess. Start and wait for processes from one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace liandong::e2e {

using Millis = std::chrono::milliseconds;

// How a child ended.
struct ExitStatus {
  bool exited = false;  // true: exit(code); false: killed by `signal`
  int code = 0;
  int signal = 0;
  std::string describe() const;
};

// A running child. The destructor SIGKILLs and reaps a child that is still running.
class Process {
 public:
  // Starts `argv[0]` (a path) with `argv`; stdin from `stdin_path`, stdout and stderr appended to
  // `log_path`. Throws std::runtime_error when the spawn fails.
  static Process spawn(const std::vector<std::string>& argv, const std::filesystem::path& log_path,
                       const std::filesystem::path& stdin_path = "/dev/null");

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  // Readable once the child has ended (for poll()).
  int pidfd() const { return pidfd_; }
  bool running() const { return pid_ > 0 && !status_; }
  const std::filesystem::path& log_path() const { return log_path_; }

  // Sends a signal (no-op once reaped).
  void signal(int sig);
  // Waits up to `timeout` for the child to end; nullopt on timeout. Reaps it.
  std::optional<ExitStatus> wait(Millis timeout);
  // SIGTERM, then wait up to `timeout`.
  std::optional<ExitStatus> terminate(Millis timeout);
  // SIGKILL and wait.
  ExitStatus kill();

 private:
  Process() = default;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  std::optional<ExitStatus> status_;
  std::filesystem::path log_path_;
};

// `liandong serve` on a data folder.
struct NodeOptions {
  std::filesystem::path data;
  std::string jurisdiction = "441300";
  bool test_clock = false;
  std::vector<std::string> extra_args;
};

// The argv of `liandong serve` for `o` (listening on 127.0.0.1:0).
std::vector<std::string> serve_argv(const NodeOptions& o);

// Starts `liandong serve`, first removing a stale DIR/node.addr (a node killed with SIGKILL leaves
// it behind), and waits for the new DIR/node.addr. The node's output goes to `log_path`.
// Throws std::runtime_error (with the log's tail) when the node exits or times out first.
struct RunningNode {
  Process process;
  uint16_t port = 0;
};
RunningNode start_node(const NodeOptions& o, const std::filesystem::path& log_path, Millis timeout);

// Waits until `dir`/node.addr exists (watched with inotify) and returns its port; nullopt when
// `child` ends or `timeout` passes first.
std::optional<uint16_t> wait_for_node_addr(const std::filesystem::path& dir, Process& child, Millis timeout);

// A finished command's output.
struct CommandResult {
  ExitStatus status;
  std::string output;  // stdout and stderr together
};
// Runs `argv` to completion (SIGKILL after `timeout`, reported as killed). With `input`, the
// command reads it on its standard input (written to `log_path` + ".stdin" first, removed after).
CommandResult run_command(const std::vector<std::string>& argv, const std::filesystem::path& log_path,
                          Millis timeout, const std::optional<std::string>& input = std::nullopt);

std::string read_file(const std::filesystem::path& p);

// The `liandong` binary under test.
std::string liandong_bin();

}  // namespace liandong::e2e
