// bench_intake: acknowledged durable alarms per second over loopback HTTP, group commit against
// one commit per request (max_batch: 1) measured in the same run. See bench/README.md.
//
// One fresh node process per configuration; a closed-loop load generator on one thread (it
// shares the machine's cores with the node, so it is kept light: raw pre-formatted requests,
// no JSON parsing of answers).
#include <unistd.h>

#include <algorithm>
#include <map>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "node_process.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
using liandong::bench::NodeOptions;
using liandong::bench::NodeProcess;

constexpr double kGoalAckedPerS = 20000;
constexpr double kGoalP99Ms = 20;
constexpr double kGoalRatio = 5;

struct Flags {
  std::string node = LIANDONG_BINARY;
  double warmup_s = 2;
  double measure_s = 8;
  std::vector<int> clients = {1, 16, 64};
  std::string modes = "both";  // group, baseline or both
  int join_every = 10;         // every Nth alarm of a client repeats its last place: a further report
  int http_threads = 2;
  std::string tmp;  // parent of the nodes' data folders (must be a real disk: fsync is measured)
  bool keep_data = false;
  double wait_quiet_s = 60;  // before each row, wait up to this long for other load to stop
  std::string snapshot_every;  // empty: the node's default (diagnostics only)
  std::string jurisdiction;    // empty: alarms in the node's own (city) jurisdiction; a county's owe reports
};

void usage() {
  std::cout << "usage: bench_intake [--warmup S] [--measure S] [--clients 1,16,64]\n"
               "                    [--modes group|baseline|both] [--join-every N (0: never)]\n"
               "                    [--http-threads N] [--tmp DIR] [--keep-data] [--node PATH]\n"
               "                    [--wait-quiet S (0: do not wait for an idle machine)]\n"
               "                    [--snapshot-every N (diagnostic; default: the node's)]\n"
               "                    [--jurisdiction CODE (alarms in this county: their incidents owe reports)]\n";
}

Flags parse_flags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--warmup") f.warmup_s = std::stod(value());
    else if (a == "--measure" || a == "--duration") f.measure_s = std::stod(value());
    else if (a == "--clients") {
      f.clients.clear();
      std::stringstream ss(value());
      for (std::string n; std::getline(ss, n, ',');) f.clients.push_back(std::stoi(n));
    } else if (a == "--modes") f.modes = value();
    else if (a == "--join-every") f.join_every = std::stoi(value());
    else if (a == "--http-threads") f.http_threads = std::stoi(value());
    else if (a == "--tmp") f.tmp = value();
    else if (a == "--keep-data") f.keep_data = true;
    else if (a == "--wait-quiet") f.wait_quiet_s = std::stod(value());
    else if (a == "--snapshot-every") f.snapshot_every = std::to_string(std::stoull(value()));
    else if (a == "--node") f.node = value();
    else if (a == "--jurisdiction") f.jurisdiction = value();
    else if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    } else throw std::runtime_error("unknown flag " + a);
  }
  if (f.modes != "group" && f.modes != "baseline" && f.modes != "both")
    throw std::runtime_error("--modes is group, baseline or both");
  if (f.measure_s <= 0 || f.warmup_s < 0 || f.clients.empty()) throw std::runtime_error("bad durations or clients");
  return f;
}

// ---- synthetic alarms ------------------------------------------------------------------------
//
// Places on a grid over lon 113.9–115.3, lat 22.6–23.9 (inside 441300) with ~450 m between
// points, walked with a large stride so consecutive alarms are far apart, and types from eight
// different merge groups: about 800,000 alarms before a place and group repeat, so fresh alarms
// open incidents. Every `join_every`th alarm of a client repeats that client's last place and type
// 30 m away: the node recognises it as a further report and joins it to the open incident.

constexpr double kLon0 = 113.9, kLat0 = 22.6, kStepLon = 0.0045, kStepLat = 0.004;
constexpr int kCols = 311, kRows = 325;
constexpr const char* kTypes[] = {"fire",          "traffic_accident", "drowning", "food_poisoning",
                                  "public_disorder", "flood",          "landslide", "water_pollution"};
constexpr int kTypeCount = 8;
constexpr const char* kChannels[] = {"110", "119", "120", "122"};

struct Place {
  double lon = 0, lat = 0;
  int type = 0;
};

