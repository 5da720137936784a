// A liandong node run as a child process for a benchmark: a fresh data folder, a liandong.yaml
// written before the first start, the port read from DIR/node.addr, SIGTERM to stop.
// Benchmark harness code: failures to start throw std::runtime_error (the benchmark cannot go on).
// Not thread-safe; one owner.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace liandong::bench {

struct NodeOptions {
  std::string binary;                                       // path of the liandong executable
  std::string jurisdiction = "441300";
  std::vector<std::pair<std::string, std::string>> config;  // liandong.yaml keys, values as YAML
  std::string parent_dir;                                   // where the temp data folder goes
  bool keep_data = false;                                   // leave the data folder behind
};

class NodeProcess {
 public:
  // Starts the node and waits (up to 20 s) until it listens. Throws with the node's log tail.
  explicit NodeProcess(const NodeOptions& options);
  ~NodeProcess();  // stop() if still running; removes the data folder unless keep_data
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return dir_; }

  // One synchronous HTTP/1.1 GET on a fresh connection; returns the body of a 2xx answer.
  // Throws on a connection error or another status.
  std::string get(const std::string& target) const;

  // User+system CPU seconds the node has used so far (from /proc/PID/stat).
  double cpu_seconds() const;

  // SIGTERM, then waits for exit (SIGKILL after 20 s). Returns the wait status (0: clean exit).
  int stop();

  // The last `bytes` of the node's log (stdout and stderr).
  std::string log_tail(size_t bytes = 2000) const;

 private:
  NodeOptions options_;
  std::string dir_;
  std::string host_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// The unlabelled samples of a Prometheus text exposition ("name value" lines), by name.
std::map<std::string, double> parse_prometheus(const std::string& text);

// CPU time of the whole machine from /proc/stat, in clock ticks: busy and total.
struct MachineCpu {
  uint64_t busy = 0;
  uint64_t total = 0;
};
MachineCpu machine_cpu();

}  // namespace liandong::bench
