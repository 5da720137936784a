#include "app/demo_crews.h"

#include "core/log.h"
#include "dispatch/requirement.h"
#include "dispatch/unit_status.h"

namespace liandong::app::demo {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kSpeedMps = 11.0;  // about 40 km/h through town

// splitmix64
uint64_t next(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

core::LonLat lerp(const core::LonLat& a, const core::LonLat& b, double f) {
  return {a.lon + (b.lon - a.lon) * f, a.lat + (b.lat - a.lat) * f};
}

}  // namespace

void Crews::start() {
  rng_ = seed_;
  thread_ = std::thread([this] { run(); });
}

void Crews::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Crews::run() {
  while (!stop_) {
    auto started = Clock::now();
    try {
      tick();
    } catch (const std::exception& e) {
      core::log::warn("demo crews: a step failed", {{"error", e.what()}});
    }
    while (!stop_ && Clock::now() - started < std::chrono::seconds(1))
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool Crews::change(const std::string& unit_id, const std::string& status, const std::string& reason) {
  auto r = engine_.execute(engine::ChangeUnitStatus{unit_id, status, reason, std::nullopt}, engine::Actor("demo"));
  return r.is_ok();
}

void Crews::send_fix(const engine::Unit& unit, const core::LonLat& p, double speed_kmh) {
  fleet::Fix f;
  f.object_id = unit.id;
  f.time = std::chrono::time_point_cast<core::Millis>(std::chrono::system_clock::now());
  f.lon = p.lon;
  f.lat = p.lat;
  f.speed_kmh = speed_kmh;
  auto r = fleet_.ingest({std::move(f)});
  if (!r.is_ok() || (*r)[0].kind == fleet::FixOutcome::Kind::kRejected)
    core::log::warn("demo crews: a fix was not taken", {{"unit", unit.id},
                                                         {"why", r.is_ok() ? (*r)[0].reason : r.status().to_string()}});
}

std::vector<core::LonLat> Crews::way(const engine::Unit& unit, const core::LonLat& from, const core::LonLat& to) {
  auto route = fleet_.route_from_unit(unit.id, to);
  std::vector<core::LonLat> out;
  if (route.is_ok() && route->time_ms != routing::kInfinity && route->geometry.size() >= 2) {
    for (const auto& c : route->geometry) out.push_back({c.lon(), c.lat()});
    out.push_back(to);
  } else {
    out = {from, to};
  }
  return out;
}

void Crews::auto_dispatch(const engine::View& view) {
  auto now = std::chrono::system_clock::now();
  for (size_t i = view.incidents.size(); i-- > 0;) {
    const auto& inc = view.incidents[i];
    if (engine::is_final_status(inc.status)) continue;
    if (tried_.count(inc.id)) {
      if (i + 200 < view.incidents.size()) break;  // older incidents were all looked at
      continue;
    }
    if (!inc.location || !inc.assignments.empty()) continue;
    if (now - inc.opened_at < auto_dispatch_after) continue;
    tried_[inc.id] = true;
    if (next(rng_) % 3 == 0) continue;  // this one waits for a person
    const auto* type = engine_.taxonomy().find(inc.type);
    if (!type || type->response.empty()) continue;
    dispatch::Requirement need;
    for (const auto& s : type->response) need.slots.push_back({s.type, s.count, s.capabilities});
    auto rec = fleet_.recommend({inc.id, inc.jurisdiction, *inc.location, need, false});
    if (!rec.is_ok()) continue;
    engine::DispatchUnits send;
    send.incident_id = inc.id;
    send.recommended = true;
    for (const auto& slot : rec->slots)
      for (const auto& u : slot.units) {
        engine::DispatchUnits::Pick pick{u.unit_id, std::nullopt};
        if (u.eta_ms) pick.eta_s = *u.eta_ms / 1000;
        send.units.push_back(std::move(pick));
      }
    if (send.units.empty()) continue;
    auto r = engine_.execute(std::move(send), engine::Actor("demo"));
    if (!r.is_ok()) core::log::debug("demo crews: dispatch refused", {{"incident", inc.id}, {"error", r.status().to_string()}});
  }
}

void Crews::act(const engine::Unit& unit, const engine::View& view, Crew& crew) {
  auto now = Clock::now();
  const engine::Incident* inc = unit.incident_id.empty() ? nullptr : view.find_incident(unit.incident_id);
  std::optional<core::LonLat> home;
  if (const auto* s = view.find_station(unit.station_id)) home = s->location;
  if (!crew.placed) {
    auto pos = fleet_.position(unit.id);
    if (pos && pos->source != fleet::UnitPosition::Source::kNone) crew.at = pos->at;
    else if (home) crew.at = *home;
    else return;
    crew.placed = true;
  }
  auto drive = [&](double dt) {  // along the path; true on arrival
    double left = kSpeedMps * dt;
    while (crew.leg + 1 < crew.path.size()) {
      const auto& a = crew.path[crew.leg];
      const auto& b = crew.path[crew.leg + 1];
      double seg = core::distance_m(a, b);
      if (crew.along_m + left < seg) {
        crew.along_m += left;
        crew.at = lerp(a, b, seg > 0 ? crew.along_m / seg : 1);
        return false;
      }
      left -= seg - crew.along_m;
      crew.along_m = 0;
      ++crew.leg;
      crew.at = b;
    }
    return true;
  };
  if (crew.phase != unit.status) {  // a person (or the demo) changed the status: start the new phase
    crew.phase = unit.status;
    crew.path.clear();
    crew.leg = 0;
    crew.along_m = 0;
    uint64_t r = next(rng_);
    if (unit.status == "dispatched") crew.next = now + std::chrono::seconds(30 + r % 41);
    else if (unit.status == "on_scene") crew.next = now + std::chrono::seconds(120 + r % 181);
    else crew.next = now;
    if (unit.status == "en_route" && inc && inc->location) crew.path = way(unit, crew.at, *inc->location);
    if (unit.status == "returning" && home) crew.path = way(unit, crew.at, *home);
  }
  if (unit.status == "dispatched" && now >= crew.next) {
    change(unit.id, "en_route");
  } else if (unit.status == "en_route") {
    if (crew.path.empty()) return;
    bool there = drive(1.0);
    send_fix(unit, crew.at, there ? 0 : kSpeedMps * 3.6);
    if (there) change(unit.id, "on_scene");
  } else if (unit.status == "on_scene" && now >= crew.next) {
    change(unit.id, "returning", "demo: job done");
  } else if (unit.status == "returning") {
    if (crew.path.empty()) {
      change(unit.id, "available");
      return;
    }
    bool home_now = drive(1.0);
    send_fix(unit, crew.at, home_now ? 0 : kSpeedMps * 3.6);
    if (home_now) change(unit.id, "available");
  } else if ((unit.status == "available" || unit.status == "out_of_service") && now >= crew.next) {
    send_fix(unit, crew.at, 0);
    crew.next = now + std::chrono::seconds(30);
  }
}

void Crews::tick() {
  auto view = engine_.view();
  auto_dispatch(*view);
  for (size_t i = 0; i < view->units.size(); ++i) {
    const auto& u = view->units[i];
    act(u, *view, crews_[u.id]);
  }
}

}  // namespace liandong::app::demo