class AlarmSource {
 public:
  explicit AlarmSource(std::string jurisdiction = {})
      : jurisdiction_(jurisdiction.empty() ? std::string() : ",\"jurisdiction\":\"" + jurisdiction + "\"") {
    const uint64_t cells = uint64_t{kCols} * kRows;
    stride_ = 7919;
    while (std::gcd(stride_, cells) != 1) stride_ += 2;
  }
  Place next_fresh() {
    const uint64_t cells = uint64_t{kCols} * kRows;
    uint64_t k = counter_++;
    uint64_t cell = (k / kTypeCount * stride_) % cells;
    return {kLon0 + static_cast<double>(cell % kCols) * kStepLon, kLat0 + static_cast<double>(cell / kCols) * kStepLat,
            static_cast<int>(k % kTypeCount)};
  }
  // RFC 3339 UTC "now", formatted at most once a second.
  const std::string& now_text() {
    std::time_t t = std::time(nullptr);
    if (t != last_) {
      std::tm tm{};
      ::gmtime_r(&t, &tm);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
      now_ = buf;
      last_ = t;
    }
    return now_;
  }
  // ',"jurisdiction":"441302"' or "".
  const std::string& jurisdiction_member() const { return jurisdiction_; }

 private:
  std::string jurisdiction_;
  uint64_t counter_ = 0;
  uint64_t stride_ = 0;
  std::time_t last_ = 0;
  std::string now_;
};

// ---- the closed-loop load generator ----------------------------------------------------------

struct Window {
  Clock::time_point from, to;  // answers arriving in [from, to) are measured
};

struct Tally {
  uint64_t acked = 0;       // 2xx in the measured window
  uint64_t errors = 0;      // non-2xx answers and connection failures in the measured window
  uint64_t joined = 0;      // acked answers with "joined":true in the window
  uint64_t acked_all = 0;   // 2xx over the whole run, warm-up and drain included
  uint64_t errors_all = 0;
  std::vector<uint32_t> latency_us;  // of the measured acked answers
  std::string first_error;
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context& io, tcp::endpoint ep, int id, int join_every, const std::string& key, const Window& w,
         AlarmSource& src, Tally& t)
      : stream_(io), retry_(io), ep_(ep), id_(id), join_every_(join_every), key_(key), window_(w), src_(src),
        tally_(t) {}

  void start() { connect(); }

 private:
  void connect() {
    stream_.expires_after(std::chrono::seconds(10));
    stream_.async_connect(ep_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail("connect", ec);
      self->stream_.socket().set_option(tcp::no_delay(true));
      self->send();
    });
  }

  void send() {
    if (Clock::now() >= window_.to) return close();
    Place p;
    if (join_every_ > 0 && last_ && ++sent_ % join_every_ == 0) {
      p = *last_;
      p.lat += 0.00027;  // 30 m north: within the 300 m join radius
    } else {
      p = src_.next_fresh();
      last_ = p;
    }
    char body[384];
    int n = std::snprintf(body, sizeof body,
                          "{\"channel\":\"%s\",\"reported_at\":\"%s\",\"location\":{\"lon\":%.6f,\"lat\":%.6f},"
                          "\"type\":\"%s\",\"description\":\"bench intake client %d\"%s}",
                          kChannels[sent_ % 4], src_.now_text().c_str(), p.lon, p.lat, kTypes[p.type], id_,
                          src_.jurisdiction_member().c_str());
    request_.clear();
    request_ += "POST /api/v1/alarms HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ";
    request_ += key_;
    request_ += "\r\nContent-Type: application/json\r\nContent-Length: ";
    request_ += std::to_string(n);
    request_ += "\r\n\r\n";
    request_.append(body, static_cast<size_t>(n));
    sent_at_ = Clock::now();
    stream_.expires_after(std::chrono::seconds(30));
    asio::async_write(stream_, asio::buffer(request_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail("write", ec);
      self->read();
    });
  }

  void read() {
    response_.emplace();
    response_->body_limit(1 << 20);
    http::async_read(stream_, buffer_, *response_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail("read", ec);
      self->on_answer();
    });
  }

  void on_answer() {
    auto now = Clock::now();
    const auto& res = response_->get();
    bool ok = res.result_int() / 100 == 2;
    bool measured = now >= window_.from && now < window_.to;
    if (ok) {
      ++tally_.acked_all;
      if (measured) {
        ++tally_.acked;
        tally_.latency_us.push_back(
            static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at_).count()));
        if (res.body().find("\"joined\":true") != std::string::npos) ++tally_.joined;
      }
    } else {
      ++tally_.errors_all;
      if (measured) ++tally_.errors;
      if (tally_.first_error.empty())
        tally_.first_error = std::to_string(res.result_int()) + " " + res.body().substr(0, 200);
    }
    if (!res.keep_alive()) {
      beast::error_code ec;
      stream_.socket().close(ec);
      if (Clock::now() < window_.to) connect();
      return;
    }
    send();
  }

  void fail(const char* what, beast::error_code ec) {
    ++tally_.errors_all;
    auto now = Clock::now();
    if (now >= window_.from && now < window_.to) ++tally_.errors;
    if (tally_.first_error.empty()) tally_.first_error = std::string(what) + ": " + ec.message();
    beast::error_code ignored;
    stream_.socket().close(ignored);
    if (now >= window_.to) return;
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->connect();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  asio::steady_timer retry_;
  tcp::endpoint ep_;
  int id_;
  int join_every_;
  const std::string& key_;  // the API key (role cad_bridge) every request carries
  const Window& window_;
  AlarmSource& src_;
  Tally& tally_;
  beast::flat_buffer buffer_;
  std::string request_;
  std::optional<http::response_parser<http::string_body>> response_;
  std::optional<Place> last_;
  uint64_t sent_ = 0;
  Clock::time_point sent_at_;
};

