// bench_monitoring's ingestion section (bench/README.md "monitoring"): readings
// over the line protocol into a real node, against plain SQLite inserts of the
// same rows.
//
// The load generator runs on one thread (Boost.Beast, async) and shares the
// machine's cores with the node, so it is kept light: lines formatted into one
// string a request, no JSON parsing of answers (the accepted count is read with
// a find).
#include "monitoring_ingest.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "node_process.h"

namespace liandong::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr size_t kImportChunk = 20'000;   // stations a POST /monitoring/stations/import
constexpr int64_t kIntervalMs = 300'000;  // every parameter every 5 minutes
constexpr size_t kProbeStations = 200;    // stations of the new-series probe
constexpr const char *kCounties[] = {"441302", "441303", "441322", "441323", "441324"};
constexpr const char *kParams[] = {"cadmium", "ammonia_nitrogen", "dissolved_oxygen"};
constexpr int kParamCount = 3;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// ---- synthetic readings
// ----------------------------------------------------------------------
//
// Station s (1-based, 441300-MON-s) measures cadmium, ammonia nitrogen and
// dissolved oxygen every 300 s; round r holds every series' reading at t0 +
// r·300 s. Values are under the GB 3838 class III limits (cadmium 0.005 mg/L,
// ammonia nitrogen 1.0 mg/L, dissolved oxygen at least 5 mg/L), except at one
// station in 200 per parameter, which exceeds its limit in rounds 2 and 3 of
// every 4 (threshold, then rate of change; the level tracker raises after 2
// readings and clears after 2).

