#include "dispatch_http.h"

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
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "core/time.h"
#include "node_process.h"

namespace liandong::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Steady = std::chrono::steady_clock;
using json = nlohmann::json;

constexpr const char* kAdminName = "bench.admin";
constexpr const char* kAdminPassword = "bench-dispatch-password-2026";

void say(const std::string& s) {
  std::fprintf(stderr, "%s\n", s.c_str());
  std::fflush(stderr);
}

double us_between(Steady::time_point a, Steady::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

// One synchronous request on a fresh connection, any content type, any status.
NodeProcess::Answer call(const NodeProcess& node, const std::string& method,
                         const std::string& target, const std::string& body,
                         const std::string& content_type, const std::string& bearer) {
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(120));
  stream.connect(resolver.resolve(node.host(), std::to_string(node.port())));
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, node.host());
  req.set(http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) {
    req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
  }
  req.keep_alive(false);
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return {int(parser.get().result_int()), parser.get().body()};
}

NodeProcess::Answer need(const NodeProcess& node, const std::string& method,
                         const std::string& target, const std::string& body,
                         const std::string& content_type, const std::string& bearer, int expect) {
  auto a = call(node, method, target, body, content_type, bearer);
  // Every target here names a route the node must have (and records just made): 404 means the
  // node does not serve the route.
  if (a.status == 404)
    throw RouteMissing(method + " " + target + " answered 404 (" + a.body.substr(0, 200) + ")");
  if (a.status != expect)
    throw std::runtime_error(method + " " + target + " answered " + std::to_string(a.status) +
                             ": " + a.body.substr(0, 400));
  return a;
}

std::string fix_json(const std::string& id, int64_t ms, const core::LonLat& at) {
  char buf[200];
  std::snprintf(buf, sizeof buf, R"({"object_id":"%s","time":"%s","lon":%.7f,"lat":%.7f})",
                id.c_str(), core::format_utc(core::from_unix_millis(ms)).c_str(), at.lon, at.lat);
  return buf;
}

std::string raw_post(const std::string& target, const std::string& bearer,
                     const std::string& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + bearer +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// ---- a pool of keep-alive connections that takes requests as they come due ----------------

struct Job {
  int kind = 0;  // 0 positions, 1 recommend, 2 probe
  std::string raw;
  Steady::time_point due;
  uint32_t unit = 0;  // positions and probe: the batch's last unit and its fix's time
  int64_t fix_ms = 0;
  Steady::time_point origin{};  // probe: when the positions request was written
};

class Pool;

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  Conn(asio::io_context& io, tcp::endpoint ep, Pool& pool) : stream_(io), ep_(ep), pool_(pool) {}
  void start();
  void send(Job job);
  bool ready() const { return connected_ && !busy_; }

 private:
  void fail(const std::string& what, beast::error_code ec);
  beast::tcp_stream stream_;
  tcp::endpoint ep_;
  Pool& pool_;
  Job job_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Steady::time_point written_;
  bool connected_ = false, busy_ = false;
};

class Pool {
 public:
  using Done = std::function<void(const Job&, int status, const std::string& body,
                                  double service_us, double since_due_us)>;
  Pool(asio::io_context& io, tcp::endpoint ep, uint32_t n, Done done) : done_(std::move(done)) {
    for (uint32_t i = 0; i < n; ++i) conns_.push_back(std::make_shared<Conn>(io, ep, *this));
    for (auto& c : conns_) c->start();
  }
  void submit(Job job) {
    for (auto& c : conns_)
      if (c->ready()) return c->send(std::move(job));
    pending_.push_back(std::move(job));
    ++waited_;
  }
  void idle(Conn& c) {
    if (pending_.empty()) return;
    Job j = std::move(pending_.front());
    pending_.pop_front();
    c.send(std::move(j));
  }
  void answered(const Job& j, int status, const std::string& body, Steady::time_point written) {
    --in_flight_;
    const auto now = Steady::now();
    done_(j, status, body, us_between(written, now), us_between(j.due, now));
  }
  void failed(const std::string& what) {
    ++errors_;
    if (first_error_.empty()) first_error_ = what;
  }
  void sent() { ++in_flight_; }
  int64_t busy() const { return in_flight_ + int64_t(pending_.size()); }
  uint64_t waited() const { return waited_; }
  uint64_t errors() const { return errors_; }
  const std::string& first_error() const { return first_error_; }

