// Tracker: tracked objects' position fixes against a FenceIndex, giving rule
// hits (enter, exit, dwell, speed) — docs/GEOFENCE.md "Rules".
//
// Not thread-safe: one owner calls observe/check_dwell. Several Trackers may
// share one FenceIndex, which must outlive them. No allocation per fix in the
// steady state (the output vector and the tracker's scratch keep their
// capacity; an object inside more than 4 fences at once moves its memberships
// to a heap array once).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "core/time.h"
#include "geofence/fence_index.h"

namespace liandong::geofence {

struct Fix {
  uint32_t object = 0;  // the tracker's dense object index (from add_object)
  core::Timestamp time{};
  core::LonLat position;
  std::optional<double> speed_kmh;  // when absent, computed from the object's previous fix
};

enum class HitKind { kEnter, kExit, kDwell, kSpeed };
const char *hit_kind_name(HitKind k);  // "enter", "exit", "dwell", "speed"

struct Hit {
  HitKind kind = HitKind::kEnter;
  uint32_t object = 0;
  uint32_t fence = 0;
  core::Timestamp at{};
  double value = 0;  // dwell: seconds inside; speed: km/h; exit: seconds inside; enter: 0
  bool operator==(const Hit &) const = default;
};

struct TrackerStats {
  uint64_t fixes = 0;    // applied
  uint64_t stale = 0;    // ignored: not newer than the object's newest fix
  uint64_t invalid = 0;  // ignored: unknown object, position not finite or out
                         // of range, speed < 0 or NaN
};

class Tracker {
 public:
  explicit Tracker(const FenceIndex &index);

  // Registers an object of `kind` (matched against Fence::object_kinds) and
  // returns its dense index, 0, 1, 2, ... Fences whose object_kinds do not name
  // the kind (when not empty) and fences without any rule are ignored for it.
  uint32_t add_object(std::string_view kind);
  size_t objects() const { return objects_.size(); }

  // Applies one fix and appends its hits to `out` (not cleared), in this order:
  // exits, enters, then per fence (ascending) dwell and speed. A fix not newer
  // than the object's newest, or invalid, is ignored and counted in stats().
  void observe(const Fix &fix, std::vector<Hit> &out);

  // Appends a dwell hit (at = now) for every stay longer than its fence's dwell
  // that has not fired yet, assuming objects are still where they were last
  // seen. O(objects).
  void check_dwell(core::Timestamp now, std::vector<Hit> &out);

  const TrackerStats &stats() const { return stats_; }

 private:
  struct Member {
    uint32_t fence;
    uint8_t flags;  // kDwellFired | kSpeedFired
    int64_t entered_ms;
  };
  static constexpr int kInline = 4;
  struct Object {
    int64_t last_ms = 0;
    double lon = 0, lat = 0;
    uint32_t kind = 0;  // kOtherKind when no fence names it
    bool seen = false;
    uint8_t n = 0;  // memberships in `inline_` when not spilled
    bool spilled = false;
    Member inline_[kInline] = {};
    std::vector<Member> spill;
  };
  static constexpr uint32_t kOtherKind = UINT32_MAX;
  bool applies(uint32_t kind, uint32_t fence) const;
  void rules_for(const Fix &fix, int64_t t, std::optional<double> speed, Member &m,
                 std::vector<Hit> &out) const;

  const FenceIndex &index_;
  std::vector<Object> objects_;
  std::unordered_map<std::string, uint32_t> kinds_;  // the kinds fences name
  struct Rule {                                      // FenceRules, compact: read on every fix
    bool active, on_enter, on_exit, has_dwell, has_speed;
    int64_t dwell_ms;
    double speed_kmh;
  };
  std::vector<Rule> rules_;            // per fence
  std::vector<uint32_t> kind_begin_;   // per fence + 1: offsets into fence_kinds_
  std::vector<uint32_t> fence_kinds_;  // sorted kind ids per fence; none = all kinds
  std::vector<uint32_t> inside_;       // scratch: containing()
  std::vector<Member> next_;           // scratch: the new memberships
  TrackerStats stats_;
};

}  // namespace liandong::geofence