uint64_t mix(uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double value_of(size_t station, int param, uint64_t round) {
  double u =
      static_cast<double>(mix(mix(station * 4 + static_cast<uint64_t>(param)) ^ round) >> 11) *
      0x1.0p-53;
  bool episode = round % 4 >= 2;
  switch (param) {
    case 0:
      return station % 200 == 0 && episode ? 0.011 + 0.002 * u : 0.001 + 0.0025 * u;
    case 1:
      return station % 200 == 67 && episode ? 1.6 + 0.2 * u : 0.2 + 0.4 * u;
    default:
      return station % 200 == 134 && episode ? 3.5 + 0.5 * u : 6.0 + 2.0 * u;
  }
}

constexpr int kDecimals[] = {5, 3, 2};

std::string station_id(size_t s) { return "441300-MON-" + std::to_string(s); }

// Walks rounds × stations × parameters in order, `first`..`first + count - 1`
// stations.
class Cursor {
 public:
  Cursor(size_t first, size_t count, std::optional<uint64_t> rounds)
      : first_(first), count_(count), rounds_(rounds) {}
  bool done() const { return rounds_ && round_ >= *rounds_; }
  uint64_t round() const { return round_; }
  size_t station() const { return first_ + pos_ / kParamCount; }
  int param() const { return static_cast<int>(pos_ % kParamCount); }
  void advance() {
    if (++pos_ == count_ * kParamCount) {
      pos_ = 0;
      ++round_;
    }
  }

 private:
  size_t first_, count_;
  std::optional<uint64_t> rounds_;
  uint64_t round_ = 0;
  size_t pos_ = 0;
};

// Formats lines of the line protocol (docs/READINGS.md), times as RFC 3339 UTC.
class LineSource {
 public:
  LineSource(size_t first, size_t count, int64_t t0_ms, std::optional<uint64_t> rounds)
      : cursor_(first, count, rounds), t0_ms_(t0_ms) {}

  // Appends up to `n` lines to `out`; returns how many (0 when the rounds are
  // done).
  size_t next(size_t n, std::string &out) {
    size_t made = 0;
    char buf[128];
    for (; made < n && !cursor_.done(); ++made, cursor_.advance()) {
      const uint64_t r = cursor_.round();
      if (r != time_round_) set_time(r);
      const size_t s = cursor_.station();
      const int p = cursor_.param();
      char *e = buf + sizeof buf;
      char *w = buf;
      w = std::to_chars(w, e, s).ptr;  // after "441300-MON-"
      *w++ = ' ';
      std::string_view param = kParams[p];
      w = std::copy(param.begin(), param.end(), w);
      *w++ = ' ';
      w = std::copy(time_.begin(), time_.end(), w);
      *w++ = ' ';
      w = std::to_chars(w, e, value_of(s, p, r), std::chars_format::fixed, kDecimals[p]).ptr;
      *w++ = '\n';
      out += "441300-MON-";
      out.append(buf, w);
    }
    return made;
  }

 private:
  void set_time(uint64_t r) {
    std::time_t t =
        static_cast<std::time_t>((t0_ms_ + static_cast<int64_t>(r) * kIntervalMs) / 1000);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    time_ = b;
    time_round_ = r;
  }
  Cursor cursor_;
  int64_t t0_ms_;
  uint64_t time_round_ = UINT64_MAX;
  std::string time_;
};

// The first round's time: now, down to a multiple of 300 s. Later rounds run
// ahead of the clock (the generator sends far faster than every 5 minutes), so
// no series is ever "silent" (the missing-data check runs every 10 s and finds
// every series fresh) — as with live stations.
int64_t first_round_ms() {
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return now / kIntervalMs * kIntervalMs;
}

// ---- stations
// --------------------------------------------------------------------------------

std::string stations_geojson(size_t first, size_t count) {
  std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
  char buf[1024];
  for (size_t s = first; s < first + count; ++s) {
    double lon = 114.0 + static_cast<double>(s % 997) * 0.001;
    double lat = 22.8 + static_cast<double>((s / 997) % 701) * 0.001;
    int n = std::snprintf(buf, sizeof buf,
                          "%s{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
                          "\"coordinates\":[%.5f,%.5f]},"
                          "\"properties\":{\"jurisdiction\":\"%s\",\"name\":\"bench station "
                          "%zu\",\"kind\":"
                          "\"water_quality\",\"target_class\":3,\"parameters\":["
                          "{\"code\":\"cadmium\",\"unit\":\"mg/"
                          "L\",\"interval_s\":300,\"max_rate_per_hour\":0.05,"
                          "\"flat_line_count\":12},"
                          "{\"code\":\"ammonia_nitrogen\",\"unit\":\"mg/L\",\"interval_s\":300,"
                          "\"max_rate_per_hour\":6,\"flat_line_count\":12},"
                          "{\"code\":\"dissolved_oxygen\",\"unit\":\"mg/L\",\"interval_s\":300,"
                          "\"max_rate_per_hour\":30,\"flat_line_count\":12}]}}",
                          s == first ? "" : ",", lon, lat, kCounties[s % 5], s);
    out.append(buf, static_cast<size_t>(n));
  }
  out += "]}";
  return out;
}

// Registers stations first..first+count-1 in chunks (ids are given in order on
// a fresh node) and checks that the last one has the expected id.
void import_stations(const NodeProcess &node, const std::string &key, size_t first, size_t count) {
  for (size_t done = 0; done < count; done += kImportChunk) {
    size_t n = std::min(kImportChunk, count - done);
    auto a = node.request("POST", "/api/v1/monitoring/stations/import",
                          stations_geojson(first + done, n), key);
    if (a.status / 100 != 2)
      throw std::runtime_error("station import answered " + std::to_string(a.status) + ": " +
                               a.body.substr(0, 300));
  }
  auto last =
      node.request("GET", "/api/v1/monitoring/stations/" + station_id(first + count - 1), {}, key);
  if (last.status != 200)
    throw std::runtime_error("after the import, station " + station_id(first + count - 1) +
                             " answered " + std::to_string(last.status) +
                             " (ids are not given in import order?)");
}

// ---- the closed-loop load generator
// ----------------------------------------------------------

struct Window {
  Clock::time_point from, to;  // answers arriving in [from, to) are measured
  bool timed = true;           // false: until the source is done, every answer counts
  bool in(Clock::time_point t) const { return !timed || (t >= from && t < to); }
};

struct Tally {
  uint64_t readings = 0;  // accepted, in 2xx answers in the window
  uint64_t answers = 0;   // 2xx answers in the window
  uint64_t errors = 0;    // whole run
  uint64_t rejected = 0;  // whole run
  std::vector<uint32_t> latency_us;
  std::string first_error;
  Clock::time_point last_answer;
};

struct Load {
  LineSource &source;
  const std::string &key;
  size_t batch;
  Window window;
  Tally tally;
};

uint64_t number_after(const std::string &body, std::string_view name) {
  auto at = body.find(name);
  if (at == std::string::npos) return 0;
  uint64_t v = 0;
  const char *p = body.data() + at + name.size();
  std::from_chars(p, body.data() + body.size(), v);
  return v;
}

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(asio::io_context &io, tcp::endpoint ep, Load &load) : stream_(io), ep_(ep), load_(load) {}

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
    if (load_.window.timed && Clock::now() >= load_.window.to) return close();
    body_.clear();
    if (load_.source.next(load_.batch, body_) == 0) return close();
    head_ =
        "POST /api/v1/readings/lines HTTP/1.1\r\nHost: "
        "127.0.0.1\r\nAuthorization: Bearer ";
    head_ += load_.key;
    head_ += "\r\nContent-Type: text/plain\r\nContent-Length: ";
    head_ += std::to_string(body_.size());
    head_ += "\r\n\r\n";
    std::array<asio::const_buffer, 2> bufs{asio::buffer(head_), asio::buffer(body_)};
    sent_at_ = Clock::now();
    stream_.expires_after(std::chrono::seconds(120));
    asio::async_write(stream_, bufs, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail("write", ec);
      self->read();
    });
  }

  void read() {
    response_.emplace();
    response_->body_limit(16 << 20);
    http::async_read(stream_, buffer_, *response_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->fail("read", ec);
                       self->on_answer();
                     });
  }

  void on_answer() {
    auto now = Clock::now();
    Tally &t = load_.tally;
    t.last_answer = now;
    const auto &res = response_->get();
    if (res.result_int() / 100 == 2) {
      uint64_t rejected = number_after(res.body(), "\"rejected\":");
      t.rejected += rejected;
      if (rejected > 0 && t.first_error.empty())
        t.first_error = "rejected lines: " + res.body().substr(0, 300);
      if (load_.window.in(now)) {
        t.readings += number_after(res.body(), "\"accepted\":");
        ++t.answers;
        t.latency_us.push_back(static_cast<uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at_).count()));
      }
    } else {
      ++t.errors;
      if (t.first_error.empty())
        t.first_error = std::to_string(res.result_int()) + " " + res.body().substr(0, 300);
    }
    if (!res.keep_alive()) return fail("keep-alive", beast::error_code());
    send();
  }

  // A failed connection is not reopened: the run's figures would mix in
  // reconnects; the error count says it happened.
  void fail(const char *what, beast::error_code ec) {
    ++load_.tally.errors;
    if (load_.tally.first_error.empty())
      load_.tally.first_error = std::string(what) + ": " + (ec ? ec.message() : "closed by node");
    close();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  tcp::endpoint ep_;
  Load &load_;
  beast::flat_buffer buffer_;
  std::string head_, body_;
  std::optional<http::response_parser<http::string_body>> response_;
  Clock::time_point sent_at_;
};

