// bench_access: what authentication and permission checks cost, side by side in one run.
// See bench/README.md.
//
// Over HTTP on loopback, against a real node: GET /api/v1/health without credentials (public)
// and with a session token, and GET /api/v1/incidents?limit=N with a session token and with an
// API key, closed-loop keep-alive clients, interleaved rounds. The node cannot serve /api/v1
// without access control, so the "without" half of the comparison is in process
// (access_inprocess.h): the same handlers behind Auth's guard and behind a guard that only hands
// over a pre-built principal.
#include <unistd.h>

#include <algorithm>
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
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "access_inprocess.h"
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

constexpr double kGoalShare = 0.05;  // authentication + permission checks < 5% of a list request
constexpr const char* kAdminName = "bench.admin";
constexpr const char* kAdminPassword = "bench-access-password-2026";

struct Flags {
  std::string node = LIANDONG_BINARY;
  int clients = 8;
  double warmup_s = 0.5;  // per HTTP round
  double round_s = 2;     // measured per HTTP round
  int rounds = 3;         // HTTP rounds
  int incidents = 300;
  int limit = 50;
  int requests = 1500;    // in process, per variant per round
  int inproc_rounds = 7;
  int http_threads = 2;
  std::string tmp;
  bool keep_data = false;
  double wait_quiet_s = 30;
  bool http = true, inprocess = true;
};

void usage() {
  std::cout << "usage: bench_access [--clients N] [--rounds N] [--round S] [--warmup S] [--incidents N]\n"
               "                    [--limit N] [--requests N] [--inproc-rounds N] [--http-threads N]\n"
               "                    [--only http|inprocess] [--tmp DIR] [--keep-data] [--node PATH]\n"
               "                    [--wait-quiet S (0: do not wait for an idle machine)]\n";
}

Flags parse_flags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--clients") f.clients = std::stoi(value());
    else if (a == "--rounds") f.rounds = std::stoi(value());
    else if (a == "--round") f.round_s = std::stod(value());
    else if (a == "--warmup") f.warmup_s = std::stod(value());
    else if (a == "--incidents") f.incidents = std::stoi(value());
    else if (a == "--limit") f.limit = std::stoi(value());
    else if (a == "--requests") f.requests = std::stoi(value());
    else if (a == "--inproc-rounds") f.inproc_rounds = std::stoi(value());
    else if (a == "--http-threads") f.http_threads = std::stoi(value());
    else if (a == "--only") {
      auto v = value();
      if (v != "http" && v != "inprocess") throw std::runtime_error("--only is http or inprocess");
      f.http = v == "http";
      f.inprocess = v == "inprocess";
    } else if (a == "--tmp") f.tmp = value();
    else if (a == "--keep-data") f.keep_data = true;
    else if (a == "--wait-quiet") f.wait_quiet_s = std::stod(value());
    else if (a == "--node") f.node = value();
    else if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    } else throw std::runtime_error("unknown flag " + a);
  }
  if (f.clients < 1 || f.rounds < 1 || f.round_s <= 0 || f.warmup_s < 0 || f.incidents < 1 || f.limit < 1 ||
      f.limit > 500 || f.requests < 100 || f.inproc_rounds < 1)
    throw std::runtime_error("bad counts or durations");
  return f;
}

// ---- closed-loop keep-alive GET clients --------------------------------------------------------

struct Window {
  Clock::time_point from, to;
};

struct Tally {
  uint64_t ok = 0, errors = 0;  // in the measured window
  uint64_t errors_all = 0;
  std::vector<uint32_t> latency_us;
  std::string first_error;
};

class GetClient : public std::enable_shared_from_this<GetClient> {
 public:
  GetClient(asio::io_context& io, tcp::endpoint ep, const std::string& request, const Window& w, Tally& t)
      : stream_(io), ep_(ep), request_(request), window_(w), tally_(t) {}

