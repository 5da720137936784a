#include "watch/watch.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "core/log.h"
#include "geofence/fence_index.h"
#include "geofence/tracker.h"
#include "monitoring/detectors.h"
#include "monitoring/limits.h"
#include "monitoring/rules.h"
#include "watch/fences.h"

namespace liandong::watch {

namespace {

monitoring::Quality to_monitoring(readings::Quality q) {
  switch (q) {
    case readings::Quality::kOk: return monitoring::Quality::kOk;
    case readings::Quality::kSuspect: return monitoring::Quality::kSuspect;
    case readings::Quality::kInvalid: return monitoring::Quality::kInvalid;
    case readings::Quality::kEstimated: return monitoring::Quality::kEstimated;
    case readings::Quality::kMaintenance: return monitoring::Quality::kMaintenance;
  }
  return monitoring::Quality::kInvalid;
}

// A series' detector settings from its station and parameter: limits from GB 3838 for water
// quality stations (at the station's target class; source-only items for drinking-water sources),
// EARS and CUSUM for count streams, rate, flat line and silence as the parameter says.
monitoring::SeriesConfig config_for(const engine::MonitoringStation& s, const engine::StationParameter& p,
                                    monitoring::SeriesLabel& label) {
  monitoring::SeriesConfig c;
  label.target_class = 0;
  label.unit = p.unit;
  if (s.kind == "water_quality") {
    if (const auto* lim = monitoring::gb3838_surface_water().find(p.code)) {
      label.name_zh = lim->name_zh;
      if (label.unit.empty()) label.unit = lim->unit;
      if (!lim->source_only || s.drinking_water_source) {
        const auto& limit = lim->classes[static_cast<size_t>(std::clamp(s.target_class, 1, 5) - 1)];
        if (limit) {
          label.target_class = s.target_class;
          if (lim->bound == monitoring::Bound::kUpper) c.upper = *limit;
          else if (lim->bound == monitoring::Bound::kLower) c.lower = *limit;
          else {
            c.upper = *limit;
            c.lower = lim->range_low;
          }
        }
      }
    }
  }
  c.max_rate_per_hour = p.max_rate_per_hour;
  c.flat_line_count = p.flat_line_count;
  c.expected_interval = core::Millis(p.interval_s * 1000);
  if (s.counts) {
    c.counts = true;
    c.ears.c1 = c.ears.c2 = c.ears.c3 = true;
    c.cusum.on = true;
  }
  if (!monitoring::validate(c).is_ok()) {  // e.g. a limit of 0 in a custom table: threshold off
    c.upper.reset();
    c.lower.reset();
  }
  return c;
}

// What the engine is told of a series' level change; `level`: where the series stands after it.
engine::Detection detection_of(const std::string& station, const std::string& parameter,
                               const monitoring::LevelTracker::Change& c, double value, double limit,
                               monitoring::WarningLevel level) {
  return engine::Detection{station, parameter, std::string(monitoring::name(c.cause)),
                           c.to != monitoring::WarningLevel::kNone, c.at, value, c.score, limit,
                           std::string(monitoring::name(level)), c.reason};
}

}  // namespace

struct Watch::Series {
  int64_t id = 0;  // the store's series id
  monitoring::SeriesDetector detector;
  monitoring::LevelTracker tracker;
  Series(int64_t series, const monitoring::SeriesConfig& c, const monitoring::SeriesLabel& l)
      : id(series), detector(c), tracker(monitoring::RuleSet::defaults(), c, l) {}
};

struct Watch::StationEntry {
  engine::MonitoringStation record;
  std::unordered_map<std::string, std::unique_ptr<Series>> series;  // by parameter
};

struct Watch::Fences {
  geofence::FenceIndex index;
  geofence::Tracker tracker;
  std::vector<std::string> fence_ids;                // fence index → record id
  std::vector<std::string> object_ids;               // tracker object → record id
  std::unordered_map<std::string, uint32_t> object;  // record id → tracker object
  explicit Fences(geofence::FenceIndex i) : index(std::move(i)), tracker(index) {}
};

struct Watch::Item {
  std::vector<readings::Reading> readings;
  IngestDone ingest_done;
  std::vector<ObjectFix> fixes;
  TrackDone track_done;
};

Watch::Watch(engine::Engine& engine, readings::ReadingStore& store, const core::Clock& clock, WatchOptions options)
    : engine_(engine), store_(store), clock_(clock), options_(options) {}

Watch::~Watch() { stop(); }

void Watch::start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  worker_ = std::thread([this] { run(); });
}

