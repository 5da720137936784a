#include "node_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace liandong::bench {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::pair<std::string, std::string> no_rate_limits() {
  return {"limits", "{principal_requests_per_second: 0, address_requests_per_second: 0, connections_per_address: 0}"};
}

NodeProcess::NodeProcess(const NodeOptions& options) : options_(options) {
  fs::path parent = options_.parent_dir.empty() ? fs::temp_directory_path() : fs::path(options_.parent_dir);
  fs::create_directories(parent);
  std::string tmpl = (parent / "liandong-bench-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp in " + parent.string() + " failed");
  dir_ = tmpl;

  {
    std::ofstream yaml(fs::path(dir_) / "liandong.yaml");
    yaml << "jurisdiction: \"" << options_.jurisdiction << "\"\n";
    for (const auto& [key, value] : options_.config) yaml << key << ": " << value << "\n";
  }

  std::string log_path = (fs::path(dir_) / "node.log").string();
  std::vector<std::string> args = {options_.binary, "serve",         "--data", dir_, "--listen",
                                   "127.0.0.1:0",   "--jurisdiction", options_.jurisdiction};
  pid_t parent_pid = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // The node must not outlive the benchmark, whatever happens to it.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent_pid) ::_exit(127);
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }

  auto addr_path = fs::path(dir_) / "node.addr";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the node exited at start-up (status " + std::to_string(status) +
                               "); its log:\n" + log_tail());
    }
    std::error_code ec;
    if (fs::exists(addr_path, ec)) {
      std::string addr = read_file(addr_path);
      while (!addr.empty() && (addr.back() == '\n' || addr.back() == '\r')) addr.pop_back();
      auto colon = addr.rfind(':');
      if (colon != std::string::npos) {
        host_ = addr.substr(0, colon);
        port_ = static_cast<uint16_t>(std::stoi(addr.substr(colon + 1)));
        return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop();
  throw std::runtime_error("the node did not write " + addr_path.string() + " within 20 s; its log:\n" +
                           log_tail());
}

NodeProcess::~NodeProcess() {
  if (pid_ > 0) stop();
  if (!options_.keep_data && !dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string NodeProcess::get(const std::string& target, const std::string& bearer) const {
  auto a = request("GET", target, {}, bearer);
  if (a.status / 100 != 2)
    throw std::runtime_error("GET " + target + " answered " + std::to_string(a.status) + ": " + a.body);
  return a.body;
}

NodeProcess::Answer NodeProcess::request(const std::string& method, const std::string& target,
                                         const std::string& body, const std::string& bearer) const {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  boost::beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(resolver.resolve(host_, std::to_string(port_)));
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, host_);
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
  }
  req.keep_alive(false);
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser);
  boost::beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

std::string NodeProcess::run_tool(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> argv_s = {options_.binary};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::string what = "liandong";
  for (const auto& a : args) what += " " + a;
  std::string err_path = (fs::path(dir_) / "tool.stderr").string();
  int in_pipe[2], out_pipe[2];
  if (::pipe(in_pipe) != 0 || ::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    int fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) ::dup2(fd, 2);
    for (int p : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) ::close(p);
    if (fd >= 0) ::close(fd);
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  // The input is a line or two: it fits the pipe, so writing it all before reading cannot block.
  if (!input.empty() && ::write(in_pipe[1], input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::waitpid(pid, nullptr, 0);
    throw std::runtime_error(what + ": could not write its standard input");
  }
  ::close(in_pipe[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(out_pipe[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(out_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(what + " failed (status " + std::to_string(status) + "): " + read_file(err_path) + out);
  return out;
}

std::string NodeProcess::create_key(const std::string& role, const std::string& jurisdiction) const {
  std::vector<std::string> args = {"key", "create", "--data", dir_, "--role", role, "--name", "bench " + role};
  if (!jurisdiction.empty()) {
    args.push_back("--jurisdiction");
    args.push_back(jurisdiction);
  }
  std::string out = run_tool(args);
  auto j = nlohmann::json::parse(out, nullptr, false);
  if (!j.is_object() || !j.contains("key") || !j["key"].is_string())
    throw std::runtime_error("liandong key create printed no \"key\": " + out);
  return j["key"].get<std::string>();
}

void NodeProcess::create_admin(const std::string& name, const std::string& password) const {
  run_tool({"admin", "create", "--data", dir_, "--name", name, "--password-stdin"}, password + "\n");
}

std::string NodeProcess::sign_in(const std::string& name, const std::string& password) const {
  auto a = request("POST", "/api/v1/session", nlohmann::json{{"name", name}, {"password", password}}.dump());
  auto j = nlohmann::json::parse(a.body, nullptr, false);
  if (a.status != 201 || !j.is_object() || !j.contains("token") || !j["token"].is_string())
    throw std::runtime_error("sign-in as " + name + " answered " + std::to_string(a.status) + ": " + a.body);
  return j["token"].get<std::string>();
}

std::map<std::string, NodeProcess::ThreadTime> NodeProcess::thread_times() const {
  std::map<std::string, ThreadTime> out;
  if (pid_ <= 0) return out;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
    std::string name = read_file(task.path() / "comm");
    while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
    std::istringstream in(read_file(task.path() / "schedstat"));
    uint64_t on_cpu = 0, waiting = 0;
    if (name.empty() || !(in >> on_cpu >> waiting)) continue;  // the thread ended meanwhile
    auto& t = out[name];
    t.on_cpu_ns += on_cpu;
    t.run_wait_ns += waiting;
    ++t.threads;
  }
  return out;
}

double NodeProcess::cpu_seconds() const {
  if (pid_ <= 0) return 0;
  std::string stat = read_file("/proc/" + std::to_string(pid_) + "/stat");
  auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream in(stat.substr(close_paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

int NodeProcess::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || r < 0) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return status;
}

std::string NodeProcess::log_tail(size_t bytes) const {
  std::string log = read_file(fs::path(dir_) / "node.log");
  return log.size() > bytes ? log.substr(log.size() - bytes) : log;
}

std::map<std::string, double> parse_prometheus(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find(' ');
    if (space == std::string::npos) continue;
    std::string name = line.substr(0, space);
    if (name.find('{') != std::string::npos) continue;
    try {
      out[name] = std::stod(line.substr(space + 1));
    } catch (const std::exception&) {
      // NaN or a value stod does not take: not one of ours.
    }
  }
  return out;
}

MachineCpu machine_cpu() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;  // "cpu", the sum over all cores
  uint64_t v[10] = {};
  for (auto& x : v) in >> x;
  MachineCpu m;
  for (auto x : v) m.total += x;
  m.total -= v[8] + v[9];  // guest time is already counted in user time
  m.busy = m.total - v[3] - v[4];  // minus idle and iowait
  return m;
}

double machine_busy_cores(double seconds) {
  auto a = machine_cpu();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  auto b = machine_cpu();
  double cores = static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN));
  return b.total > a.total ? static_cast<double>(b.busy - a.busy) / static_cast<double>(b.total - a.total) * cores
                           : 0.0;
}

double wait_quiet(double max_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(max_s * 1000));
  for (;;) {
    double busy = machine_busy_cores(1.0);
    if (busy < 0.2 || std::chrono::steady_clock::now() >= deadline) return busy;
  }
}

double process_cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace liandong::bench