// Runs `connections` clients until the source is done (untimed window) or the
// window closes.
void drive(const NodeProcess &node, int connections, Load &load) {
  asio::io_context io(1);
  tcp::endpoint ep(asio::ip::make_address(node.host()), node.port());
  for (int i = 0; i < connections; ++i) std::make_shared<Client>(io, ep, load)->start();
  io.run();
}

double percentile_ms(const std::vector<uint32_t> &sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1] / 1000.0;
}

double cores_between(const MachineCpu &a, const MachineCpu &b) {
  if (b.total <= a.total) return 0;
  return static_cast<double>(b.busy - a.busy) / static_cast<double>(b.total - a.total) *
         static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN));
}

uint64_t health_seq(const NodeProcess &node, const std::string &key) {
  auto j = json::parse(node.get("/api/v1/health", key), nullptr, false);
  return j.is_object() ? j.value("seq", uint64_t{0}) : 0;
}

// ---- the HTTP half
// ---------------------------------------------------------------------------

void run_http(const IngestOptions &o, IngestRow &row, IngestResult &result, bool probe) {
  NodeOptions no;
  no.binary = o.node;
  no.parent_dir = o.tmp;
  no.keep_data = o.keep_data;
  no.config = {{"log_level", "\"warn\""},
               {"http_threads", std::to_string(o.http_threads)},
               {"limits",
                "{principal_requests_per_second: 0, address_requests_per_second: 0, "
                "connections_per_address: 0, body_bytes: 67108864}"}};
  NodeProcess node(no);
  const std::string analyst = node.create_key("monitoring_analyst");
  const std::string gateway = node.create_key("sensor_gateway");

  auto t_setup = Clock::now();
  import_stations(node, analyst, 1, row.stations);
  double import_s = seconds_since(t_setup);
  std::printf("    %zu stations imported in %.1f s\n", row.stations, import_s);
  std::fflush(stdout);

  const int64_t t0 = first_round_ms();
  LineSource source(1, row.stations, t0, std::nullopt);

  // Priming: every series' first reading, one round, untimed window: the node
  // creates each series in readings.db (one transaction each) and builds its
  // detectors.
  {
    LineSource prime(1, row.stations, t0, 1);
    Load load{prime, gateway, o.batch, Window{{}, {}, false}, {}};
    auto t = Clock::now();
    drive(node, o.connections, load);
    row.prime_s = seconds_since(t);
    row.errors += load.tally.errors;
    row.rejected_lines += load.tally.rejected;
    if (row.first_error.empty()) row.first_error = load.tally.first_error;
    // The measured rounds continue after round 0.
    std::string skip;
    for (size_t left = row.stations * kParamCount; left > 0;) {
      skip.clear();
      left -= source.next(std::min<size_t>(left, 100'000), skip);
    }
  }
  const uint64_t seq0 = health_seq(node, analyst);

  row.busy_before = o.wait_quiet_s > 0 ? wait_quiet(o.wait_quiet_s) : 0.0;
  Load load{source, gateway, o.batch, Window{}, {}};
  load.tally.latency_us.reserve(100'000);
  auto start = Clock::now();
  load.window.from = start + std::chrono::milliseconds(static_cast<int64_t>(o.warmup_s * 1000));
  load.window.to =
      load.window.from + std::chrono::milliseconds(static_cast<int64_t>(o.measure_s * 1000));
  double node_cpu0 = 0, gen_cpu0 = 0, node_cpu1 = 0, gen_cpu1 = 0;
  MachineCpu m0, m1;
  {
    asio::io_context io(1);
    tcp::endpoint ep(asio::ip::make_address(node.host()), node.port());
    asio::steady_timer at_from(io, load.window.from), at_to(io, load.window.to);
    at_from.async_wait([&](beast::error_code) {
      node_cpu0 = node.cpu_seconds();
      gen_cpu0 = process_cpu_seconds();
      m0 = machine_cpu();
    });
    at_to.async_wait([&](beast::error_code) {
      node_cpu1 = node.cpu_seconds();
      gen_cpu1 = process_cpu_seconds();
      m1 = machine_cpu();
    });
    for (int i = 0; i < o.connections; ++i) std::make_shared<Client>(io, ep, load)->start();
    io.run();
  }
  Tally &t = load.tally;
  row.readings_per_s = static_cast<double>(t.readings) / o.measure_s;
  row.requests_per_s = static_cast<double>(t.answers) / o.measure_s;
  std::sort(t.latency_us.begin(), t.latency_us.end());
  row.p50_ms = percentile_ms(t.latency_us, 0.50);
  row.p90_ms = percentile_ms(t.latency_us, 0.90);
  row.p99_ms = percentile_ms(t.latency_us, 0.99);
  row.max_ms = t.latency_us.empty() ? 0 : t.latency_us.back() / 1000.0;
  row.errors += t.errors;
  row.rejected_lines += t.rejected;
  if (row.first_error.empty()) row.first_error = t.first_error;
  row.node_cpu = (node_cpu1 - node_cpu0) / o.measure_s;
  row.gen_cpu = (gen_cpu1 - gen_cpu0) / o.measure_s;
  row.machine_busy = cores_between(m0, m1);

  // Detectors really ran: the journal events their level changes wrote, and the
  // warnings.
  row.warnings = 0;
  auto w = json::parse(node.get("/api/v1/warnings?status=all", analyst), nullptr, false);
  if (w.is_object() && w["warnings"].is_array()) row.warnings = w["warnings"].size();
  const uint64_t events = health_seq(node, analyst) - seq0;

  if (probe) {
    // New series: stations the store has never seen, their first readings in
    // one request.
    import_stations(node, analyst, row.stations + 1, kProbeStations);
    LineSource fresh(row.stations + 1, kProbeStations, t0, 1);
    Load pl{fresh, gateway, kProbeStations * kParamCount, Window{{}, {}, false}, {}};
    auto tp = Clock::now();
    drive(node, 1, pl);
    double s = seconds_since(tp);
    if (pl.tally.errors == 0 && pl.tally.readings == kProbeStations * kParamCount) {
      result.new_series = kProbeStations * kParamCount;
      result.new_series_ms = s * 1000 / static_cast<double>(result.new_series);
    } else {
      std::printf("    new-series probe failed: %s\n", pl.tally.first_error.c_str());
    }
  }
  result.figures["http_" + std::to_string(row.stations)] = {{"import_s", import_s},
                                                            {"journal_events_in_run", events}};
  int status = node.stop();
  if (status != 0) {
    row.failed = true;
    row.error = "the node exited with status " + std::to_string(status);
  }
}

// ---- the baseline: plain inserts
// -------------------------------------------------------------

struct Sql {
  sqlite3 *db = nullptr;
  ~Sql() {
    if (db) sqlite3_close(db);
  }
  void exec(const char *sql) {
    char *err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(std::string("baseline: ") + sql + ": " + m);
    }
  }
};

void run_baseline(const IngestOptions &o, IngestRow &row) {
  fs::path parent = o.tmp.empty() ? fs::temp_directory_path() : fs::path(o.tmp);
  std::string dir = (parent / "liandong-bench-sqlite-XXXXXX").string();
  if (!::mkdtemp(dir.data())) throw std::runtime_error("mkdtemp in " + parent.string() + " failed");
  struct Remove {
    std::string d;
    bool keep;
    ~Remove() {
      std::error_code ec;
      if (!keep) fs::remove_all(d, ec);
    }
  } remove{dir, o.keep_data};

  Sql sql;
  if (sqlite3_open((fs::path(dir) / "readings.db").c_str(), &sql.db) != SQLITE_OK)
    throw std::runtime_error("baseline: cannot open a SQLite file in " + dir);
  // As the node's readings.db (src/store/sqlite_readings.cpp): WAL,
  // synchronous=FULL, a 64 MiB page cache, checkpoint every 10,000 pages, the
  // same WITHOUT ROWID table.
  sql.exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA "
      "journal_size_limit=67108864; "
      "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;"
      "CREATE TABLE readings(series INTEGER NOT NULL, t_ms INTEGER NOT NULL, "
      "value REAL NOT NULL,"
      " quality INTEGER NOT NULL, PRIMARY KEY(series, t_ms)) WITHOUT ROWID;");
  sqlite3_stmt *ins = nullptr;
  if (sqlite3_prepare_v2(sql.db,
                         "INSERT INTO readings(series, t_ms, value, quality) "
                         "VALUES(?1, ?2, ?3, ?4)",
                         -1, &ins, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("baseline: prepare: ") + sqlite3_errmsg(sql.db));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> stmt(ins, sqlite3_finalize);

  const int64_t t0 = first_round_ms();
  Cursor cursor(1, row.stations, std::nullopt);
  struct R {
    int64_t series, t_ms;
    double value;
  };
  std::vector<R> batch;
  // One transaction of `o.batch` rows; the rows are made before it starts.
  auto insert_batch = [&]() {
    batch.clear();
    for (; batch.size() < o.batch; cursor.advance())
      batch.push_back(
          {static_cast<int64_t>((cursor.station() - 1) * kParamCount) + cursor.param() + 1,
           t0 + static_cast<int64_t>(cursor.round()) * kIntervalMs,
           value_of(cursor.station(), cursor.param(), cursor.round())});
    sql.exec("BEGIN IMMEDIATE");
    for (const R &r : batch) {
      sqlite3_bind_int64(ins, 1, r.series);
      sqlite3_bind_int64(ins, 2, r.t_ms);
      sqlite3_bind_double(ins, 3, r.value);
      sqlite3_bind_int64(ins, 4, 0);
      if (sqlite3_step(ins) != SQLITE_DONE)
        throw std::runtime_error(std::string("baseline: insert: ") + sqlite3_errmsg(sql.db));
      sqlite3_reset(ins);
    }
    sql.exec("COMMIT");
  };
  // The same priming round as the node's, then the same warm-up and window.
  while (cursor.round() < 1) insert_batch();
  row.baseline_busy = 0;
  double before = o.wait_quiet_s > 0 ? wait_quiet(o.wait_quiet_s) : 0.0;
  row.busy_before = std::max(row.busy_before, before);
  auto start = Clock::now();
  auto from = start + std::chrono::milliseconds(static_cast<int64_t>(o.warmup_s * 1000));
  auto to = from + std::chrono::milliseconds(static_cast<int64_t>(o.measure_s * 1000));
  while (Clock::now() < from) insert_batch();
  double cpu0 = process_cpu_seconds();
  MachineCpu m0 = machine_cpu();
  uint64_t rows = 0;
  std::vector<uint32_t> commit_us;
  Clock::time_point t;
  while ((t = Clock::now()) < to) {
    insert_batch();
    auto done = Clock::now();
    if (done < to) {
      rows += o.batch;
      commit_us.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(done - t).count()));
    }
  }
  row.baseline_cpu = (process_cpu_seconds() - cpu0) / o.measure_s;
  row.baseline_busy = cores_between(m0, machine_cpu());
  row.baseline_rows_per_s = static_cast<double>(rows) / o.measure_s;
  std::sort(commit_us.begin(), commit_us.end());
  row.baseline_commit_p50_ms = percentile_ms(commit_us, 0.50);
  row.baseline_commit_p99_ms = percentile_ms(commit_us, 0.99);
}