// ---- one configuration -----------------------------------------------------------------------

struct Result {
  std::string mode;  // "group" or "baseline"
  int clients = 0;
  double acked_per_s = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  uint64_t acked = 0, errors = 0, joined = 0, acked_all = 0, errors_all = 0;
  double mean_batch_events = 0, mean_batch_commands = 0, mean_commit_ms = 0;
  double node_cpu = 0, gen_cpu = 0, machine_busy = 0;  // cores used during the measured window
  double busy_before = 0;                              // cores busy just before the row started
  // Per thread name over the measured window: µs on a CPU per acknowledged alarm, and the share of
  // the window spent runnable but waiting for a CPU (threads of one name summed).
  struct ThreadCost {
    std::string name;
    double cpu_us_per_alarm = 0;
    double run_wait_share = 0;
  };
  std::vector<ThreadCost> threads;  // most CPU first
  uint64_t health_seq = 0;
  bool durable = false;
  std::string first_error;
};

double percentile_ms(std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest sample with at least q of the samples at or below it.
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1] / 1000.0;
}

Result run_config(const Flags& f, const std::string& mode, int clients) {
  NodeOptions no;
  no.binary = f.node;
  no.parent_dir = f.tmp;
  no.keep_data = f.keep_data;
  no.config = {{"max_batch", mode == "baseline" ? "1" : "4096"},
               {"log_level", "\"warn\""},
               {"http_threads", std::to_string(f.http_threads)},
               liandong::bench::no_rate_limits()};
  if (!f.snapshot_every.empty()) no.config.emplace_back("snapshot_every", f.snapshot_every);
  NodeProcess node(no);
  // POST /api/v1/alarms needs incident.report: an API key of a CAD bridge, as a real feed would use.
  const std::string key = node.create_key("cad_bridge");

  asio::io_context io(1);
  tcp::endpoint ep(asio::ip::make_address(node.host()), node.port());
  Tally tally;
  tally.latency_us.reserve(static_cast<size_t>(f.measure_s * 40000));
  AlarmSource source(f.jurisdiction);
  Window window;
  auto start = Clock::now();
  window.from = start + std::chrono::milliseconds(static_cast<int64_t>(f.warmup_s * 1000));
  window.to = window.from + std::chrono::milliseconds(static_cast<int64_t>(f.measure_s * 1000));

  // CPU use over the measured window: node, generator and the whole machine.
  double node_cpu0 = 0, gen_cpu0 = 0, node_cpu1 = 0, gen_cpu1 = 0;
  liandong::bench::MachineCpu m0, m1;
  std::map<std::string, NodeProcess::ThreadTime> threads0, threads1;
  asio::steady_timer at_from(io, window.from), at_to(io, window.to);
  at_from.async_wait([&](beast::error_code) {
    node_cpu0 = node.cpu_seconds();
    gen_cpu0 = liandong::bench::process_cpu_seconds();
    m0 = liandong::bench::machine_cpu();
    threads0 = node.thread_times();
  });
  at_to.async_wait([&](beast::error_code) {
    node_cpu1 = node.cpu_seconds();
    gen_cpu1 = liandong::bench::process_cpu_seconds();
    m1 = liandong::bench::machine_cpu();
    threads1 = node.thread_times();
  });

  for (int i = 0; i < clients; ++i)
    std::make_shared<Client>(io, ep, i, f.join_every, key, window, source, tally)->start();
  io.run();  // returns when every client has its last answer after the window closed

  Result r;
  r.mode = mode;
  r.clients = clients;
  r.acked = tally.acked;
  r.errors = tally.errors;
  r.joined = tally.joined;
  r.acked_all = tally.acked_all;
  r.errors_all = tally.errors_all;
  r.first_error = tally.first_error;
  r.acked_per_s = static_cast<double>(tally.acked) / f.measure_s;
  std::sort(tally.latency_us.begin(), tally.latency_us.end());
  r.p50_ms = percentile_ms(tally.latency_us, 0.50);
  r.p90_ms = percentile_ms(tally.latency_us, 0.90);
  r.p99_ms = percentile_ms(tally.latency_us, 0.99);
  r.max_ms = tally.latency_us.empty() ? 0 : tally.latency_us.back() / 1000.0;
  r.node_cpu = (node_cpu1 - node_cpu0) / f.measure_s;
  r.gen_cpu = (gen_cpu1 - gen_cpu0) / f.measure_s;
  if (m1.total > m0.total)
    r.machine_busy = static_cast<double>(m1.busy - m0.busy) / static_cast<double>(m1.total - m0.total) *
                     static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN));

  for (const auto& [name, t1] : threads1) {
    auto it = threads0.find(name);
    uint64_t cpu0 = it == threads0.end() ? 0 : it->second.on_cpu_ns;
    uint64_t wait0 = it == threads0.end() ? 0 : it->second.run_wait_ns;
    // Left out: names whose threads used no CPU in the window, and sums that went back (a thread
    // of that name ended in the window).
    if (t1.on_cpu_ns < cpu0 || t1.run_wait_ns < wait0 || t1.on_cpu_ns == cpu0 || tally.acked == 0) continue;
    r.threads.push_back({name + (t1.threads > 1 ? " x" + std::to_string(t1.threads) : ""),
                         static_cast<double>(t1.on_cpu_ns - cpu0) / 1e3 / static_cast<double>(tally.acked),
                         static_cast<double>(t1.run_wait_ns - wait0) / 1e9 / f.measure_s /
                             static_cast<double>(t1.threads)});
  }
  std::sort(r.threads.begin(), r.threads.end(),
            [](const auto& a, const auto& b) { return a.cpu_us_per_alarm > b.cpu_us_per_alarm; });

  auto metrics = liandong::bench::parse_prometheus(node.get("/metrics"));
  auto ratio = [&](const std::string& base, double scale) {
    double count = metrics[base + "_count"];
    return count > 0 ? metrics[base + "_sum"] / count * scale : 0.0;
  };
  r.mean_batch_events = ratio("liandong_journal_batch_events", 1);
  r.mean_batch_commands = ratio("liandong_journal_batch_commands", 1);
  r.mean_commit_ms = ratio("liandong_journal_commit_seconds", 1000);

  // Durability sanity: every acknowledged alarm wrote at least one journal event.
  auto health = json::parse(node.get("/api/v1/health"));
  r.health_seq = health.value("seq", uint64_t{0});
  r.durable = r.health_seq >= r.acked_all;

  int status = node.stop();
  if (status != 0) std::cerr << "warning: the node exited with status " << status << "\n" << node.log_tail() << "\n";
  return r;
}

