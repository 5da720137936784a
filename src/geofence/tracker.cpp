#include "geofence/tracker.h"

#include <algorithm>
#include <cmath>

namespace liandong::geofence {
namespace {

constexpr uint8_t kDwellFired = 1;
constexpr uint8_t kSpeedFired = 2;

double seconds(int64_t ms) { return double(ms) / 1000.0; }

}  // namespace

const char *hit_kind_name(HitKind k) {
  switch (k) {
    case HitKind::kEnter:
      return "enter";
    case HitKind::kExit:
      return "exit";
    case HitKind::kDwell:
      return "dwell";
    case HitKind::kSpeed:
      return "speed";
  }
  return "unknown";
}

Tracker::Tracker(const FenceIndex &index) : index_(index) {
  const uint32_t n = static_cast<uint32_t>(index.size());
  rules_.reserve(n);
  kind_begin_.reserve(n + 1);
  kind_begin_.push_back(0);
  for (uint32_t f = 0; f < n; ++f) {
    const Fence &fence = index.fence(f);
    const FenceRules &r = fence.rules;
    rules_.push_back({r.any(), r.on_enter, r.on_exit, r.dwell.has_value(),
                      r.speed_above_kmh.has_value(), r.dwell ? r.dwell->count() : 0,
                      r.speed_above_kmh.value_or(0)});
    const size_t begin = fence_kinds_.size();
    for (const auto &k : fence.object_kinds) {
      auto [it, fresh] = kinds_.try_emplace(k, static_cast<uint32_t>(kinds_.size()));
      fence_kinds_.push_back(it->second);
    }
    std::sort(fence_kinds_.begin() + long(begin), fence_kinds_.end());
    kind_begin_.push_back(static_cast<uint32_t>(fence_kinds_.size()));
  }
}

uint32_t Tracker::add_object(std::string_view kind) {
  Object o;
  auto it = kinds_.find(std::string(kind));
  o.kind = it == kinds_.end() ? kOtherKind : it->second;
  objects_.push_back(std::move(o));
  return static_cast<uint32_t>(objects_.size() - 1);
}

bool Tracker::applies(uint32_t kind, uint32_t fence) const {
  if (!rules_[fence].active) return false;
  const uint32_t b = kind_begin_[fence], e = kind_begin_[fence + 1];
  if (b == e) return true;
  return std::binary_search(fence_kinds_.begin() + b, fence_kinds_.begin() + e, kind);
}

void Tracker::rules_for(const Fix &fix, int64_t t, std::optional<double> speed, Member &m,
                        std::vector<Hit> &out) const {
  const Rule &r = rules_[m.fence];
  if (r.has_dwell && !(m.flags & kDwellFired) && t - m.entered_ms > r.dwell_ms) {
    m.flags |= kDwellFired;
    out.push_back({HitKind::kDwell, fix.object, m.fence, fix.time, seconds(t - m.entered_ms)});
  }
  if (r.has_speed && speed) {
    if (*speed > r.speed_kmh) {
      if (!(m.flags & kSpeedFired)) {
        m.flags |= kSpeedFired;
        out.push_back({HitKind::kSpeed, fix.object, m.fence, fix.time, *speed});
      }
    } else {
      m.flags &= uint8_t(~kSpeedFired);  // slowed to V or below: may fire again in this stay
    }
  }
}

void Tracker::observe(const Fix &fix, std::vector<Hit> &out) {
  if (fix.object >= objects_.size() || !std::isfinite(fix.position.lon) ||
      !std::isfinite(fix.position.lat) || std::abs(fix.position.lon) > 180 ||
      std::abs(fix.position.lat) > 90 ||
      (fix.speed_kmh && !(*fix.speed_kmh >= 0 && std::isfinite(*fix.speed_kmh)))) {
    ++stats_.invalid;
    return;
  }
  Object &o = objects_[fix.object];
  const int64_t t = core::to_unix_millis(fix.time);
  if (o.seen && t <= o.last_ms) {
    ++stats_.stale;
    return;
  }
  ++stats_.fixes;
  std::optional<double> speed = fix.speed_kmh;
  if (!speed && o.seen)
    speed = core::distance_m({o.lon, o.lat}, fix.position) / seconds(t - o.last_ms) * 3.6;

  index_.containing(fix.position, inside_);
  inside_.erase(std::remove_if(inside_.begin(), inside_.end(),
                               [&](uint32_t f) { return !applies(o.kind, f); }),
                inside_.end());

  const Member *cur = o.spilled ? o.spill.data() : o.inline_;
  const size_t n = o.spilled ? o.spill.size() : o.n;
  // Both lists are ascending by fence: exits are the old ones missing now,
  // enters the reverse.
  size_t a = 0, b = 0;
  for (; a < n; ++a) {
    while (b < inside_.size() && inside_[b] < cur[a].fence) ++b;
    if (b == inside_.size() || inside_[b] != cur[a].fence) {
      if (rules_[cur[a].fence].on_exit)
        out.push_back(
            {HitKind::kExit, fix.object, cur[a].fence, fix.time, seconds(t - cur[a].entered_ms)});
    }
  }
  next_.clear();
  a = 0;
  for (uint32_t f : inside_) {
    while (a < n && cur[a].fence < f) ++a;
    if (a < n && cur[a].fence == f) {
      next_.push_back(cur[a]);
    } else {
      next_.push_back({f, 0, t});
      if (rules_[f].on_enter) out.push_back({HitKind::kEnter, fix.object, f, fix.time, 0});
    }
  }
  for (Member &m : next_) rules_for(fix, t, speed, m, out);

  if (!o.spilled && next_.size() <= kInline) {
    std::copy(next_.begin(), next_.end(), o.inline_);
    o.n = static_cast<uint8_t>(next_.size());
  } else {
    o.spilled = true;  // stays spilled: the array keeps its capacity, no further
                       // allocation
    o.spill.assign(next_.begin(), next_.end());
  }
  o.last_ms = t;
  o.lon = fix.position.lon;
  o.lat = fix.position.lat;
  o.seen = true;
}

void Tracker::check_dwell(core::Timestamp now, std::vector<Hit> &out) {
  const int64_t t = core::to_unix_millis(now);
  for (uint32_t id = 0; id < objects_.size(); ++id) {
    Object &o = objects_[id];
    Member *cur = o.spilled ? o.spill.data() : o.inline_;
    const size_t n = o.spilled ? o.spill.size() : o.n;
    for (size_t k = 0; k < n; ++k) {
      Member &m = cur[k];
      const Rule &r = rules_[m.fence];
      if (r.has_dwell && !(m.flags & kDwellFired) && t - m.entered_ms > r.dwell_ms) {
        m.flags |= kDwellFired;
        out.push_back({HitKind::kDwell, id, m.fence, now, seconds(t - m.entered_ms)});
      }
    }
  }
}

}  // namespace liandong::geofence
