#include "fleet/fleet.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <limits>
#include <shared_mutex>

#include "core/ids.h"
#include "core/log.h"
#include "dispatch/unit_status.h"
#include "fleet/internal/recommender.h"
#include "fleet/internal/roster.h"
#include "routing/source_index.h"

namespace liandong::fleet {

using internal::Roster;
using internal::Tracked;
using SteadyClock = std::chrono::steady_clock;

const char* to_string(FixOutcome::Kind k) {
  switch (k) {
    case FixOutcome::Kind::kApplied: return "applied";
    case FixOutcome::Kind::kDuplicate: return "duplicate";
    case FixOutcome::Kind::kOutOfOrder: return "out_of_order";
    case FixOutcome::Kind::kRejected: return "rejected";
  }
  return "?";
}

const char* to_string(UnitPosition::Source s) {
  switch (s) {
    case UnitPosition::Source::kFix: return "fix";
    case UnitPosition::Source::kStation: return "station";
    case UnitPosition::Source::kNone: return "none";
  }
  return "?";
}

namespace internal {

UnitPosition position_of(const Tracked& t, core::Timestamp now, core::Millis stale_after) {
  UnitPosition p;
  p.unit_id = t.id;
  p.on_road = t.place.valid();
  if (t.fix) {
    p.at = {t.fix->lon, t.fix->lat};
    p.source = UnitPosition::Source::kFix;
    p.fix_time = t.fix->time;
    p.speed_kmh = t.fix->speed_kmh;
    p.heading_deg = t.fix->heading_deg;
    p.stale = now - t.fix->time > stale_after;
  } else {
    p.stale = true;
    if (t.station) {
      p.at = *t.station;
      p.source = UnitPosition::Source::kStation;
    }
  }
  return p;
}

}  // namespace internal

namespace {

constexpr int64_t kNoFix = std::numeric_limits<int64_t>::min();
constexpr size_t kMaxPendingStore = 500000;  // fixes kept for the store while it fails
constexpr uint32_t kReindexDriftMs = 3000;    // travel time a unit may drift along its road unindexed

int64_t ms_of(core::Timestamp t) { return t.time_since_epoch().count(); }

std::string age_text(core::Millis d) {
  auto s = d.count() / 1000;
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  return std::to_string(s / 3600) + " h";
}

}  // namespace

struct Fleet::Impl {
  struct FixJob {
    uint32_t unit = 0;
    Fix fix;
    routing::Place place;  // invalid: not on the road graph
    SteadyClock::time_point queued;
  };
  struct UnitsJob {
    std::vector<uint32_t> units;
    std::shared_ptr<const engine::View> view;
  };

  Impl(const FleetOptions& o, const routing::RoadNetwork* n, const routing::SnapIndex* s, PositionStore& st,
       const core::Clock& c)
      : options(o), network(n), snap(s), store(st), clock(c) {
    if (network && snap) {
      index = std::make_unique<routing::SourceIndex>(network->graph, network->ch);
      query = std::make_unique<routing::ChQuery>(network->graph, network->ch);
    }
  }

  const FleetOptions& options;
  const routing::RoadNetwork* network;
  const routing::SnapIndex* snap;
  PositionStore& store;
  const core::Clock& clock;
  std::string node;

  // The roster: written by the worker (under unique roster_mu), read by others (shared).
  Roster roster;
  mutable std::shared_mutex roster_mu;
  std::unique_ptr<routing::SourceIndex> index;  // worker only
  std::unique_ptr<routing::ChQuery> query;      // worker only

  // Ingest: the newest fix time accepted per unit.
  std::mutex ingest_mu;
  std::vector<int64_t> newest_ms;
  std::atomic<size_t> unit_count{0};

  // The worker's queues.
  mutable std::mutex mu;
  std::condition_variable cv;
  std::condition_variable drained_cv;
  std::deque<std::function<void()>> urgent;
  std::deque<UnitsJob> unit_jobs;
  std::deque<FixJob> fixes;
  uint64_t fixes_queued = 0, fixes_done = 0;
  std::vector<int64_t> queued_newest;  // per unit: the time of its newest queued fix (under mu)
  uint64_t superseded = 0;             // queued fixes skipped because a newer one of the unit was queued
  bool stopping = false;
  bool running = false;
  std::thread worker;