  void start() {
    stream_.expires_after(std::chrono::seconds(10));
    stream_.async_connect(ep_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail("connect", ec);
      self->stream_.socket().set_option(tcp::no_delay(true));
      self->send();
    });
  }

 private:
  void send() {
    if (Clock::now() >= window_.to) return close();
    sent_at_ = Clock::now();
    stream_.expires_after(std::chrono::seconds(30));
    asio::async_write(stream_, asio::buffer(request_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail("write", ec);
      self->response_.emplace();
      self->response_->body_limit(8 << 20);
      http::async_read(self->stream_, self->buffer_, *self->response_,
                       [self](beast::error_code ec2, size_t) {
                         if (ec2) return self->fail("read", ec2);
                         self->on_answer();
                       });
    });
  }

  void on_answer() {
    auto now = Clock::now();
    const auto& res = response_->get();
    bool measured = now >= window_.from && now < window_.to;
    if (res.result_int() == 200) {
      if (measured) {
        ++tally_.ok;
        tally_.latency_us.push_back(
            static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at_).count()));
      }
    } else {
      ++tally_.errors_all;
      if (measured) ++tally_.errors;
      if (tally_.first_error.empty())
        tally_.first_error = std::to_string(res.result_int()) + " " + res.body().substr(0, 200);
    }
    if (!res.keep_alive()) return fail("closed", beast::error_code{});
    send();
  }

  void fail(const char* what, beast::error_code ec) {
    ++tally_.errors_all;
    if (Clock::now() < window_.to) ++tally_.errors;
    if (tally_.first_error.empty()) tally_.first_error = std::string(what) + ": " + ec.message();
    close();  // no retry: a failing variant shows as errors, and the run fails
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  tcp::endpoint ep_;
  const std::string& request_;
  const Window& window_;
  Tally& tally_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> response_;
  Clock::time_point sent_at_;
};

double nearest_rank_us(std::vector<uint32_t> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct HttpVariant {
  std::string key, name;
  std::string request;  // raw HTTP/1.1 request, pre-formatted
  std::vector<double> per_s, node_us;  // per round: answers/s, node CPU µs per answer
  std::vector<uint32_t> latency_us;    // every round
  uint64_t ok = 0, errors = 0;
  double other_cores = 0;              // worst other load in a measured window
  std::string first_error;
};

std::string raw_get(const std::string& target, const std::string& bearer) {
  std::string r = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n";
  if (!bearer.empty()) r += "Authorization: Bearer " + bearer + "\r\n";
  return r + "\r\n";
}

void run_round(const Flags& f, NodeProcess& node, HttpVariant& v) {
  asio::io_context io(1);
  tcp::endpoint ep(asio::ip::make_address(node.host()), node.port());
  Tally tally;
  Window w;
  w.from = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(f.warmup_s * 1000));
  w.to = w.from + std::chrono::milliseconds(static_cast<int64_t>(f.round_s * 1000));
  double node0 = 0, node1 = 0, gen0 = 0, gen1 = 0;
  liandong::bench::MachineCpu m0, m1;
  asio::steady_timer at_from(io, w.from), at_to(io, w.to);
  at_from.async_wait([&](beast::error_code) {
    node0 = node.cpu_seconds();
    gen0 = liandong::bench::process_cpu_seconds();
    m0 = liandong::bench::machine_cpu();
  });
  at_to.async_wait([&](beast::error_code) {
    node1 = node.cpu_seconds();
    gen1 = liandong::bench::process_cpu_seconds();
    m1 = liandong::bench::machine_cpu();
  });
  for (int i = 0; i < f.clients; ++i) std::make_shared<GetClient>(io, ep, v.request, w, tally)->start();
  io.run();
  v.per_s.push_back(static_cast<double>(tally.ok) / f.round_s);
  v.node_us.push_back(tally.ok ? (node1 - node0) * 1e6 / static_cast<double>(tally.ok) : 0);
  v.latency_us.insert(v.latency_us.end(), tally.latency_us.begin(), tally.latency_us.end());
  v.ok += tally.ok;
  v.errors += tally.errors_all;
  if (v.first_error.empty()) v.first_error = tally.first_error;
  if (m1.total > m0.total) {
    double busy = static_cast<double>(m1.busy - m0.busy) / static_cast<double>(m1.total - m0.total) *
                  static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN));
    double other = busy - (node1 - node0) / f.round_s - (gen1 - gen0) / f.round_s;
    v.other_cores = std::max(v.other_cores, other);
  }
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Alarms far apart (about 1 km) near the middle of 441300, of eight merge groups: each opens an
// incident. Reported with the API key, as a CAD bridge would.
void seed(const NodeProcess& node, const std::string& key, int incidents) {
  static const char* kTypes[] = {"fire",          "traffic_accident", "drowning", "food_poisoning",
                                 "public_disorder", "flood",          "landslide", "water_pollution"};
  std::string when = now_utc();
  for (int i = 0; i < incidents; ++i) {
    int cell = i / 8;
    json body = {{"channel", "110"},
                 {"reported_at", when},
                 {"location", {{"lon", 114.2 + 0.01 * (cell % 30)}, {"lat", 23.0 + 0.01 * (cell / 30)}}},
                 {"type", kTypes[i % 8]},
                 {"description", "bench access " + std::to_string(i)}};
    auto a = node.request("POST", "/api/v1/alarms", body.dump(), key);
    if (a.status != 201) throw std::runtime_error("seeding alarm " + std::to_string(i) + " answered " +
                                                  std::to_string(a.status) + ": " + a.body);
  }
}