void Watch::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  std::deque<Item> left;
  {
    std::lock_guard lock(mu_);
    left.swap(queue_);
  }
  for (auto& item : left) {
    if (item.ingest_done) item.ingest_done(core::unavailable("the node is stopping"));
    if (item.track_done) item.track_done(core::unavailable("the node is stopping"));
  }
}

void Watch::ingest(std::vector<readings::Reading> readings, IngestDone done) {
  {
    std::unique_lock lock(mu_);
    if (stopping_ || !started_) {
      lock.unlock();
      done(core::unavailable("the node is stopping"));
      return;
    }
    if (queued_rows_ + readings.size() > options_.queue_limit_rows) {
      lock.unlock();
      done(core::unavailable("busy: too many readings queued; retry shortly"));
      return;
    }
    queued_rows_ += readings.size();
    queue_.push_back(Item{std::move(readings), std::move(done), {}, {}});
  }
  cv_.notify_one();
}

void Watch::track(std::vector<ObjectFix> fixes, TrackDone done) {
  {
    std::unique_lock lock(mu_);
    if (stopping_ || !started_) {
      lock.unlock();
      done(core::unavailable("the node is stopping"));
      return;
    }
    if (queued_rows_ + fixes.size() > options_.queue_limit_rows) {
      lock.unlock();
      done(core::unavailable("busy: too many fixes queued; retry shortly"));
      return;
    }
    queued_rows_ += fixes.size();
    queue_.push_back(Item{{}, {}, std::move(fixes), std::move(done)});
  }
  cv_.notify_one();
}

std::vector<ObjectFix> Watch::objects() const {
  std::lock_guard lock(mu_);
  std::vector<ObjectFix> out;
  out.reserve(objects_.size());
  for (const auto& [id, fix] : objects_) out.push_back(fix);
  std::sort(out.begin(), out.end(), [](const ObjectFix& a, const ObjectFix& b) { return a.object_id < b.object_id; });
  return out;
}

WatchStats Watch::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void Watch::run() {
  next_silence_check_ = clock_.now() + options_.silence_every;
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_ || !queue_.empty(); });
      size_t rows = 0;
      while (!queue_.empty() && (batch.empty() || rows < options_.max_batch_rows)) {
        rows += queue_.front().readings.size() + queue_.front().fixes.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_rows_ -= std::min(queued_rows_, rows);
      if (batch.empty() && stopping_) return;
    }
    if (!batch.empty()) process(batch);
    core::Timestamp now = clock_.now();
    if (now >= next_silence_check_) {
      check_silence(now);
      next_silence_check_ = now + options_.silence_every;
    }
  }
}

void Watch::refresh_stations(const engine::View& view) {
  if (view.stations_seq == stations_seq_) return;
  stations_seq_ = view.stations_seq;
  for (size_t i = 0; i < view.monitoring_stations.size(); ++i) {
    const engine::MonitoringStation& s = view.monitoring_stations[i];
    auto& entry = stations_[s.id];
    bool same = entry && entry->record.parameters.size() == s.parameters.size() &&
                entry->record.kind == s.kind && entry->record.target_class == s.target_class &&
                entry->record.drinking_water_source == s.drinking_water_source &&
                entry->record.counts == s.counts && entry->record.active == s.active;
    if (same)
      for (size_t k = 0; k < s.parameters.size(); ++k) {
        const auto& a = entry->record.parameters[k];
        const auto& b = s.parameters[k];
        same = same && a.code == b.code && a.interval_s == b.interval_s &&
               a.max_rate_per_hour == b.max_rate_per_hour && a.flat_line_count == b.flat_line_count;
      }
    if (same) {
      entry->record = s;
      continue;
    }
    entry = std::make_unique<StationEntry>();
    entry->record = s;
  }
}