  // The flusher (store writes).
  std::mutex flush_mu;
  std::condition_variable flush_cv;
  std::vector<Fix> to_store;
  bool flush_stop = false;
  std::thread flusher;

  std::atomic<uint64_t> applied{0}, duplicate{0}, out_of_order{0}, rejected{0}, stored{0}, store_errors{0},
      recommendations{0}, max_lag_us{0};

  // --- the worker's side ---

  Tracked& slot(uint32_t u) {
    if (roster.units.size() <= u) roster.units.resize(u + 1);
    return roster.units[u];
  }

  // Puts the unit in the index, moves it, or takes it out, as its state says. Caller holds roster_mu.
  void place_in_index(uint32_t u) {
    Tracked& t = roster.units[u];
    bool want = index && t.known && t.dispatchable && t.group != routing::kInvalid && t.place.valid();
    if (want) {
      index->set(u, t.place, t.group);
      t.indexed_place = t.place;
    } else if (t.in_index) {
      index->remove(u);
    }
    t.in_index = want;
    bool unplaced = t.known && t.dispatchable && !t.place.valid();
    if (unplaced != t.counted_unplaced) {
      roster.unplaced = unplaced ? roster.unplaced + 1 : roster.unplaced - 1;
      t.counted_unplaced = unplaced;
    }
  }

  routing::Place snap_place(double lon, double lat) const {
    if (!snap) return {};
    auto s = snap->snap(lon, lat, options.snap_max_m);
    return s ? s->place : routing::Place{};
  }

  void refresh_unit(uint32_t u, const engine::View& view) {
    const engine::Unit* rec = u < view.units.size() ? &view.units[u] : nullptr;
    if (!rec) return;
    std::optional<core::LonLat> station;
    if (const engine::Station* s = view.find_station(rec->station_id)) station = s->location;
    // Work that needs no lock first (snapping).
    routing::Place station_place;
    bool need_station_place = station && !roster_fix(u);
    if (need_station_place) station_place = snap_place(station->lon, station->lat);

    std::unique_lock lk(roster_mu);
    Tracked& t = slot(u);
    routing::Place old_place = t.place;
    bool old_dispatchable = t.dispatchable;
    uint32_t old_group = t.group;
    t.known = true;
    t.id = rec->id;
    t.call_sign = rec->call_sign;
    t.type = rec->type;
    auto it = std::find(options.unit_types.begin(), options.unit_types.end(), rec->type);
    t.group = it == options.unit_types.end() ? routing::kInvalid : uint32_t(it - options.unit_types.begin());
    t.jurisdiction = rec->jurisdiction;
    t.area = roster.area_of(rec->jurisdiction);
    t.agency_id = rec->agency_id;
    t.station_id = rec->station_id;
    t.capabilities = rec->capabilities;
    t.status = rec->status;
    t.dispatchable = dispatch::is_dispatchable(rec->status);
    t.station = station;
    if (!t.fix) {
      t.place = station ? station_place : routing::Place{};
      t.place_from_fix = false;
    }
    if (t.place != old_place || t.dispatchable != old_dispatchable || t.group != old_group || !t.in_index)
      place_in_index(u);
  }

  bool roster_fix(uint32_t u) {
    std::shared_lock lk(roster_mu);
    return u < roster.units.size() && roster.units[u].fix.has_value();
  }