// ---- report ----------------------------------------------------------------------------------

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

const Result* find(const std::vector<Result>& rs, const std::string& mode, int clients) {
  for (const auto& r : rs)
    if (r.mode == mode && r.clients == clients) return &r;
  return nullptr;
}

json to_json(const Result& r) {
  json threads = json::object();
  for (const auto& t : r.threads)
    threads[t.name] = {{"cpu_us_per_alarm", t.cpu_us_per_alarm}, {"run_wait_share", t.run_wait_share}};
  return {{"acked_per_s", std::round(r.acked_per_s)},
          {"threads", threads},
          {"p50_ms", r.p50_ms},
          {"p90_ms", r.p90_ms},
          {"p99_ms", r.p99_ms},
          {"max_ms", r.max_ms},
          {"errors", r.errors},
          {"joined_share", r.acked ? static_cast<double>(r.joined) / static_cast<double>(r.acked) : 0.0},
          {"mean_batch_commands", r.mean_batch_commands},
          {"mean_batch_events", r.mean_batch_events},
          {"mean_commit_ms", r.mean_commit_ms},
          {"node_cpu_cores", r.node_cpu},
          {"generator_cpu_cores", r.gen_cpu},
          {"machine_busy_cores", r.machine_busy},
          {"other_cpu_cores", std::max(0.0, r.machine_busy - r.node_cpu - r.gen_cpu)},
          {"durable", r.durable}};
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  try {
    f = parse_flags(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bench_intake: " << e.what() << "\n";
    usage();
    return 1;
  }
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  std::printf("intake: closed-loop HTTP clients on loopback POST synthetic alarms; a fresh node per row\n");
  std::printf("  node %s\n  %ld cores, load average before the run %s\n", f.node.c_str(), cores,
              load_average().c_str());
  std::printf("  %.1f s warm-up, %.1f s measured per row; every %d%s alarm of a client is a further report\n",
              f.warmup_s, f.measure_s, f.join_every, f.join_every == 1 ? "st" : "th");
  std::printf("  group = max_batch 4096 (group commit); baseline = max_batch 1 (one commit per request)\n");
  std::printf("  requests carry an API key (role cad_bridge); per-principal and per-address rate limits off\n");
  if (!f.snapshot_every.empty())
    std::printf("  DIAGNOSTIC: snapshot_every %s instead of the node's default\n", f.snapshot_every.c_str());
  std::printf("\n");
  std::fflush(stdout);

  std::vector<std::string> modes;
  if (f.modes != "baseline") modes.push_back("group");
  if (f.modes != "group") modes.push_back("baseline");
  std::vector<Result> results;
  bool harness_ok = true;
  for (const auto& mode : modes)
    for (int clients : f.clients) {
      try {
        double before = f.wait_quiet_s > 0 ? liandong::bench::wait_quiet(f.wait_quiet_s) : 0.0;
        auto r = run_config(f, mode, clients);
        r.busy_before = before;
        std::printf("  done %-8s %3d clients: %8.0f acked/s, p99 %7.2f ms (other load: %.2f cores before, %.2f during)\n",
                    mode.c_str(), clients, r.acked_per_s, r.p99_ms, before,
                    std::max(0.0, r.machine_busy - r.node_cpu - r.gen_cpu));
        std::fflush(stdout);
        results.push_back(std::move(r));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_intake: %s at %d clients failed: %s\n", mode.c_str(), clients, e.what());
        harness_ok = false;
      }
    }

  std::printf("\n%-9s %7s %10s %8s %8s %8s %8s %7s %7s %8s %9s %6s %6s %6s %7s\n", "config", "clients", "acked/s",
              "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "joined", "cmd/cmt", "commit ms", "node", "gen",
              "busy", "durable");
  for (const auto& r : results)
    std::printf("%-9s %7d %10.0f %8.2f %8.2f %8.2f %8.2f %7llu %6.1f%% %8.1f %9.2f %6.2f %6.2f %6.2f %7s\n",
                r.mode.c_str(), r.clients, r.acked_per_s, r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms,
                static_cast<unsigned long long>(r.errors),
                r.acked ? 100.0 * static_cast<double>(r.joined) / static_cast<double>(r.acked) : 0.0,
                r.mean_batch_commands, r.mean_commit_ms, r.node_cpu, r.gen_cpu, r.machine_busy,
                r.durable ? "yes" : "NO");
  std::printf("  cmd/cmt: mean alarms per journal commit (events/commit in the JSON); node, gen, busy: CPU cores\n"
              "  used by the node, by this generator and by the whole machine in the measured window\n");
  std::printf("\nnode CPU per acknowledged alarm by thread, µs (share of the window runnable but waiting for a CPU)\n");
  for (const auto& r : results) {
    std::printf("%-9s %3d:", r.mode.c_str(), r.clients);
    double total = 0;
    for (const auto& t : r.threads) total += t.cpu_us_per_alarm;
    for (const auto& t : r.threads)
      if (t.cpu_us_per_alarm >= 0.5) std::printf(" %s %.1f (%.0f%%)", t.name.c_str(), t.cpu_us_per_alarm, 100 * t.run_wait_share);
    std::printf("; all %.1f\n", total);
  }
  double worst_other = 0;
  for (const auto& r : results) worst_other = std::max(worst_other, r.machine_busy - r.node_cpu - r.gen_cpu);
  if (worst_other > 0.25)
    std::printf("WARNING: other processes used up to %.2f of the %ld cores during a measured window; the figures\n"
                "  understate the node. Re-run on a quiet machine (--wait-quiet waits for one).\n",
                worst_other, cores);
  std::printf("\n");

  json figures;
  for (const auto& r : results) figures[r.mode + "_" + std::to_string(r.clients)] = to_json(r);
  for (int c : f.clients) {
    const Result* g = find(results, "group", c);
    const Result* b = find(results, "baseline", c);
    if (g && b && b->acked_per_s > 0) {
      double ratio = g->acked_per_s / b->acked_per_s;
      std::printf("group / baseline at %3d clients: %6.2fx\n", c, ratio);
      figures["ratio_" + std::to_string(c)] = std::round(ratio * 100) / 100;
    }
  }

  // Goals (issue "bench/run intake"): at 64 clients, group commit.
  bool all_pass = true;
  auto goal = [&](const std::string& name, std::optional<bool> pass, const std::string& detail) {
    const char* verdict = !pass ? "SKIP" : *pass ? "PASS" : "MISS";
    if (!pass || !*pass) all_pass = false;
    std::printf("%-4s %s (%s)\n", verdict, name.c_str(), detail.c_str());
    figures["goals"][name] = verdict;
  };
  std::printf("\n");
  const Result* g64 = find(results, "group", 64);
  const Result* b64 = find(results, "baseline", 64);
  goal("acked_per_s_64 >= 20000", g64 ? std::optional(g64->acked_per_s >= kGoalAckedPerS) : std::nullopt,
       g64 ? fmt("%.0f acked/s", g64->acked_per_s) : "no group run at 64 clients");
  goal("p99_ms_64 < 20", g64 ? std::optional(g64->p99_ms < kGoalP99Ms) : std::nullopt,
       g64 ? fmt("%.2f ms", g64->p99_ms) : "no group run at 64 clients");
  goal("ratio_64 >= 5", g64 && b64 && b64->acked_per_s > 0
                            ? std::optional(g64->acked_per_s / b64->acked_per_s >= kGoalRatio)
                            : std::nullopt,
       g64 && b64 && b64->acked_per_s > 0 ? fmt("%.2fx", g64->acked_per_s / b64->acked_per_s)
                                          : "needs group and baseline at 64 clients");
  bool durable = !results.empty() && std::all_of(results.begin(), results.end(), [](const Result& r) { return r.durable; });
  goal("durable (health seq >= acked)", std::optional(durable && harness_ok),
       harness_ok ? "every run" : "a run failed to complete");
  for (const auto& r : results)
    if (r.errors_all > 0)
      std::printf("note: %s at %d clients had %llu failed requests; first: %s\n", r.mode.c_str(), r.clients,
                  static_cast<unsigned long long>(r.errors_all), r.first_error.c_str());

  figures["warmup_s"] = f.warmup_s;
  figures["measure_s"] = f.measure_s;
  figures["cores"] = cores;
  figures["join_every"] = f.join_every;
  figures["auth"] = "api key (cad_bridge), principal and address rate limits off";
  if (!f.snapshot_every.empty()) figures["snapshot_every"] = std::stoull(f.snapshot_every);
  json line = {{"bench", "intake"}, {"data", "synthetic alarms, loopback HTTP, SQLite synchronous=FULL"},
               {"figures", figures}};
  std::printf("%s\n", line.dump().c_str());
  if (!harness_ok || !durable) return 1;
  return all_pass ? 0 : 2;
}
