#include "app/demo_monitoring.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numbers>
#include <sstream>

#include "core/log.h"
#include "river/network.h"
#include "watch/fences.h"

namespace liandong::app::demo {

using nlohmann::json;

namespace {

constexpr const char* kRiverFile = "river_dongjiang.geojson";
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kLocalOffsetMs = 8 * 3'600'000;  // 惠州 is UTC+8
constexpr int64_t kCountDaysBefore = 28;           // count history sent on start

struct StationSpec {
  const char* name;
  const char* kind;
  const char* jurisdiction;
  const char* operator_name;
  double lon, lat;
  const char* river_site;  // "" when none
  bool drinking_water_source;
  std::vector<const char*> parameters;
};

// clang-format off
const std::vector<StationSpec>& station_specs() {
  static const std::vector<StationSpec> k = {
      {"西枝江平山断面水质自动站", "water_quality", "441323", "惠州市生态环境局", 114.75601, 22.93466,
       "xz-pingshan", false, {"cadmium", "ammonia_nitrogen", "dissolved_oxygen", "ph"}},
      {"西枝江惠东—惠阳交界断面水质自动站", "water_quality", "441323", "惠州市生态环境局", 114.623, 22.9605,
       "xz-huidong-huiyang", false, {"cadmium", "ammonia_nitrogen", "dissolved_oxygen", "ph"}},
      {"西枝江河口断面水质自动站", "water_quality", "441302", "惠州市生态环境局", 114.435, 23.095,
       "xz-mouth", false, {"cadmium", "ammonia_nitrogen", "dissolved_oxygen", "ph"}},
      {"东江博罗上游断面水质自动站", "water_quality", "441322", "惠州市生态环境局", 114.64665, 23.2822,
       "dj-boluo-up", false, {"cadmium", "ammonia_nitrogen", "dissolved_oxygen", "ph"}},
      {"东江园洲断面水质自动站", "water_quality", "441322", "惠州市生态环境局", 114.18496, 23.11046,
       "dj-yuanzhou", false, {"cadmium", "ammonia_nitrogen", "dissolved_oxygen", "ph"}},
      // The border section lies in 东莞 (441900), outside this node: 博罗 runs the station on its side.
      {"东江惠莞交界断面水质自动站", "water_quality", "441322", "惠州市生态环境局", 114.07609, 23.12,
       "dj-hui-guan", false, {"cadmium", "ammonia_nitrogen", "dissolved_oxygen", "ph"}},
      {"江北水厂取水口水质自动站", "water_quality", "441302", "惠州市生态环境局", 114.38584, 23.11472,
       "dj-jiangbei-intake", true, {"cadmium", "ammonia_nitrogen", "dissolved_oxygen", "ph", "thallium"}},
      {"博罗水文站", "hydrology", "441322", "惠州市水文局", 114.505, 23.16, "", false,
       {"water_level", "discharge"}},
      {"惠阳水文站", "hydrology", "441303", "惠州市水文局", 114.56, 22.995, "", false,
       {"water_level", "discharge"}},
      {"惠城气象站", "weather", "441302", "惠州市气象局", 114.41, 23.08, "", false,
       {"rainfall", "air_temperature", "wind_speed"}},
      {"龙门气象站", "weather", "441324", "惠州市气象局", 114.254, 23.727, "", false,
       {"rainfall", "air_temperature", "wind_speed"}},
      {"惠州市中心人民医院发热门诊", "syndromic", "441302", "惠州市卫生健康局", 114.405, 23.105, "", false,
       {"symptom_count"}},
      {"惠东县人民医院发热门诊", "syndromic", "441323", "惠州市卫生健康局", 114.72, 22.985, "", false,
       {"symptom_count"}},
  };
  return k;
}
// clang-format on

// How a parameter's demo values look: a slow wave around `base` plus noise, rounded.
struct ValueModel {
  const char* code;
  const char* unit;
  double base, wave, noise;
  double scale;  // rounding step
  double min;
};

const ValueModel* model(std::string_view code) {
  static const ValueModel k[] = {
      {"cadmium", "mg/L", 0.0008, 0.0002, 0.0001, 0.00001, 0.0001},
      {"ammonia_nitrogen", "mg/L", 0.35, 0.08, 0.03, 0.001, 0.02},
      {"dissolved_oxygen", "mg/L", 7.2, 0.5, 0.15, 0.01, 5.5},
      {"ph", "", 7.4, 0.15, 0.05, 0.01, 6.5},
      {"thallium", "mg/L", 0.00003, 0.00001, 0.000004, 0.000001, 0.000005},
      {"water_level", "m", 8.5, 0.3, 0.02, 0.01, 0},
      {"discharge", "m3/s", 700, 40, 10, 1, 10},
      {"rainfall", "mm", 0, 0, 0, 0.1, 0},  // rain comes in showers (see value())
      {"air_temperature", "°C", 22, 3, 0.2, 0.1, -5},
      {"wind_speed", "m/s", 3, 1, 0.5, 0.1, 0},
      {"symptom_count", "count", 0, 0, 0, 1, 0},
  };
  for (const auto& m : k)
    if (code == m.code) return &m;
  return nullptr;
}

struct TruckSpec {
  const char* name;
  const char* operator_name;
  std::vector<core::LonLat> loop;
  double start_m;  // where on the loop it starts
};

// Around 惠州 江北水厂取水口 (114.38584, 23.11472).
constexpr double kIntakeLon = 114.38584, kIntakeLat = 23.11472;
constexpr double kFenceHalfLon = 0.006, kFenceHalfLat = 0.004;

const std::vector<TruckSpec>& truck_specs() {
  static const std::vector<TruckSpec> k = {
      // West to east along the river road through the protection zone, back on a road to the south.
      {"粤L·D7381 危化品槽罐车",
       "惠州市安运危险品运输有限公司",
       {{114.355, 23.1147}, {114.415, 23.1147}, {114.415, 23.095}, {114.355, 23.095}},
       1750},  // about 800 m west of the fence: it enters a minute after start
      // North to south across the zone, then back up a road to the east of it.
      {"粤L·H2706 危化品厢式货车",
       "惠州市宏达化工物流有限公司",
       {{114.3858, 23.13}, {114.3858, 23.10}, {114.40, 23.10}, {114.40, 23.13}},
       0},
  };
  return k;
}

json fence_area() {
  const double w = kIntakeLon - kFenceHalfLon, e = kIntakeLon + kFenceHalfLon;
  const double s = kIntakeLat - kFenceHalfLat, n = kIntakeLat + kFenceHalfLat;
  return {{"type", "Polygon"},
          {"coordinates",
           json::array({json::array({json::array({w, s}), json::array({e, s}), json::array({e, n}),
                                     json::array({w, n}), json::array({w, s})})})}};
}

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in [-1, 1).
double noise(uint64_t& state) {
  return static_cast<double>(splitmix(state) >> 11) * 0x1.0p-52 - 1.0;
}

int64_t local_day(core::Timestamp t) {
  int64_t ms = core::to_unix_millis(t) + kLocalOffsetMs;
  return ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
}

core::Result<json> run(engine::Engine& engine, engine::Command c) {
  auto r = engine.execute(std::move(c), "demo");
  if (!r) return r.status();
  return r->body;
}

}  // namespace

std::string river_network_path(const std::string& examples_dir) {
  return (std::filesystem::path(examples_dir) / kRiverFile).string();
}

int64_t demo_symptom_count(size_t station, int64_t day) {
  // A fixed pattern of small deviations (sd about 1.7) around a flat level: no outbreak.
  static const int kDeviation[] = {0, 2,  -1, 1,  -2, 0, 3,  -1, 1,  -3, 0,
                                   2, -2, 1,  -1, 0,  2, -2, 1,  -1, 0};
  constexpr int64_t kPattern = static_cast<int64_t>(std::size(kDeviation));
  const int64_t base = station == 0 ? 18 : 11;
  int64_t i = ((day + static_cast<int64_t>(station) * 7) % kPattern + kPattern) % kPattern;
  return base + kDeviation[i];
}

const std::vector<double>& demo_cadmium_spike(size_t shape) {
  // Class III cadmium is 0.005 mg/L. Shape 0 peaks at 2.3× over (yellow), shape 1 at 4.2× over
  // (orange); both end with two readings under the hysteresis band, which clears the condition.
  static const std::vector<double> k[2] = {
      {0.0062, 0.0118, 0.0165, 0.0142, 0.0093, 0.0058, 0.0031, 0.0014},
      {0.0071, 0.0138, 0.0224, 0.0261, 0.0187, 0.0102, 0.0039, 0.0016},
  };
  return k[shape % 2];
}

core::Status seed_monitoring(engine::Engine& engine, const std::string& examples_dir) {
  auto view = engine.view();
  if (!view->river) {
    const std::string path = river_network_path(examples_dir);
    std::ifstream in(path);
    if (!in) return core::unavailable("cannot read the demo's river network " + path);
    std::stringstream text;
    text << in.rdbuf();
    auto network = river::Network::from_geojson(text.str());
    if (!network)
      return core::invalid(path + ": " + network.status().message(), network.status().field());
    auto r =
        run(engine, engine::LoadRiverNetwork{
                        text.str(), std::make_shared<const river::Network>(std::move(*network))});
    if (!r) return r.status();
  }
  if (!view->monitoring_stations.empty()) return core::Status::ok();

  std::vector<engine::MonitoringStation> stations;
  for (const auto& spec : station_specs()) {
    engine::MonitoringStation s;
    s.jurisdiction = spec.jurisdiction;
    s.name = spec.name;
    s.kind = spec.kind;
    s.sampling = "automatic";
    s.operator_name = spec.operator_name;
    s.location = {spec.lon, spec.lat};
    s.target_class = 3;
    s.drinking_water_source = spec.drinking_water_source;
    s.river_site = spec.river_site;
    s.counts = s.kind == "syndromic";
    for (const char* code : spec.parameters) {
      engine::StationParameter p;
      p.code = code;
      p.unit = model(code)->unit;
      p.interval_s = s.counts ? 86400 : 300;
      s.parameters.push_back(std::move(p));
    }
    stations.push_back(std::move(s));
  }
  auto registered = run(engine, engine::RegisterMonitoringStations{std::move(stations)});
  if (!registered) return registered.status();

  for (const auto& spec : truck_specs()) {
    auto r = run(engine, engine::RegisterTrackedObject{
                             {"", "441302", "hazmat_vehicle", spec.name, spec.operator_name}});
    if (!r) return r.status();
  }
  engine::FenceRecord fence;
  fence.jurisdiction = "441302";
  fence.name = "江北水厂取水口一级保护区";
  fence.kind = "water_source_protection";
  fence.area = fence_area();
  if (auto poly = watch::polygon_from_geojson(fence.area); !poly) return poly.status();
  fence.on_enter = true;
  fence.object_kinds = {"hazmat_vehicle"};
  fence.warning_level = "orange";
  auto f = run(engine, engine::CreateFence{std::move(fence)});
  if (!f) return f.status();
  core::log::info("demo monitoring seeded", {{"stations", std::to_string(station_specs().size())},
                                             {"trucks", std::to_string(truck_specs().size())}});
  return core::Status::ok();
}

void MonitoringTrickle::start() {
  auto view = engine_.view();
  const auto& specs = station_specs();
  for (size_t k = 0; k < specs.size(); ++k) {
    const engine::MonitoringStation* found = nullptr;
    for (size_t i = 0; i < view->monitoring_stations.size() && !found; ++i)
      if (view->monitoring_stations[i].name == specs[k].name) found = &view->monitoring_stations[i];
    if (!found) {
      core::log::warn("demo monitoring station missing", {{"name", specs[k].name}});
      continue;
    }
    Station s{found->id, found->kind, found->river_site, {}, k};
    for (const auto& p : found->parameters) s.parameters.push_back(p.code);
    if (s.river_site == "xz-pingshan" || s.river_site == "dj-boluo-up")
      spike_sites_.push_back(stations_.size());
    stations_.push_back(std::move(s));
  }
  for (const auto& spec : truck_specs()) {
    const engine::TrackedObject* found = nullptr;
    for (size_t i = 0; i < view->tracked_objects.size() && !found; ++i)
      if (view->tracked_objects[i].name == spec.name) found = &view->tracked_objects[i];
    if (!found) {
      core::log::warn("demo truck missing", {{"name", spec.name}});
      continue;
    }
    Truck t{found->id, spec.loop, 0, 0};
    for (size_t i = 0; i < t.loop.size(); ++i)
      t.length_m += core::distance_m(t.loop[i], t.loop[(i + 1) % t.loop.size()]);
    t.along_m = std::fmod(spec.start_m, t.length_m);
    trucks_.push_back(std::move(t));
  }
  rng_ = seed_;
  spike_reading_ = SIZE_MAX;
  next_spike_ = std::chrono::steady_clock::now() + first_spike_after;
  first_day_ = local_day(clock_.now()) - kCountDaysBefore;
  counts_sent_to_ = first_day_;
  thread_ = std::thread([this] { run(); });
}

void MonitoringTrickle::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void MonitoringTrickle::run() {
  auto last = std::chrono::steady_clock::now();
  while (!stop_) {
    const auto now = std::chrono::steady_clock::now();
    tick(clock_.now(), std::chrono::duration<double>(now - last).count());
    last = now;
    const auto until = now + every;
    while (!stop_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void MonitoringTrickle::report_refusal(const std::string& what, const std::string& message) {
  // The first few are enough to see what is wrong; the rest would flood the log.
  if (refusals_.fetch_add(1) < 10)
    core::log::warn("demo " + what + " refused", {{"error", message}});
}

double MonitoringTrickle::value(const Station& s, const std::string& parameter,
                                core::Timestamp now) {
  const ValueModel* m = model(parameter);
  if (!m) return 0;
  const double t_s = static_cast<double>(core::to_unix_millis(now)) / 1000.0;
  const double phase = static_cast<double>(s.index) * 1.3 + static_cast<double>(parameter.size());
  double v;
  if (parameter == "rainfall") {
    // Showers: about one tenth of the time, a few tenths of a millimetre per interval.
    double shower = std::sin(2 * std::numbers::pi * t_s / 1800 + phase);
    v = shower > 0.8 ? (shower - 0.8) * 5 + 0.3 * (1 + noise(rng_)) : 0;
  } else if (parameter == "air_temperature") {
    v = m->base +
        m->wave *
            std::sin(2 * std::numbers::pi * (t_s + kLocalOffsetMs / 1000.0 - 9 * 3600) / 86400) +
        m->noise * noise(rng_);
  } else {
    double base = m->base;
    if (parameter == "water_level") base += static_cast<double>(s.index % 3) * 1.7;
    if (parameter == "discharge" && s.index % 2 == 0)
      base = 120;  // the 西枝江 is the smaller river
    v = base + m->wave * std::sin(2 * std::numbers::pi * t_s / 1800 + phase) +
        m->noise * noise(rng_);
  }
  v = std::max(m->min, v);
  const double steps = std::round(1 / m->scale);  // divide by a whole number: 0.00094, not …0001
  return std::round(v * steps) / steps;
}

void MonitoringTrickle::send_counts(core::Timestamp now) {
  const int64_t today = local_day(now);
  if (counts_sent_to_ >= today) return;
  std::vector<readings::Reading> rs;
  for (int64_t d = counts_sent_to_; d < today; ++d) {
    size_t n = 0;
    for (const auto& s : stations_) {
      if (s.kind != "syndromic") continue;
      // Each day's count is stamped at the start of the local day it counts.
      const core::Timestamp at = core::from_unix_millis(d * kDayMs - kLocalOffsetMs);
      rs.push_back({s.id, "symptom_count", at,
                    static_cast<double>(demo_symptom_count(n++, d - first_day_))});
    }
  }
  counts_sent_to_ = today;
  if (rs.empty()) return;
  watch_.ingest(std::move(rs), [this](core::Result<watch::IngestAnswer> a) {
    if (!a) return report_refusal("counts", a.status().to_string());
    for (const auto& r : a->refused) report_refusal("count", r.field + ": " + r.message);
  });
}

core::LonLat MonitoringTrickle::position(const Truck& t) const {
  double left = t.along_m;
  for (size_t i = 0; i < t.loop.size(); ++i) {
    const core::LonLat& a = t.loop[i];
    const core::LonLat& b = t.loop[(i + 1) % t.loop.size()];
    const double leg = core::distance_m(a, b);
    if (left <= leg && leg > 0) {
      const double f = left / leg;
      return {a.lon + (b.lon - a.lon) * f, a.lat + (b.lat - a.lat) * f};
    }
    left -= leg;
  }
  return t.loop.front();
}

void MonitoringTrickle::tick(core::Timestamp now, double seconds) {
  send_counts(now);

  if (spike_reading_ == SIZE_MAX && !spike_sites_.empty() &&
      std::chrono::steady_clock::now() >= next_spike_) {
    const size_t k = next_spike_site_++ % spike_sites_.size();
    spike_station_ = spike_sites_[k];
    spike_shape_ = k;
    spike_reading_ = 0;
    next_spike_ += spike_every;
    core::log::info("demo cadmium spike",
                    {{"station", stations_[spike_station_].id},
                     {"site", stations_[spike_station_].river_site},
                     {"readings", std::to_string(demo_cadmium_spike(spike_shape_).size())}});
  }

  std::vector<readings::Reading> rs;
  for (size_t i = 0; i < stations_.size(); ++i) {
    const Station& s = stations_[i];
    if (s.kind == "syndromic") continue;
    for (const auto& p : s.parameters) {
      double v = value(s, p, now);
      if (p == "cadmium" && i == spike_station_ && spike_reading_ != SIZE_MAX)
        v = demo_cadmium_spike(spike_shape_)[spike_reading_];
      rs.push_back({s.id, p, now, v});
    }
  }
  if (spike_reading_ != SIZE_MAX && ++spike_reading_ >= demo_cadmium_spike(spike_shape_).size())
    spike_reading_ = SIZE_MAX;
  if (!rs.empty())
    watch_.ingest(std::move(rs), [this](core::Result<watch::IngestAnswer> a) {
      if (!a) return report_refusal("readings", a.status().to_string());
      for (const auto& r : a->refused) report_refusal("reading", r.field + ": " + r.message);
    });

  constexpr double kTruckKmh = 45;
  std::vector<watch::ObjectFix> fixes;
  for (auto& t : trucks_) {
    t.along_m = std::fmod(t.along_m + kTruckKmh / 3.6 * std::min(seconds, 60.0), t.length_m);
    fixes.push_back({t.id, now, position(t), kTruckKmh});
  }
  if (!fixes.empty())
    watch_.track(std::move(fixes), [this](core::Result<watch::TrackAnswer> a) {
      if (!a) return report_refusal("fixes", a.status().to_string());
      for (const auto& r : a->refused) report_refusal("fix", r.field + ": " + r.message);
    });
}

}  // namespace liandong::app::demo