json row_json(const IngestRow &r) {
  return {{"stations", r.stations},
          {"series", r.stations * kParamCount},
          {"readings_per_s", std::round(r.readings_per_s)},
          {"requests_per_s", r.requests_per_s},
          {"p50_ms", r.p50_ms},
          {"p90_ms", r.p90_ms},
          {"p99_ms", r.p99_ms},
          {"max_ms", r.max_ms},
          {"errors", r.errors},
          {"rejected_lines", r.rejected_lines},
          {"prime_s", r.prime_s},
          {"warnings", r.warnings},
          {"node_cpu_cores", r.node_cpu},
          {"generator_cpu_cores", r.gen_cpu},
          {"machine_busy_cores", r.machine_busy},
          {"other_cpu_cores", std::max(0.0, r.machine_busy - r.node_cpu - r.gen_cpu)},
          {"busy_before_cores", r.busy_before},
          {"baseline_rows_per_s", std::round(r.baseline_rows_per_s)},
          {"baseline_commit_p50_ms", r.baseline_commit_p50_ms},
          {"baseline_commit_p99_ms", r.baseline_commit_p99_ms},
          {"baseline_cpu_cores", r.baseline_cpu},
          {"baseline_machine_busy_cores", r.baseline_busy},
          {"ratio", std::round(r.ratio * 1000) / 1000},
          {"failed", r.failed},
          {"error", r.error}};
}

}  // namespace