  void apply_fix(FixJob& job) {
    {
      std::unique_lock lk(roster_mu);
      Tracked& t = slot(job.unit);
      if (!t.fix || job.fix.time > t.fix->time) {
        t.fix = std::move(job.fix);
        t.place = job.place;
        t.place_from_fix = true;
        // The index is moved when the unit changes road, or has drifted more than kReindexDriftMs
        // along it since it was last indexed: most fixes of a moving unit then cost no search.
        const routing::Place& was = t.indexed_place;
        bool same_road = t.in_index && t.place.valid() && t.place.node == was.node && t.place.arc == was.arc;
        bool drifted = !same_road ||
                       (t.place.along_ms > was.along_ms ? t.place.along_ms - was.along_ms : was.along_ms - t.place.along_ms) >
                           kReindexDriftMs;
        if (drifted || t.in_index != (t.dispatchable && t.place.valid())) place_in_index(job.unit);
      }
    }
    auto lag = uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - job.queued).count());
    uint64_t prev = max_lag_us.load(std::memory_order_relaxed);
    while (lag > prev && !max_lag_us.compare_exchange_weak(prev, lag)) {
    }
  }

  void run() {
    for (;;) {
      std::unique_lock lk(mu);
      cv.wait(lk, [&] { return stopping || !urgent.empty() || !unit_jobs.empty() || !fixes.empty(); });
      // Unit changes first (a unit just dispatched must not be recommended again), then
      // recommendations and routes, then position fixes.
      if (!unit_jobs.empty()) {
        UnitsJob job = std::move(unit_jobs.front());
        unit_jobs.pop_front();
        lk.unlock();
        for (uint32_t u : job.units) refresh_unit(u, *job.view);
        lk.lock();
        if (unit_jobs.empty() && fixes.empty()) drained_cv.notify_all();
        continue;
      }
      if (!urgent.empty()) {
        auto f = std::move(urgent.front());
        urgent.pop_front();
        lk.unlock();
        f();
        continue;
      }
      if (!fixes.empty()) {
        FixJob job = std::move(fixes.front());
        fixes.pop_front();
        // A newer fix of the same unit is already queued: only the newest moves it in the index
        // (a backlog then costs one index update per unit, not one per fix).
        if (job.unit < queued_newest.size() && ms_of(job.fix.time) < queued_newest[job.unit]) {
          ++superseded;
          ++fixes_done;
          if (fixes.empty() && unit_jobs.empty()) drained_cv.notify_all();
          continue;
        }
        lk.unlock();
        apply_fix(job);
        lk.lock();
        ++fixes_done;
        if (fixes.empty() && unit_jobs.empty()) drained_cv.notify_all();
        continue;
      }
      if (stopping) return;
    }
  }

  // Runs `f` on the worker ahead of queued fixes and waits for it. False when stopping.
  template <typename F>
  bool on_worker(F&& f) {
    std::packaged_task<void()> task(std::forward<F>(f));
    auto done = task.get_future();
    {
      std::lock_guard lk(mu);
      if (stopping || !running) return false;
      urgent.push_back([&task] { task(); });
    }
    cv.notify_one();
    done.get();
    return true;
  }

  // --- the flusher ---

  void flush_loop() {
    std::vector<Fix> batch;
    for (;;) {
      {
        std::unique_lock lk(flush_mu);
        flush_cv.wait_for(lk, options.flush_interval,
                          [&] { return flush_stop || to_store.size() >= options.flush_batch; });
        if (to_store.empty() && batch.empty()) {
          if (flush_stop) return;
          continue;
        }
        size_t take = std::min(to_store.size(), options.flush_batch > batch.size() ? options.flush_batch - batch.size() : 0);
        batch.insert(batch.end(), std::make_move_iterator(to_store.begin()),
                     std::make_move_iterator(to_store.begin() + long(take)));
        to_store.erase(to_store.begin(), to_store.begin() + long(take));
      }
      auto st = store.append(batch);
      if (st.is_ok()) {
        stored += batch.size();
        batch.clear();
        continue;
      }
      ++store_errors;
      core::log::error("fleet: storing position fixes failed; will retry",
                       {{"error", st.to_string()}, {"fixes", std::to_string(batch.size())}});
      std::unique_lock lk(flush_mu);
      if (flush_stop) {
        core::log::error("fleet: position fixes not stored at shutdown",
                         {{"fixes", std::to_string(batch.size() + to_store.size())}});
        return;
      }
      if (to_store.size() > kMaxPendingStore) {
        size_t drop = to_store.size() - kMaxPendingStore;
        to_store.erase(to_store.begin(), to_store.begin() + long(drop));
        core::log::error("fleet: position store unavailable too long; oldest queued fixes dropped",
                         {{"dropped", std::to_string(drop)}});
      }
      flush_cv.wait_for(lk, std::chrono::seconds(1), [&] { return flush_stop; });
    }
  }
};