void Watch::refresh_fences(const engine::View& view) {
  if (view.fences_seq == fences_seq_ && fences_) return;
  fences_seq_ = view.fences_seq;
  std::vector<geofence::Fence> fences;
  std::vector<std::string> ids;
  for (size_t i = 0; i < view.fences.size(); ++i) {
    const engine::FenceRecord& r = view.fences[i];
    if (!r.active) continue;
    auto f = to_fence(r);
    if (!f) {
      core::log::warn("watch: a fence is left out of the index", {{"fence", r.id}, {"error", f.status().to_string()}});
      continue;
    }
    fences.push_back(std::move(*f));
    ids.push_back(r.id);
  }
  auto index = geofence::FenceIndex::build(std::move(fences));
  if (!index) {
    core::log::error("watch: the fence index could not be built; no fences are checked", {{"error", index.status().to_string()}});
    index = geofence::FenceIndex::build({});
  }
  fences_ = std::make_unique<Fences>(std::move(*index));
  fences_->fence_ids = std::move(ids);
  for (size_t i = 0; i < view.tracked_objects.size(); ++i) {
    const engine::TrackedObject& o = view.tracked_objects[i];
    uint32_t n = fences_->tracker.add_object(o.kind);
    fences_->object[o.id] = n;
    fences_->object_ids.push_back(o.id);
  }
}

void Watch::judge(Series& s, const std::string& station, const std::string& parameter,
                  const readings::Reading& r, std::vector<engine::Detection>& out) {
  thread_local std::vector<monitoring::Finding> findings;
  findings.clear();
  monitoring::Reading m{r.time, r.value, to_monitoring(r.quality)};
  s.detector.observe(m, findings);
  // What is journaled is a change of the series' level (after persistence and hysteresis), not
  // every reading a detector flags: a value hovering at a limit would otherwise write an event a
  // reading.
  auto change = s.tracker.update(findings, m);
  if (!change) return;
  double limit = 0;
  for (const auto& f : findings)
    if (f.kind == change->cause) limit = f.limit;
  out.push_back(detection_of(station, parameter, *change, r.value, limit, s.tracker.level()));
}

void Watch::check_silence(core::Timestamp now) {
  std::vector<engine::Detection> out;
  std::vector<monitoring::Finding> findings;
  for (auto& [id, entry] : stations_) {
    for (auto& [parameter, s] : entry->series) {
      if (!s) continue;
      findings.clear();
      s->detector.check_silence(now, findings);
      auto change = s->tracker.update_silence(findings, now);
      if (!change) continue;
      out.push_back(detection_of(id, parameter, *change, 0, 0, s->tracker.level()));
    }
  }
  if (fences_) {
    std::vector<geofence::Hit> hits;
    fences_->tracker.check_dwell(now, hits);
    std::vector<engine::FenceHit> ev;
    {
      std::lock_guard lock(mu_);
      for (const auto& h : hits) {
        const std::string& object_id = fences_->object_ids[h.object];
        auto pos = objects_.find(object_id);
        ev.push_back(engine::FenceHit{fences_->fence_ids[h.fence], object_id, geofence::hit_kind_name(h.kind), h.at,
                                      h.value, pos != objects_.end() ? pos->second.position : core::LonLat{}});
      }
    }
    if (!ev.empty()) submit_hits(std::move(ev));
  }
  if (!out.empty()) submit_detections(std::move(out));
}

void Watch::submit_detections(std::vector<engine::Detection> detections) {
  {
    std::lock_guard lock(mu_);
    stats_.detections += detections.size();
  }
  engine_.submit(engine::RecordDetections{std::move(detections)}, engine::Actor("system", "watch"),
                 [this](core::Result<engine::Outcome> r) {
                   if (r) {
                     if (!r->body.value("skipped", nlohmann::json::array()).empty())
                       core::log::info("watch: detections of stations changed meanwhile were skipped",
                                       {{"skipped", r->body["skipped"].dump()}});
                     return;
                   }
                   core::log::warn("watch: the engine refused detections", {{"error", r.status().to_string()}});
                   std::lock_guard lock(mu_);
                   ++stats_.engine_errors;
                 });
}

