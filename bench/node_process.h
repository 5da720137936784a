// A liandong node run as a child process for a benchmark: a fresh data folder, a liandong.yaml
// written before the first start, the port read from DIR/node.addr, SIGTERM to stop. Also the
// credentials a benchmark needs now that /api/v1 is behind access control: API keys and an
// administrator made with the binary's own `key create` / `admin create` (through the running
// node's admin socket), and sign-in over HTTP.
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

// The liandong.yaml entry that turns off the per-principal and per-address request rates and the
// per-address connection cap (their defaults would answer a load generator 429), as a NodeOptions
// config pair.
std::pair<std::string, std::string> no_rate_limits();

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
  // Throws on a connection error or another status. `bearer`: sent as Authorization: Bearer.
  std::string get(const std::string& target, const std::string& bearer = {}) const;

  struct Answer {
    int status = 0;
    std::string body;
  };
  // One synchronous HTTP/1.1 request (JSON body when not empty) on a fresh connection; any status.
  // Throws on a connection error.
  Answer request(const std::string& method, const std::string& target, const std::string& body = {},
                 const std::string& bearer = {}) const;

  // Runs the node's binary with `args` and `input` on its standard input; returns its standard
  // output. Throws when it does not exit 0 (with its standard error).
  std::string run_tool(const std::vector<std::string>& args, const std::string& input = {}) const;

  // `liandong key create --data DIR --role ROLE [--jurisdiction CODE]`: the new key, "ldk_N.SECRET".
  std::string create_key(const std::string& role, const std::string& jurisdiction = {}) const;
  // `liandong admin create --data DIR --name NAME --password-stdin`.
  void create_admin(const std::string& name, const std::string& password) const;
  // POST /api/v1/session: the bearer session token, "lds_N.SECRET". Throws unless 201.
  std::string sign_in(const std::string& name, const std::string& password) const;

  // User+system CPU seconds the node has used so far (from /proc/PID/stat).
  double cpu_seconds() const;

  // Per thread name (threads of one name summed: "ld-http" ×2), nanoseconds so far on a CPU and
  // runnable but waiting for one (/proc/PID/task/*/schedstat). Empty when unreadable.
  struct ThreadTime {
    uint64_t on_cpu_ns = 0;
    uint64_t run_wait_ns = 0;
    int threads = 0;
  };
  std::map<std::string, ThreadTime> thread_times() const;

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

// Cores of the whole machine busy over `seconds` of sampling.
double machine_busy_cores(double seconds = 1.0);

// Other processes (builds, tests) share the cores with the node and the generator and make the
// figures understate the node. Waits until the machine has been nearly idle (< 0.2 cores) for a
// second, at most `max_s`; returns the cores busy in the last second sampled.
double wait_quiet(double max_s);

// User+system CPU seconds this process has used so far.
double process_cpu_seconds();

}  // namespace liandong::bench