std::vector<HttpVariant> run_http(const Flags& f) {
  NodeOptions no;
  no.binary = f.node;
  no.parent_dir = f.tmp;
  no.keep_data = f.keep_data;
  no.config = {{"log_level", "\"warn\""}, {"http_threads", std::to_string(f.http_threads)},
               liandong::bench::no_rate_limits()};
  NodeProcess node(no);
  node.create_admin(kAdminName, kAdminPassword);
  std::string session = node.sign_in(kAdminName, kAdminPassword);
  std::string key = node.create_key("cad_bridge");
  seed(node, key, f.incidents);
  auto all = json::parse(node.get("/api/v1/incidents?limit=500", session));
  if (static_cast<int>(all["items"].size()) < std::min(f.incidents, 500))
    throw std::runtime_error("seeded " + std::to_string(f.incidents) + " incidents, the list shows " +
                             std::to_string(all["items"].size()));
  std::string list = "/api/v1/incidents?limit=" + std::to_string(f.limit);
  std::vector<HttpVariant> vs = {
      {"http_health_anonymous", "health, anonymous (public)", raw_get("/api/v1/health", ""), {}, {}, {}, 0, 0, 0, {}},
      {"http_health_session", "health, session token", raw_get("/api/v1/health", session), {}, {}, {}, 0, 0, 0, {}},
      {"http_list_session", "list, session token (administrator)", raw_get(list, session), {}, {}, {}, 0, 0, 0, {}},
      {"http_list_key", "list, API key (cad_bridge)", raw_get(list, key), {}, {}, {}, 0, 0, 0, {}},
  };
  for (int round = 0; round < f.rounds; ++round)
    for (size_t step = 0; step < vs.size(); ++step) run_round(f, node, vs[(step + static_cast<size_t>(round)) % vs.size()]);
  int status = node.stop();
  if (status != 0) std::cerr << "warning: the node exited with status " << status << "\n" << node.log_tail() << "\n";
  return vs;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

double round2(double v) { return std::round(v * 100) / 100; }

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  try {
    f = parse_flags(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bench_access: " << e.what() << "\n";
    usage();
    return 1;
  }
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  std::printf("access: what authentication and permission checks cost a request, with and without them\n");
  std::printf("  node %s\n  %ld cores, load average before the run %s\n", f.node.c_str(), cores, load_average().c_str());
  std::printf("  %d incidents over five counties of 441300; list = GET /api/v1/incidents?limit=%d\n", f.incidents, f.limit);
  if (f.http)
    std::printf("  http: %d keep-alive clients, %d interleaved rounds of %.1f s (+%.1f s warm-up) per variant;\n"
                "        rate limits off (principal, address, connections)\n",
                f.clients, f.rounds, f.round_s, f.warmup_s);
  if (f.inprocess)
    std::printf("  in process: one thread, %d rounds of %d requests per variant, interleaved one by one in\n"
                "        random order, CPU time per request; the per-principal limiter on, at a rate it never reaches\n",
                f.inproc_rounds, f.requests);
  std::printf("\n");
  std::fflush(stdout);

  json figures;
  bool harness_ok = true;
  double before = f.wait_quiet_s > 0 ? liandong::bench::wait_quiet(f.wait_quiet_s) : 0.0;
  std::printf("  other load before the run: %.2f cores\n", before);
  figures["other_cores_before"] = round2(before);

  std::vector<HttpVariant> hv;
  if (f.http) {
    try {
      hv = run_http(f);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_access: the HTTP half failed: %s\n", e.what());
      harness_ok = false;
    }
  }
  std::optional<liandong::bench::InProcessResult> ip;
  if (f.inprocess) {
    try {
      ip = liandong::bench::run_in_process({f.incidents, f.limit, f.requests, f.inproc_rounds});
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_access: the in-process half failed: %s\n", e.what());
      harness_ok = false;
    }
  }

  // ---- the table ----
  std::printf("\n%-10s %-40s %10s %9s %9s %8s %9s\n", "where", "variant", "req/s", "p50 µs", "p99 µs", "ratio",
              "µs/req");
  double health_per_s = 0;
  for (const auto& v : hv)
    if (v.key == "http_health_anonymous") health_per_s = median(v.per_s);
  double worst_other = 0;
  for (const auto& v : hv) {
    double per_s = median(v.per_s);
    std::printf("%-10s %-40s %10.0f %9.0f %9.0f %7.3fx %9.1f\n", "http", v.name.c_str(), per_s,
                nearest_rank_us(v.latency_us, 0.5), nearest_rank_us(v.latency_us, 0.99),
                health_per_s > 0 ? per_s / health_per_s : 0.0, median(v.node_us));
    worst_other = std::max(worst_other, v.other_cores);
    figures[v.key] = {{"per_s", std::round(per_s)},
                      {"p50_us", nearest_rank_us(v.latency_us, 0.5)},
                      {"p99_us", nearest_rank_us(v.latency_us, 0.99)},
                      {"node_cpu_us_per_request", round2(median(v.node_us))},
                      {"errors", v.errors},
                      {"other_cpu_cores", round2(std::max(0.0, v.other_cores))}};
  }
  if (ip) {
    for (const auto& v : ip->variants) {
      double ref = 0;
      for (const auto& w : ip->variants)
        if (w.name == v.reference) ref = w.per_s;
      std::printf("%-10s %-40s %10.0f %9.1f %9.1f %7.3fx %9.1f\n", "in-process", v.name.c_str(), v.per_s, v.p50_us,
                  v.p99_us, ref > 0 ? v.per_s / ref : 1.0, v.mean_us);
    }
  }
  std::printf("  req/s: http: 200 answers per second; in-process: 1e6 / µs/req, what one core would serve.\n"
              "  p50, p99: wall time. ratio: http rows against health anonymous, in-process rows against their\n"
              "  no-auth twin. µs/req: http: the node's CPU per answer; in-process: CPU time per request.\n");
  if (!hv.empty() && worst_other > 0.25)
    std::printf("WARNING: other processes used up to %.2f of the %ld cores during an HTTP window; the http rows\n"
                "  understate the node (the in-process figures are CPU-time ratios of interleaved requests).\n",
                worst_other, cores);
  for (const auto& v : hv)
    if (v.errors > 0) {
      std::printf("ERROR: %s had %llu failed requests; first: %s\n", v.name.c_str(),
                  static_cast<unsigned long long>(v.errors), v.first_error.c_str());
      harness_ok = false;
    }

  // ---- the cost of access control ----
  bool all_pass = true;
  if (ip) {
    std::printf("\nper list request (in process; %zu items of %d incidents):\n", ip->variants[0].items, ip->incidents);
    std::printf("  %-18s %9s %9s %8s %9s %8s %10s %8s %8s\n", "caller", "with µs", "w/o µs", "auth", "auth p50",
                "scanned", "filter µs", "filter", "total");
    json in_fig;
    for (const auto& v : ip->variants) {
      json row = {{"per_s", std::round(v.per_s)},     {"mean_us", round2(v.mean_us)}, {"p50_us", round2(v.p50_us)},
                  {"p99_us", round2(v.p99_us)},       {"scanned", v.scanned},         {"items", v.items},
                  {"may_ns", round2(v.may_ns)},       {"body_bytes", v.body_bytes}};
      if (v.reference.empty()) {
        in_fig[v.name] = row;
        continue;
      }
      double without = 0, without_p50 = 0;
      for (const auto& w : ip->variants)
        if (w.name == v.reference) {
          without = w.mean_us;
          without_p50 = w.p50_us;
        }
      double filter_share = v.filter_us / v.mean_us;
      double total = v.overhead + filter_share;
      double by_p50 = v.p50_us > 0 ? (v.p50_us - without_p50) / v.p50_us : 0;
      auto open = v.name.find('('), close = v.name.find(')');
      std::string caller = v.name.substr(open + 1, close - open - 1);
      std::printf("  %-18s %9.1f %9.1f %7.2f%% %8.2f%% %8zu %10.2f %7.2f%% %7.2f%%\n", caller.c_str(), v.mean_us,
                  without, 100 * v.overhead, 100 * by_p50, v.scanned, v.filter_us, 100 * filter_share, 100 * total);
      row["auth_overhead_pct"] = round2(100 * v.overhead);
      row["auth_overhead_p50_pct"] = round2(100 * by_p50);
      row["filter_us"] = round2(v.filter_us);
      row["filter_pct"] = round2(100 * filter_share);
      row["total_pct"] = round2(100 * total);
      in_fig[v.name] = row;
    }
    std::printf("  auth: (with - without) / with of the CPU time per request, median over %d rounds (the\n"
                "  guard: token, keyed hash, lookup, principal cache, CSRF, rate limiter, route permission);\n"
                "  auth p50: the same of the median request. filter: Principal::may x records scanned, a cost\n"
                "  both variants pay. total = auth + filter, held to the goal.\n",
                ip->rounds);
    double list_us = 0;
    for (const auto& v : ip->variants)
      if (v.name == "list, session token (administrator)") list_us = v.mean_us;
    std::printf("  cross-check, Auth::guard alone (CPU): session token %.2f µs, API key %.2f µs (%.2f%% and %.2f%% of\n"
                "  the administrator's list request)\n",
                ip->guard_session_us, ip->guard_key_us, 100 * ip->guard_session_us / list_us,
                100 * ip->guard_key_us / list_us);
    std::printf("  one keyed hash (BLAKE2b of the node secret, then of the token under it): %.0f ns\n", ip->keyed_hash_ns);
    in_fig["keyed_hash_ns"] = std::round(ip->keyed_hash_ns);
    in_fig["guard_session_us"] = round2(ip->guard_session_us);
    in_fig["guard_key_us"] = round2(ip->guard_key_us);
    in_fig["rounds"] = ip->rounds;
    in_fig["requests_per_round"] = f.requests;
    figures["inprocess"] = in_fig;

    std::printf("\n");
    for (const auto& v : ip->variants) {
      if (v.reference.empty()) continue;
      double total = v.overhead + v.filter_us / v.mean_us;
      bool pass = total < kGoalShare;
      all_pass = all_pass && pass;
      auto open = v.name.find('('), close = v.name.find(')');
      std::string caller = v.name.substr(open + 1, close - open - 1);
      std::string goal = "auth + permission < 5% of a list request (" + caller + ")";
      std::printf("%-4s %s: %.2f%%\n", pass ? "PASS" : "MISS", goal.c_str(), 100 * total);
      figures["goals"][goal] = pass ? "PASS" : "MISS";
    }
  } else {
    all_pass = false;
    std::printf("\nSKIP auth + permission < 5%% of a list request (the in-process half did not run)\n");
    figures["goals"]["auth + permission < 5% of a list request"] = "SKIP";
  }
  if (!hv.empty()) {
    double anon = 0, sess = 0, list = 0;
    for (const auto& v : hv) {
      if (v.key == "http_health_anonymous") anon = median(v.node_us);
      if (v.key == "http_health_session") sess = median(v.node_us);
      if (v.key == "http_list_session") list = median(v.node_us);
    }
    std::printf("over HTTP: a session token on health costs the node %+.1f µs of CPU per request (%.1f -> %.1f);\n"
                "  a list request costs it %.1f µs in all (noisy on a shared machine; the in-process figures decide)\n",
                sess - anon, anon, sess, list);
    figures["http_session_token_node_cpu_us"] = round2(sess - anon);
  }

  figures["cores"] = cores;
  figures["clients"] = f.clients;
  figures["incidents"] = f.incidents;
  figures["limit"] = f.limit;
  figures["http_rounds"] = f.rounds;
  figures["round_s"] = f.round_s;
  json line = {{"bench", "access"},
               {"data", std::to_string(f.incidents) + " incidents over 5 counties of 441300, list limit " +
                            std::to_string(f.limit) + "; loopback HTTP and in-process dispatch"},
               {"figures", figures}};
  std::printf("%s\n", line.dump().c_str());
  if (!harness_ok) return 1;
  return all_pass ? 0 : 2;
}