IngestResult run_ingestion(const IngestOptions &o) {
  IngestResult result;
  std::printf(
      "\ningestion: POST /api/v1/readings/lines into `liandong serve` "
      "(fresh data folder, loopback),\n"
      "  %d keep-alive connections, closed loop, %zu lines a request; "
      "water-quality stations with\n"
      "  cadmium, ammonia_nitrogen, dissolved_oxygen every 300 s "
      "(threshold, rate, flat line and\n"
      "  missing-data detectors on, 1 station in 200 per parameter "
      "over its limit half the time);\n"
      "  baseline: the same rows, plain prepared INSERTs into SQLite "
      "(WAL, synchronous=FULL,\n"
      "  WITHOUT ROWID (series, t_ms)), %zu rows a transaction, one "
      "thread, no HTTP, no detectors.\n"
      "  Per row: 1 priming round (every series' first reading), %.1f "
      "s warm-up, %.1f s measured.\n",
      o.connections, o.batch, o.batch, o.warmup_s, o.measure_s);
  std::fflush(stdout);
  bool first = true;
  for (size_t n : o.stations) {
    IngestRow row;
    row.stations = n;
    std::printf("  %zu stations (%zu series):\n", n, n * kParamCount);
    std::fflush(stdout);
    try {
      double before = o.wait_quiet_s > 0 ? wait_quiet(o.wait_quiet_s) : 0.0;
      run_http(o, row, result, first && o.probe_new_series);
      row.busy_before = std::max(row.busy_before, before);
      first = false;
      std::printf("    http: %.0f readings/s, p99 %.1f ms (priming round %.1f s)\n",
                  row.readings_per_s, row.p99_ms, row.prime_s);
      std::fflush(stdout);
      run_baseline(o, row);
      std::printf("    baseline: %.0f rows/s\n", row.baseline_rows_per_s);
    } catch (const std::exception &e) {
      row.failed = true;
      row.error = e.what();
      std::printf("    FAILED: %s\n", e.what());
    }
    if (row.errors > 0 || row.rejected_lines > 0) {
      row.failed = true;
      if (row.error.empty())
        row.error = std::to_string(row.errors) + " failed requests, " +
                    std::to_string(row.rejected_lines) +
                    " rejected lines; first: " + row.first_error;
    }
    row.ratio = row.baseline_rows_per_s > 0 ? row.readings_per_s / row.baseline_rows_per_s : 0;
    result.failed = result.failed || row.failed;
    result.rows.push_back(row);
    std::fflush(stdout);
  }

  std::printf("\n%9s %11s %7s %7s %7s %8s %7s %7s %8s %5s %5s %5s %12s %8s %6s\n", "stations",
              "readings/s", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "prime s", "warnings",
              "node", "gen", "busy", "plain rows/s", "cmt p50", "ratio");
  double worst_other = 0;
  for (const auto &r : result.rows) {
    std::printf(
        "%9zu %11.0f %7.1f %7.1f %7.1f %8.1f %7llu %7.1f %8llu %5.2f "
        "%5.2f %5.2f %12.0f %8.1f %6.3f%s\n",
        r.stations, r.readings_per_s, r.requests_per_s, r.p50_ms, r.p99_ms, r.max_ms,
        static_cast<unsigned long long>(r.errors + r.rejected_lines), r.prime_s,
        static_cast<unsigned long long>(r.warnings), r.node_cpu, r.gen_cpu, r.machine_busy,
        r.baseline_rows_per_s, r.baseline_commit_p50_ms, r.ratio, r.failed ? "  FAILED" : "");
    worst_other = std::max(worst_other, r.machine_busy - r.node_cpu - r.gen_cpu);
    worst_other = std::max(worst_other, r.baseline_busy - r.baseline_cpu);
  }
  std::printf(
      "  readings/s: acknowledged durable (accepted in 200 answers); "
      "p50..max: request latency;\n"
      "  prime s: the first round (every series' first reading); "
      "warnings: raised by detectors\n"
      "  (list capped at 1000); node, gen, busy: CPU cores of the "
      "node, this generator and the\n"
      "  machine in the window; plain rows/s and cmt p50 (ms a "
      "transaction): the baseline;\n"
      "  ratio: readings/s over plain rows/s\n");
  if (result.new_series_ms)
    std::printf(
        "  new series: %zu first readings of series the node had never "
        "seen: %.2f ms each\n",
        result.new_series, *result.new_series_ms);
  if (worst_other > 0.25)
    std::printf(
        "WARNING: other processes used up to %.2f cores during a "
        "measured window; the figures\n"
        "  understate the node (and the baseline). Re-run on a quiet "
        "machine.\n",
        worst_other);
  for (const auto &r : result.rows)
    if (r.failed) std::printf("  %zu stations FAILED: %s\n", r.stations, r.error.c_str());

  json rows = json::object();
  for (const auto &r : result.rows) rows[std::to_string(r.stations)] = row_json(r);
  result.figures["rows"] = rows;
  result.figures["new_series_ms"] =
      result.new_series_ms ? json(*result.new_series_ms) : json(nullptr);
  result.figures["settings"] = {{"batch", o.batch},
                                {"connections", o.connections},
                                {"warmup_s", o.warmup_s},
                                {"measure_s", o.measure_s},
                                {"http_threads", o.http_threads}};
  return result;
}

}  // namespace liandong::bench
