#include "node_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
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

std::string NodeProcess::get(const std::string& target) const {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  boost::beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(resolver.resolve(host_, std::to_string(port_)));
  http::request<http::empty_body> req(http::verb::get, target, 11);
  req.set(http::field::host, host_);
  req.keep_alive(false);
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  boost::beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  if (res.result_int() / 100 != 2)
    throw std::runtime_error("GET " + target + " answered " + std::to_string(res.result_int()) + ": " + res.body());
  return res.body();
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

}  // namespace liandong::bench