void Watch::submit_hits(std::vector<engine::FenceHit> hits) {
  {
    std::lock_guard lock(mu_);
    stats_.fence_hits += hits.size();
  }
  engine_.submit(engine::RecordFenceHits{std::move(hits)}, engine::Actor("system", "watch"),
                 [this](core::Result<engine::Outcome> r) {
                   if (r) return;
                   core::log::warn("watch: the engine refused fence hits", {{"error", r.status().to_string()}});
                   std::lock_guard lock(mu_);
                   ++stats_.engine_errors;
                 });
}

void Watch::process(std::vector<Item>& items) {
  std::shared_ptr<const engine::View> view = engine_.view();
  refresh_stations(*view);

  // Readings: check each against the stations, find its series, store all in one transaction.
  struct Accepted {
    size_t item;
    Series* series;
    const readings::Reading* reading;
    const std::string* station;
  };
  std::vector<Accepted> accepted;
  std::vector<IngestAnswer> answers(items.size());
  std::vector<readings::Row> rows;
  // Each reading's station and series, looked up once; series new to the watch get their store ids
  // in one call (one transaction for all of the batch's new ones). A series whose id could not be
  // had stays a null slot and is asked for again with the next batch.
  struct Lookup {
    const std::string* station = nullptr;  // the map's key: outlives the batch
    StationEntry* entry = nullptr;
    std::unique_ptr<Series>* series = nullptr;  // the map's slot (nodes are stable)
  };
  std::vector<std::vector<Lookup>> looked(items.size());
  {
    std::vector<readings::SeriesKey> keys;
    std::vector<std::pair<std::unique_ptr<Series>*, std::pair<StationEntry*, const engine::StationParameter*>>> wanted;
    std::unordered_set<const std::unique_ptr<Series>*> asked;
    for (size_t i = 0; i < items.size(); ++i) {
      looked[i].resize(items[i].readings.size());
      for (size_t k = 0; k < items[i].readings.size(); ++k) {
        const readings::Reading& r = items[i].readings[k];
        Lookup& l = looked[i][k];
        auto st = stations_.find(r.station);
        if (st == stations_.end()) continue;
        l.station = &st->first;
        l.entry = st->second.get();
        if (!l.entry->record.active) continue;
        auto se = l.entry->series.find(r.parameter);
        if (se == l.entry->series.end() || !se->second) {
          const engine::StationParameter* p = l.entry->record.parameter(r.parameter);
          if (!p) continue;
          if (se == l.entry->series.end()) se = l.entry->series.emplace(r.parameter, nullptr).first;
          if (asked.insert(&se->second).second) {
            keys.push_back({st->first, p->code});
            wanted.push_back({&se->second, {l.entry, p}});
          }
        }
        l.series = &se->second;
      }
    }
    if (!keys.empty()) {
      auto ids = store_.series_ids(keys);
      if (!ids) core::log::error("watch: series ids not available", {{"error", ids.status().to_string()}});
      for (size_t n = 0; ids && n < wanted.size(); ++n) {
        auto& [slot, what] = wanted[n];
        monitoring::SeriesLabel label;
        monitoring::SeriesConfig config = config_for(what.first->record, *what.second, label);
        *slot = std::make_unique<Series>((*ids)[n], config, label);
      }
    }
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& rs = items[i].readings;
    for (size_t k = 0; k < rs.size(); ++k) {
      const readings::Reading& r = rs[k];
      const Lookup& l = looked[i][k];
      if (!l.entry) {
        answers[i].refused.push_back({k, "station", "no monitoring station " + r.station + " on this node"});
      } else if (!l.entry->record.active) {
        answers[i].refused.push_back({k, "station", "station " + r.station + " is not active"});
      } else if (!l.series) {
        answers[i].refused.push_back({k, "parameter", "station " + r.station + " does not measure " + r.parameter});
      } else if (!*l.series) {
        answers[i].refused.push_back({k, "parameter", "the reading store is not available"});
      } else {
        Series* series = l.series->get();
        rows.push_back(readings::Row{series->id, core::to_unix_millis(r.time), r.value, r.quality});
        accepted.push_back({i, series, &r, l.station});
      }
    }
  }
  core::Status stored = core::Status::ok();
  if (!rows.empty()) {
    auto r = store_.append(rows);
    if (!r) stored = r.status();
  }

  std::vector<engine::Detection> detections;
  std::vector<Latest> latest;
  if (stored.is_ok() && !accepted.empty()) {
    // Detectors in time order per series (stable: a request's order breaks ties).
    std::stable_sort(accepted.begin(), accepted.end(), [](const Accepted& a, const Accepted& b) {
      if (a.series != b.series) return a.series < b.series;
      return a.reading->time < b.reading->time;
    });
    for (size_t n = 0; n < accepted.size(); ++n) {
      const Accepted& a = accepted[n];
      judge(*a.series, *a.station, a.reading->parameter, *a.reading, detections);
      ++answers[a.item].accepted;
      if (n + 1 == accepted.size() || accepted[n + 1].series != a.series)
        latest.push_back(Latest{*a.station, a.reading->parameter, a.reading->time, a.reading->value});
    }
  }

  // Fixes of tracked objects.
  std::vector<TrackAnswer> track_answers(items.size());
  std::vector<engine::FenceHit> hits;
  std::vector<ObjectFix> moved;
  bool any_fixes = std::any_of(items.begin(), items.end(), [](const Item& it) { return !it.fixes.empty(); });
  if (any_fixes) {
    refresh_fences(*view);
    std::vector<geofence::Hit> found;
    for (size_t i = 0; i < items.size(); ++i) {
      for (size_t k = 0; k < items[i].fixes.size(); ++k) {
        const ObjectFix& f = items[i].fixes[k];
        auto o = fences_->object.find(f.object_id);
        if (o == fences_->object.end()) {
          track_answers[i].refused.push_back({k, "object_id", "no tracked object " + f.object_id + " on this node"});
          continue;
        }
        found.clear();
        fences_->tracker.observe(geofence::Fix{o->second, f.time, f.position, f.speed_kmh}, found);
        for (const auto& h : found)
          hits.push_back(engine::FenceHit{fences_->fence_ids[h.fence], f.object_id,
                                          geofence::hit_kind_name(h.kind), h.at, h.value, f.position});
        ++track_answers[i].accepted;
        moved.push_back(f);
      }
    }
    std::lock_guard lock(mu_);
    for (const auto& f : moved) {
      auto [it, fresh] = objects_.try_emplace(f.object_id, f);
      if (!fresh && it->second.time < f.time) it->second = f;
    }
    stats_.fixes += moved.size();
  }

  {
    std::lock_guard lock(mu_);
    if (stored.is_ok()) {
      stats_.readings += accepted.size();
      if (!rows.empty()) ++stats_.commits;
    }
    for (const auto& a : answers) stats_.refused += a.refused.size();
  }
  if (!detections.empty()) submit_detections(std::move(detections));
  if (!hits.empty()) submit_hits(std::move(hits));
  if (readings_listener_ && !latest.empty()) readings_listener_(latest);
  if (fix_listener_ && !moved.empty()) fix_listener_(moved);

  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].ingest_done) {
      if (!stored.is_ok() && answers[i].accepted == 0 && !items[i].readings.empty() &&
          answers[i].refused.size() < items[i].readings.size())
        items[i].ingest_done(core::unavailable("the readings could not be stored: " + stored.message()));
      else items[i].ingest_done(std::move(answers[i]));
    }
    if (items[i].track_done) items[i].track_done(std::move(track_answers[i]));
  }
}

}  // namespace liandong::watch
