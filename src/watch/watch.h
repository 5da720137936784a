// Watch: beside the engine, what monitoring telemetry causes. Readings of monitoring stations come
// in (ingest), are stored in batches through the ReadingStore (group commit: many requests, one
// durable transaction), and are judged by each series' detectors (monitoring::SeriesDetector) and
// warning level (monitoring::LevelTracker); position fixes of tracked objects come in (track) and
// are checked against the fences (geofence::Tracker). What they find is submitted to the engine as
// commands (RecordDetections, RecordFenceHits), which journal it and raise warnings.
//
// Detector configuration comes from the engine's view: a station's kind, target class and
// parameters, the GB 3838 limit table and the warning rules; it is rebuilt for a station when the
// station record changes (a detector's state starts afresh then). The fence index is rebuilt when
// fences or tracked objects change; objects' stays start afresh (an object inside a fence counts as
// entering it on its next fix).
//
// A reading is answered only after it is durable (stored, or found stored: duplicates are
// idempotent). Detectors see readings in time order within a batch; across batches a late reading
// is judged by the threshold only (monitoring/detectors.h). One worker thread owns the detectors,
// trackers and the store's writes; ingest() and track() may be called from any thread, and their
// callbacks run on the worker and must not block.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "engine/engine.h"
#include "readings/reading.h"
#include "readings/reading_store.h"

namespace liandong::watch {

struct WatchOptions {
  size_t max_batch_rows = 100000;     // rows per group commit
  size_t queue_limit_rows = 2000000;  // queued rows before ingest() refuses (busy)
  core::Millis silence_every{10000};  // how often silent stations and dwell times are checked
};

// What became of one request's readings.
struct IngestAnswer {
  struct Refused {
    size_t index;  // the reading's index in the request
    std::string field;
    std::string message;
  };
  size_t accepted = 0;  // durable now: stored, or already stored (a duplicate)
  std::vector<Refused> refused;
};

// A position fix of a tracked object (the contract's fix format).
struct ObjectFix {
  std::string object_id;
  core::Timestamp time;
  core::LonLat position;
  std::optional<double> speed_kmh;
};

struct TrackAnswer {
  size_t accepted = 0;
  std::vector<IngestAnswer::Refused> refused;
};

// A series' newest reading, for the map and the stream.
struct Latest {
  std::string station;
  std::string parameter;
  core::Timestamp time;
  double value = 0;
};

struct WatchStats {
  uint64_t readings = 0;    // accepted
  uint64_t refused = 0;
  uint64_t commits = 0;
  uint64_t detections = 0;  // submitted to the engine
  uint64_t fixes = 0;
  uint64_t fence_hits = 0;
  uint64_t engine_errors = 0;  // detections or hits the engine refused (logged)
};

class Watch {
 public:
  using IngestDone = std::function<void(core::Result<IngestAnswer>)>;
  using TrackDone = std::function<void(core::Result<TrackAnswer>)>;
  // Called on the worker with each batch's newest reading per series (for the live stream).
  using ReadingsListener = std::function<void(const std::vector<Latest>&)>;
  using FixListener = std::function<void(const std::vector<ObjectFix>&)>;

  // `engine`, `store` and `clock` must outlive the watch.
  Watch(engine::Engine& engine, readings::ReadingStore& store, const core::Clock& clock,
        WatchOptions options = {});
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  void set_readings_listener(ReadingsListener l) { readings_listener_ = std::move(l); }
  void set_fix_listener(FixListener l) { fix_listener_ = std::move(l); }

  void start();
  // Answers what is queued, then joins the worker. Idempotent.
  void stop();

  // Queues readings (already checked for shape by the caller); `done` is called once: with the
  // answer after the accepted ones are durable, or kUnavailable (stopping, store failure) or
  // kResourceExhausted-like kUnavailable "busy" when the queue is full.
  void ingest(std::vector<readings::Reading> readings, IngestDone done);
  // Queues fixes of tracked objects; refused per fix when the object is unknown.
  void track(std::vector<ObjectFix> fixes, TrackDone done);

  // The newest position of every tracked object seen since start (telemetry; not persisted).
  std::vector<ObjectFix> objects() const;
  WatchStats stats() const;

 private:
  struct Item;
  struct Series;
  struct StationEntry;
  struct Fences;
  void run();
  void process(std::vector<Item>& items);
  void refresh_stations(const engine::View& view);
  void refresh_fences(const engine::View& view);
  void judge(Series& s, const std::string& station, const std::string& parameter,
             const readings::Reading& r, std::vector<engine::Detection>& out);
  void check_silence(core::Timestamp now);
  void submit_detections(std::vector<engine::Detection> detections);
  void submit_hits(std::vector<engine::FenceHit> hits);

  engine::Engine& engine_;
  readings::ReadingStore& store_;
  const core::Clock& clock_;
  WatchOptions options_;
  ReadingsListener readings_listener_;
  FixListener fix_listener_;

  // Worker-owned.
  std::unordered_map<std::string, std::unique_ptr<StationEntry>> stations_;
  uint64_t stations_seq_ = UINT64_MAX;
  std::unique_ptr<Fences> fences_;
  uint64_t fences_seq_ = UINT64_MAX;
  core::Timestamp next_silence_check_{};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  size_t queued_rows_ = 0;
  bool stopping_ = false;
  bool started_ = false;
  std::thread worker_;
  WatchStats stats_;                                    // guarded by mu_
  std::unordered_map<std::string, ObjectFix> objects_;  // guarded by mu_
};

}  // namespace liandong::watch