Fleet::Fleet(FleetOptions options, const routing::RoadNetwork* network, const routing::SnapIndex* snap,
             PositionStore& store, const core::Clock& clock)
    : options_(std::move(options)), network_(network) {
  if (!snap) network_ = nullptr;
  impl_ = std::make_unique<Impl>(options_, network_, network_ ? snap : nullptr, store, clock);
}

Fleet::~Fleet() { stop(); }

core::Status Fleet::start(std::shared_ptr<const engine::View> view) {
  Impl& m = *impl_;
  m.node = view->node;
  for (uint32_t u = 0; u < view->units.size(); ++u) m.refresh_unit(u, *view);
  m.unit_count = view->units.size();
  auto latest = m.store.latest();
  if (!latest) return latest.status();
  m.newest_ms.assign(view->units.size(), kNoFix);
  size_t placed = 0;
  for (auto& f : *latest) {
    auto u = engine::index_of(f.object_id, m.node, core::kKindUnit, view->units.size());
    if (u < 0) continue;
    m.newest_ms[size_t(u)] = ms_of(f.time);
    Impl::FixJob job{uint32_t(u), f, m.snap_place(f.lon, f.lat), SteadyClock::now()};
    m.apply_fix(job);
    ++placed;
  }
  m.max_lag_us = 0;
  {
    std::lock_guard lk(m.mu);
    m.running = true;
    m.stopping = false;
  }
  m.worker = std::thread([&m] { m.run(); });
  m.flusher = std::thread([&m] { m.flush_loop(); });
  core::log::info("fleet started", {{"units", std::to_string(view->units.size())},
                                     {"with_fix", std::to_string(placed)},
                                     {"roads", network_ ? "yes" : "no"}});
  return core::Status::ok();
}

void Fleet::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard lk(m.mu);
    if (!m.running) return;
    m.stopping = true;
  }
  m.cv.notify_all();
  if (m.worker.joinable()) m.worker.join();
  {
    std::lock_guard lk(m.flush_mu);
    m.flush_stop = true;
  }
  m.flush_cv.notify_all();
  if (m.flusher.joinable()) m.flusher.join();
  std::lock_guard lk(m.mu);
  m.running = false;
}

void Fleet::on_committed(std::span<const engine::Event> events, std::shared_ptr<const engine::View> view) {
  Impl& m = *impl_;
  Impl::UnitsJob job;
  for (const auto& e : events) {
    if (e.type.rfind("unit.", 0) != 0) continue;
    std::string id;
    if (e.type == "unit.registered") {
      if (auto it = e.data.find("unit"); it != e.data.end() && it->contains("id")) id = (*it)["id"].get<std::string>();
    } else if (auto it = e.data.find("unit_id"); it != e.data.end() && it->is_string()) {
      id = it->get<std::string>();
    }
    auto u = engine::index_of(id, view->node, core::kKindUnit, view->units.size());
    if (u >= 0) job.units.push_back(uint32_t(u));
  }
  if (job.units.empty()) return;
  std::sort(job.units.begin(), job.units.end());  // (an import registers thousands at once)
  job.units.erase(std::unique(job.units.begin(), job.units.end()), job.units.end());
  size_t count = view->units.size();
  size_t known = m.unit_count.load();
  while (count > known && !m.unit_count.compare_exchange_weak(known, count)) {
  }
  job.view = std::move(view);
  {
    std::lock_guard lk(m.mu);
    if (!m.running || m.stopping) return;
    m.unit_jobs.push_back(std::move(job));
  }
  m.cv.notify_one();
}