 private:
  std::vector<std::shared_ptr<Conn>> conns_;
  std::deque<Job> pending_;
  Done done_;
  int64_t in_flight_ = 0;
  uint64_t waited_ = 0, errors_ = 0;
  std::string first_error_;
};

void Conn::start() {
  stream_.expires_after(std::chrono::seconds(10));
  stream_.async_connect(ep_, [self = shared_from_this()](beast::error_code ec) {
    if (ec) return self->fail("connect", ec);
    self->stream_.socket().set_option(tcp::no_delay(true));
    self->connected_ = true;
    self->pool_.idle(*self);
  });
}

void Conn::send(Job job) {
  job_ = std::move(job);
  busy_ = true;
  pool_.sent();
  written_ = Steady::now();
  stream_.expires_after(std::chrono::seconds(30));
  asio::async_write(
      stream_, asio::buffer(job_.raw), [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->fail("write", ec);
        self->parser_.emplace();
        self->parser_->body_limit(64 << 20);
        http::async_read(
            self->stream_, self->buffer_, *self->parser_, [self](beast::error_code ec2, size_t) {
              if (ec2) return self->fail("read", ec2);
              const auto& res = self->parser_->get();
              self->busy_ = false;
              self->pool_.answered(self->job_, int(res.result_int()), res.body(), self->written_);
              if (!res.keep_alive()) return self->fail("closed by the node", {});
              self->pool_.idle(*self);
            });
      });
}

void Conn::fail(const std::string& what, beast::error_code ec) {
  if (busy_) pool_.answered(job_, 0, what, written_);
  busy_ = false;
  connected_ = false;
  pool_.failed(what + (ec ? ": " + ec.message() : std::string()));
  beast::error_code ignored;
  stream_.socket().close(ignored);
}

// ---- set-up ------------------------------------------------------------------------------------

std::string units_csv(const std::vector<UnitSpec>& units, const std::string& node) {
  std::string csv = "call_sign,type,jurisdiction,capabilities,crew,status\n";
  for (const auto& u : units) {
    std::string caps;
    for (const auto& c : u.capabilities) caps += (caps.empty() ? "" : ";") + c;
    // Import takes available or out_of_service: a unit busy with an incident is imported out of
    // service (not dispatchable either), a returning one as available (dispatchable either way).
    const bool dispatchable = u.status == "available" || u.status == "returning";
    csv += u.call_sign + "," + u.type + "," + node + "," + caps + ",4," +
           (dispatchable ? "available" : "out_of_service") + "\n";
  }
  return csv;
}

struct Run {
  Latencies rec_us, rec_due_us, rec_micros, pos_us, probe_lag_us;
  uint64_t probe_polls = 0, probe_timeouts = 0;
  uint64_t rec_ok = 0, rec_bad = 0, rec_not_road = 0, rec_unfilled = 0;
  uint64_t pos_ok = 0, pos_bad = 0, applied = 0, duplicate = 0, out_of_order = 0, rejected = 0;
  uint64_t fixes_sent = 0, recs_sent = 0;
  std::string first_problem;
  void problem(const std::string& p) {
    if (first_problem.empty()) first_problem = p.substr(0, 300);
  }
};

}  // namespace