core::Result<std::vector<FixOutcome>> Fleet::ingest(std::vector<Fix> fixes) {
  Impl& m = *impl_;
  {
    std::lock_guard lk(m.mu);
    if (!m.running || m.stopping) return core::unavailable("the fleet is not running");
    if (m.fixes.size() + fixes.size() > options_.queue_limit)
      return core::unavailable("too many position fixes waiting (" + std::to_string(m.fixes.size()) +
                               "); try again shortly");
  }
  auto now = m.clock.now();
  std::vector<FixOutcome> out(fixes.size());
  std::vector<int64_t> unit(fixes.size(), -1);
  size_t count = m.unit_count.load();
  auto reject = [&](size_t i, std::string why, std::string field) {
    out[i] = {FixOutcome::Kind::kRejected, std::move(why), std::move(field)};
  };
  for (size_t i = 0; i < fixes.size(); ++i) {
    const Fix& f = fixes[i];
    unit[i] = engine::index_of(f.object_id, m.node, core::kKindUnit, count);
    if (unit[i] < 0) {
      reject(i, "'" + f.object_id + "' is not a unit of this node", "object_id");
      continue;
    }
    if (!core::validate(core::LonLat{f.lon, f.lat}, "position").is_ok()) {
      reject(i, "longitude/latitude out of range", std::abs(f.lon) > 180 || !std::isfinite(f.lon) ? "lon" : "lat");
    } else if (f.time > now + options_.max_fix_future) {
      reject(i, "time is " + age_text(f.time - now) + " ahead of the node's clock", "time");
    } else if (now - f.time > options_.max_fix_age) {
      reject(i, "time is " + age_text(now - f.time) + " old (fixes older than " + age_text(options_.max_fix_age) +
                    " are refused)",
             "time");
    } else if (f.speed_kmh && (!std::isfinite(*f.speed_kmh) || *f.speed_kmh < 0 || *f.speed_kmh > 1000)) {
      reject(i, "speed_kmh must be 0..1000", "speed_kmh");
    } else if (f.heading_deg && (!std::isfinite(*f.heading_deg) || *f.heading_deg < 0 || *f.heading_deg > 360)) {
      reject(i, "heading_deg must be 0..360", "heading_deg");
    } else if (f.accuracy_m && (!std::isfinite(*f.accuracy_m) || *f.accuracy_m < 0)) {
      reject(i, "accuracy_m must be 0 or more", "accuracy_m");
    }
  }
  {
    std::lock_guard lk(m.ingest_mu);
    if (m.newest_ms.size() < count) m.newest_ms.resize(count, kNoFix);
    for (size_t i = 0; i < fixes.size(); ++i) {
      if (out[i].kind == FixOutcome::Kind::kRejected) continue;
      int64_t& newest = m.newest_ms[size_t(unit[i])];
      int64_t t = ms_of(fixes[i].time);
      if (t == newest) {
        out[i].kind = FixOutcome::Kind::kDuplicate;
      } else if (t > newest) {
        newest = t;
        out[i].kind = FixOutcome::Kind::kApplied;
      } else {
        out[i].kind = FixOutcome::Kind::kOutOfOrder;
      }
    }
  }
  std::vector<Impl::FixJob> jobs;
  std::vector<Fix> keep;
  auto queued = SteadyClock::now();
  for (size_t i = 0; i < fixes.size(); ++i) {
    switch (out[i].kind) {
      case FixOutcome::Kind::kRejected: ++m.rejected; continue;
      case FixOutcome::Kind::kDuplicate: ++m.duplicate; continue;
      case FixOutcome::Kind::kOutOfOrder: ++m.out_of_order; break;
      case FixOutcome::Kind::kApplied: ++m.applied; break;
    }
    fixes[i].received = now;
    if (out[i].kind == FixOutcome::Kind::kApplied) {
      if (fix_listener_) fix_listener_(fixes[i]);
      jobs.push_back({uint32_t(unit[i]), fixes[i], m.snap_place(fixes[i].lon, fixes[i].lat), queued});
    }
    keep.push_back(std::move(fixes[i]));
  }
  if (!jobs.empty()) {
    {
      std::lock_guard lk(m.mu);
      for (auto& j : jobs) {
        if (m.queued_newest.size() <= j.unit) m.queued_newest.resize(j.unit + 1, kNoFix);
        m.queued_newest[j.unit] = std::max(m.queued_newest[j.unit], ms_of(j.fix.time));
        m.fixes.push_back(std::move(j));
      }
      m.fixes_queued += jobs.size();
    }
    m.cv.notify_one();
  }
  if (!keep.empty()) {
    bool wake;
    {
      std::lock_guard lk(m.flush_mu);
      m.to_store.insert(m.to_store.end(), std::make_move_iterator(keep.begin()), std::make_move_iterator(keep.end()));
      wake = m.to_store.size() >= options_.flush_batch;
    }
    if (wake) m.flush_cv.notify_one();
  }
  return out;
}