json run_http(const routing::Graph& graph, const HttpOptions& o) {
  NodeOptions no;
  no.binary = o.binary;
  no.parent_dir = o.tmp;
  no.keep_data = o.keep_data;
  no.jurisdiction = o.node;
  no.config = {{"log_level", "\"warn\""},
               {"http_threads", std::to_string(o.http_threads)},
               {"graph", "\"" + o.graph_file + "\""},
               no_rate_limits()};
  const auto t_start = Steady::now();
  NodeProcess node(no);
  json fig;
  fig["node_start_s"] = us_between(t_start, Steady::now()) / 1e6;
  const uint64_t rss_empty = rss_bytes(node.pid());

  node.create_admin(kAdminName, kAdminPassword);
  const std::string admin = node.sign_in(kAdminName, kAdminPassword);
  const std::string gateway = node.create_key("sensor_gateway");
  const std::string dispatcher = node.create_key("dispatcher");

  const auto n_units = uint32_t(o.units.size());
  say("  http: importing " + std::to_string(n_units) + " units");
  auto t0 = Steady::now();
  auto imported = need(node, "POST", "/api/v1/units/import", units_csv(o.units, o.node), "text/csv",
                       admin, 201);
  fig["import_s"] = us_between(t0, Steady::now()) / 1e6;
  std::vector<std::string> ids;
  const json created = json::parse(imported.body);
  for (const auto& id : created.at("units")) ids.push_back(id.get<std::string>());
  if (ids.size() != n_units)
    throw std::runtime_error("import created " + std::to_string(ids.size()) + " units of " +
                             std::to_string(n_units) + ": " + imported.body.substr(0, 300));

  // Every unit's first fix (a second old), then wait until the last is shown.
  Drivers drivers(graph, n_units, o.seed, o.parked);
  std::vector<int64_t> last_ms(n_units, core::to_unix_millis(core::SystemClock().now()) - 1000);
  for (uint32_t from = 0; from < n_units; from += 1000) {
    std::string body = "[";
    for (uint32_t u = from; u < std::min(n_units, from + 1000); ++u)
      body += (u > from ? "," : "") + fix_json(ids[u], last_ms[u], drivers.where(u));
    need(node, "POST", "/api/v1/positions", body + "]", "application/json", gateway, 200);
  }
  for (auto deadline = Steady::now() + std::chrono::seconds(30); Steady::now() < deadline;) {
    auto u = call(node, "GET", "/api/v1/units/" + ids.back(), "", "", admin);
    auto j = json::parse(u.body, nullptr, false);
    if (u.status == 200 && j.is_object() && j.contains("position") && j["position"].is_object() &&
        j["position"].value("source", "") == "fix")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // Open incidents at random road nodes (a joined alarm is retried elsewhere).
  std::mt19937_64 rng(o.seed * 131 + 7);
  std::vector<std::string> incidents;
  for (uint32_t tries = 0; incidents.size() < o.incidents && tries < o.incidents * 5; ++tries) {
    const auto at = node_position(graph, routing::NodeId(rng() % graph.node_count()));
    json alarm = {{"channel", "119"},
                  {"reported_at", core::format_utc(core::SystemClock().now())},
                  {"location", {{"lon", at.lon}, {"lat", at.lat}}},
                  {"type", "fire"},
                  {"description", "bench dispatch " + std::to_string(tries)}};
    auto a =
        need(node, "POST", "/api/v1/alarms", alarm.dump(), "application/json", dispatcher, 201);
    auto j = json::parse(a.body);
    if (!j.value("joined", false)) incidents.push_back(j.at("incident_id").get<std::string>());
  }
  if (incidents.empty()) throw std::runtime_error("no incident could be opened");
  const std::string rec_body =
      json{{"requirement", requirement_json(o.requirement)}, {"routes", true}}.dump();
  // One recommendation before the load: the route exists and answers by road.
  {
    auto a = need(node, "POST", "/api/v1/incidents/" + incidents[0] + "/recommend", rec_body,
                  "application/json", dispatcher, 200);
    auto j = json::parse(a.body);
    fig["probe_method"] = j.value("method", "?");
  }

  // ---- the load ----
  say("  http: " + std::to_string(o.seconds) + " s of position fixes and recommendations");
  Run run;
  asio::io_context io(1);
  tcp::endpoint ep(asio::ip::make_address(node.host()), node.port());
  // The apply-lag probe: after every 10th positions answer (one probe at a time), GET the batch's
  // last unit until it shows that fix: from writing the positions request to seeing the fix is an
  // upper bound of the time the node took to apply the batch (it adds a GET's round trip).
  // After the load, the last batch is probed the same way (kind 3, up to 2 minutes): the fixes in
  // the index per second are those sent over the time until the last of them shows.
  std::unique_ptr<Pool> probes;
  bool probing = false, final_started = false, final_done = false, have_last = false;
  Job last_positions;
  Steady::time_point final_seen{};
  asio::steady_timer probe_timer(io);
  auto poll = [&](const Job& p) {
    Job j = p;
    j.raw = "GET /api/v1/units/" + ids[j.unit] +
            " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin + "\r\n\r\n";
    j.due = Steady::now();
    ++run.probe_polls;
    probes->submit(std::move(j));
  };
  auto on_probe = [&](const Job& j, int status, const std::string& body) {
    auto parsed = json::parse(body, nullptr, false);
    int64_t shown = -1;
    if (status == 200 && parsed.is_object() && parsed.contains("position") &&
        parsed["position"].is_object() && parsed["position"].contains("time") &&
        parsed["position"]["time"].is_string())
      if (auto t = core::parse_rfc3339(parsed["position"]["time"].get<std::string>()))
        shown = core::to_unix_millis(*t);
    const bool last = j.kind == 3;
    if (shown >= j.fix_ms) {
      if (last) {
        final_seen = Steady::now();
        final_done = true;
      }
      run.probe_lag_us.add(us_between(j.origin, Steady::now()));
      probing = false;
    } else if (Steady::now() - j.origin > std::chrono::seconds(last ? 120 : 2) || status != 200) {
      ++run.probe_timeouts;
      if (status != 200) run.problem("probe GET " + std::to_string(status) + ": " + body);
      if (last) final_done = true;
      probing = false;
    } else {
      probe_timer.expires_after(std::chrono::milliseconds(last ? 10 : 1));
      probe_timer.async_wait([&, j](beast::error_code) { poll(j); });
    }
  };
  auto on_done = [&](const Job& j, int status, const std::string& body, double service_us,
                     double due_us) {
    if (j.kind >= 2) return on_probe(j, status, body);
    auto parsed = json::parse(body, nullptr, false);
    if (j.kind == 0 && status == 200 && (!have_last || j.fix_ms >= last_positions.fix_ms)) {
      last_positions = j;
      last_positions.origin = Steady::now() - std::chrono::microseconds(int64_t(service_us));
      have_last = true;
    }
    if (j.kind == 0 && status == 200 && !probing && run.pos_ok % 10 == 0) {
      probing = true;
      Job p = j;
      p.kind = 2;
      p.origin = Steady::now() - std::chrono::microseconds(int64_t(service_us));
      poll(p);
    }
    if (j.kind == 1) {
      if (status != 200 || !parsed.is_object()) {
        ++run.rec_bad;
        run.problem("recommend " + std::to_string(status) + ": " + body);
        return;
      }
      ++run.rec_ok;
      run.rec_us.add(service_us);
      run.rec_due_us.add(due_us);
      run.rec_micros.add(parsed.value("micros", 0.0));
      if (parsed.value("method", "") != "road") ++run.rec_not_road;
      if (parsed.contains("slots"))
        for (const auto& s : parsed["slots"]) run.rec_unfilled += s.value("unfilled", 0u);
    } else {
      if (status != 200 || !parsed.is_object()) {
        ++run.pos_bad;
        run.problem("positions " + std::to_string(status) + ": " + body);
        return;
      }
      ++run.pos_ok;
      run.pos_us.add(service_us);
      run.applied += parsed.value("applied", 0u);
      run.duplicate += parsed.value("duplicate", 0u);
      run.out_of_order += parsed.value("out_of_order", 0u);
      run.rejected += parsed.value("rejected", 0u);
      if (parsed.value("rejected", 0u) > 0 && parsed.contains("problems") &&
          !parsed["problems"].empty())
        run.problem("positions: " + parsed["problems"][0].dump());
    }
  };
  Pool positions(io, ep, o.connections, on_done);
  Pool recommends(io, ep, o.connections, on_done);
  probes = std::make_unique<Pool>(io, ep, 1, on_done);

  const auto begin = Steady::now() + std::chrono::milliseconds(200);
  const auto end = begin + std::chrono::microseconds(int64_t(o.seconds * 1e6));
  const auto tick = std::chrono::microseconds(int64_t(o.tick_ms * 1000));
  const auto rec_period = std::chrono::microseconds(int64_t(1e6 / o.rec_rate));
  const double fix_interval_s = double(n_units) / o.fix_rate;
  uint32_t cursor = 0;
  double owed = 0;
  uint64_t rec_n = 0;
  asio::steady_timer fix_timer(io), rec_timer(io), stop_timer(io);
  std::function<void(Steady::time_point)> next_fixes = [&](Steady::time_point due) {
    if (due >= end) return;
    fix_timer.expires_at(due);
    fix_timer.async_wait([&, due](beast::error_code) {
      owed += o.fix_rate * o.tick_ms / 1e3;
      const auto count = uint32_t(owed);
      owed -= count;
      const int64_t now_ms = core::to_unix_millis(core::SystemClock().now());
      std::string body = "[";
      for (uint32_t i = 0; i < count; ++i) {
        const uint32_t u = cursor;
        cursor = (cursor + 1) % n_units;
        const auto at = drivers.advance(u, fix_interval_s);
        last_ms[u] = std::max(now_ms, last_ms[u] + 1);
        body += (i ? "," : "") + fix_json(ids[u], last_ms[u], at);
      }
      run.fixes_sent += count;
      const uint32_t last = (cursor + n_units - 1) % n_units;
      positions.submit(
          {0, raw_post("/api/v1/positions", gateway, body + "]"), due, last, last_ms[last], {}});
      next_fixes(due + tick);
    });
  };
  std::function<void(Steady::time_point)> next_rec = [&](Steady::time_point due) {
    if (due >= end) return;
    rec_timer.expires_at(due);
    rec_timer.async_wait([&, due](beast::error_code) {
      const auto& id = incidents[rec_n++ % incidents.size()];
      ++run.recs_sent;
      recommends.submit(
          {1, raw_post("/api/v1/incidents/" + id + "/recommend", dispatcher, rec_body), due});
      next_rec(due + rec_period);
    });
  };
  next_fixes(begin);
  next_rec(begin);
  double node_cpu0 = 0, gen_cpu0 = 0;
  MachineCpu m0;
  asio::steady_timer at_begin(io, begin);
  at_begin.async_wait([&](beast::error_code) {
    node_cpu0 = node.cpu_seconds();
    gen_cpu0 = process_cpu_seconds();
    m0 = machine_cpu();
  });
  double node_cpu = 0, gen_cpu = 0, busy_cores = 0;
  uint64_t backlog_at_end = 0;
  std::function<void()> wait_out = [&] {
    // After the last request is due: wait for the answers in flight, then for the last batch
    // to show (at most 150 s in all).
    stop_timer.expires_after(std::chrono::milliseconds(10));
    stop_timer.async_wait([&](beast::error_code) {
      const bool idle = positions.busy() == 0 && recommends.busy() == 0 && !probing;
      if (idle && have_last && !final_started) {
        final_started = probing = true;
        Job p = last_positions;
        p.kind = 3;
        poll(p);
      } else if ((idle && (final_done || !have_last)) ||
                 Steady::now() > end + std::chrono::seconds(150)) {
        io.stop();
        return;
      }
      wait_out();
    });
  };
  asio::steady_timer at_end(io, end);
  at_end.async_wait([&](beast::error_code) {
    const auto m1 = machine_cpu();
    const double secs = std::chrono::duration<double>(Steady::now() - begin).count();
    node_cpu = (node.cpu_seconds() - node_cpu0) / secs;
    gen_cpu = (process_cpu_seconds() - gen_cpu0) / secs;
    if (m1.total > m0.total)
      busy_cores = double(m1.busy - m0.busy) / double(m1.total - m0.total) *
                   double(::sysconf(_SC_NPROCESSORS_ONLN));
    backlog_at_end = uint64_t(positions.busy() + recommends.busy());
    wait_out();
  });
  io.run();
  const double run_s = o.seconds;

  fig["units"] = n_units;
  fig["connections"] = o.connections;
  fig["incidents"] = incidents.size();
  fig["recommend"] = {{"http", run.rec_us.summary()},
                      {"http_from_due", run.rec_due_us.summary()},
                      {"node_micros", run.rec_micros.summary()},
                      {"sent", run.recs_sent},
                      {"ok", run.rec_ok},
                      {"failed", run.rec_bad},
                      {"not_road", run.rec_not_road},
                      {"unfilled_positions", run.rec_unfilled},
                      {"waited_for_connection", recommends.waited()}};
  fig["fixes"] = {{"sent", run.fixes_sent},
                  {"sent_per_s", double(run.fixes_sent) / run_s},
                  {"applied", run.applied},
                  {"applied_per_s", double(run.applied) / run_s},
                  {"duplicate", run.duplicate},
                  {"out_of_order", run.out_of_order},
                  {"rejected", run.rejected},
                  {"requests_ok", run.pos_ok},
                  {"requests_failed", run.pos_bad},
                  {"request", run.pos_us.summary()},
                  {"waited_for_connection", positions.waited()}};
  fig["apply_probe"] = {{"lag_upper_bound", run.probe_lag_us.summary()},
                        {"polls", run.probe_polls},
                        {"timeouts", run.probe_timeouts}};
  // A probe that gave up saw a lag of at least its 2 s.
  if (run.probe_lag_us.size() > 0 || run.probe_timeouts > 0)
    fig["apply_lag_probe_ms"] =
        std::max(run.probe_lag_us.max() / 1e3, run.probe_timeouts > 0 ? 2000.0 : 0.0);
  if (final_seen != Steady::time_point{}) {
    fig["last_fix_shown_after_ms"] = us_between(last_positions.origin, final_seen) / 1e3;
    fig["fixes"]["in_index_per_s"] =
        double(run.applied) / std::chrono::duration<double>(final_seen - begin).count();
  }
  fig["connection_errors"] = positions.errors() + recommends.errors() + probes->errors();
  if (!positions.first_error().empty()) fig["first_connection_error"] = positions.first_error();
  if (!recommends.first_error().empty()) fig["first_connection_error"] = recommends.first_error();
  if (!run.first_problem.empty()) fig["first_problem"] = run.first_problem;
  fig["backlog_at_end"] = backlog_at_end;
  fig["machine"] = {{"node_cores", node_cpu},
                    {"generator_cores", gen_cpu},
                    {"busy_cores", busy_cores},
                    {"other_cores", std::max(0.0, busy_cores - node_cpu - gen_cpu)}};
  // The node's own figures about the fleet, whatever it exports.
  json metrics = json::object();
  try {
    for (const auto& [name, value] : parse_prometheus(node.get("/metrics")))
      if (name.find("fleet") != std::string::npos || name.find("position") != std::string::npos ||
          name.find("recommend") != std::string::npos)
        metrics[name] = value;
  } catch (const std::exception& e) {
    metrics["error"] = e.what();
  }
  fig["node_metrics"] = metrics;
  for (const auto& [name, value] : metrics.items()) {
    if (name.find("lag") == std::string::npos || name.find("max") == std::string::npos ||
        !value.is_number())
      continue;
    const double x = value.get<double>();
    if (name.ends_with("_seconds"))
      fig["apply_lag_ms"] = x * 1e3;
    else if (name.ends_with("_us") || name.ends_with("_microseconds"))
      fig["apply_lag_ms"] = x / 1e3;
    else if (name.ends_with("_ms") || name.ends_with("_milliseconds"))
      fig["apply_lag_ms"] = x;
  }
  fig["memory"] = {{"node_rss_started_mb", double(rss_empty) / 1e6},
                   {"node_rss_after_mb", double(rss_bytes(node.pid())) / 1e6},
                   {"node_hwm_mb", double(rss_peak_bytes(node.pid())) / 1e6}};
  const int status = node.stop();
  if (status != 0) {
    fig["node_exit_status"] = status;
    say("warning: the node exited with status " + std::to_string(status) + "\n" + node.log_tail());
  }
  return fig;
}

}  // namespace liandong::bench