std::vector<UnitPosition> Fleet::positions() const {
  const Impl& m = *impl_;
  auto now = m.clock.now();
  std::shared_lock lk(m.roster_mu);
  std::vector<UnitPosition> out;
  out.reserve(m.roster.units.size());
  for (const auto& t : m.roster.units)
    if (t.known) out.push_back(internal::position_of(t, now, options_.stale_after));
  return out;
}

std::optional<UnitPosition> Fleet::position(std::string_view unit_id) const {
  const Impl& m = *impl_;
  std::shared_lock lk(m.roster_mu);
  auto u = engine::index_of(unit_id, m.node, core::kKindUnit, m.roster.units.size());
  if (u < 0 || !m.roster.units[size_t(u)].known) return std::nullopt;
  return internal::position_of(m.roster.units[size_t(u)], m.clock.now(), options_.stale_after);
}

core::Result<Recommendation> Fleet::recommend(const RecommendRequest& request) {
  Impl& m = *impl_;
  core::Result<Recommendation> answer = core::unavailable("the fleet is not running");
  bool ran = m.on_worker([&] {
    internal::RecommendContext ctx{m.roster, options_, m.index ? network_ : nullptr, m.snap,
                                   m.index.get(), m.query.get(), m.clock.now()};
    answer = internal::recommend(ctx, request);
  });
  if (ran) ++m.recommendations;
  return answer;
}

core::Result<routing::Route> Fleet::route_from_unit(std::string_view unit_id, const core::LonLat& to) {
  Impl& m = *impl_;
  if (!m.query) return core::unavailable("no road network is loaded");
  core::Result<routing::Route> answer = core::unavailable("the fleet is not running");
  m.on_worker([&] {
    auto u = engine::index_of(unit_id, m.node, core::kKindUnit, m.roster.units.size());
    if (u < 0 || !m.roster.units[size_t(u)].known) {
      answer = core::not_found("no unit " + std::string(unit_id) + " on this node");
      return;
    }
    const Tracked& t = m.roster.units[size_t(u)];
    if (!t.place.valid()) {
      answer = core::conflict("unit " + t.id + " is not on the road network (no fix or station near a road)");
      return;
    }
    auto s = m.snap->snap(to.lon, to.lat, internal::kIncidentSnapMaxM);
    if (!s) {
      answer = s.status();
      return;
    }
    answer = m.query->route(t.place, s->place);
  });
  return answer;
}

std::vector<std::pair<std::string, routing::Place>> Fleet::dispatchable_places(std::string_view type) const {
  const Impl& m = *impl_;
  std::shared_lock lk(m.roster_mu);
  std::vector<std::pair<std::string, routing::Place>> out;
  for (const auto& t : m.roster.units)
    if (t.known && t.dispatchable && t.type == type && t.place.valid()) out.emplace_back(t.id, t.place);
  return out;
}

FleetStats Fleet::stats() const {
  const Impl& m = *impl_;
  FleetStats s;
  s.fixes_applied = m.applied;
  s.fixes_duplicate = m.duplicate;
  s.fixes_out_of_order = m.out_of_order;
  s.fixes_rejected = m.rejected;
  s.fixes_stored = m.stored;
  s.store_errors = m.store_errors;
  s.recommendations = m.recommendations;
  s.max_apply_lag_us = m.max_lag_us;
  {
    std::lock_guard lk(m.mu);
    s.fixes_superseded = m.superseded;
  }
  {
    std::lock_guard lk(m.mu);
    s.queued = m.fixes.size();
  }
  return s;
}

void Fleet::drain() {
  Impl& m = *impl_;
  std::unique_lock lk(m.mu);
  m.drained_cv.wait(lk, [&] { return (m.fixes.empty() && m.unit_jobs.empty()) || !m.running; });
  // A job being applied when the queues emptied: a round trip through the worker orders after it.
  lk.unlock();
  m.on_worker([] {});
}

}  // namespace liandong::fleet
