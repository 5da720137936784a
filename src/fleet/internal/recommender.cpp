#include "fleet/internal/recommender.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <unordered_map>

#include "dispatch/assign.h"
#include "dispatch/mutual_aid.h"

namespace liandong::fleet::internal {

namespace {

constexpr int kOwnArea = -1;
constexpr int kRefused = -2;

// For one slot: per unit area, kOwnArea, kRefused or the index of the mutual-aid rule that allows it.
std::vector<int> area_verdicts(const RecommendContext& ctx, const std::string& type,
                               const std::string& incident_jurisdiction) {
  std::vector<int> v(ctx.roster.areas.size(), kRefused);
  const auto& rules = ctx.options.mutual_aid;
  for (size_t a = 0; a < v.size(); ++a) {
    const std::string& code = ctx.roster.areas[a];
    if (dispatch::is_own_area(code, incident_jurisdiction)) {
      v[a] = kOwnArea;
    } else if (const auto* r = dispatch::find_rule(rules, code, type, incident_jurisdiction)) {
      v[a] = int(r - rules.data());
    }
  }
  return v;
}

RecommendedUnit describe_unit(const RecommendContext& ctx, const Tracked& t, const core::LonLat& incident,
                              int verdict) {
  RecommendedUnit r;
  r.unit_id = t.id;
  r.call_sign = t.call_sign;
  r.type = t.type;
  r.jurisdiction = t.jurisdiction;
  r.agency_id = t.agency_id;
  r.status = t.status;
  r.position = position_of(t, ctx.now, ctx.options.stale_after);
  r.straight_m = r.position.source == UnitPosition::Source::kNone ? 0 : core::distance_m(r.position.at, incident);
  if (verdict >= 0) r.mutual_aid_rule = ctx.options.mutual_aid[size_t(verdict)].name;
  return r;
}

}  // namespace

core::Result<Recommendation> recommend(const RecommendContext& ctx, const RecommendRequest& req) {
  auto started = std::chrono::steady_clock::now();
  const auto& slots = req.requirement.slots;
  LD_RETURN_IF_ERROR(dispatch::check(req.requirement));
  if (slots.size() > 64) return core::invalid("at most 64 slots", "requirement.slots");
  LD_RETURN_IF_ERROR(core::validate(req.location, "location"));

  const auto& types = ctx.options.unit_types;
  std::vector<uint32_t> groups(slots.size());
  std::vector<uint32_t> counts(slots.size());
  std::vector<std::vector<int>> verdicts(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    auto it = std::find(types.begin(), types.end(), slots[i].type);
    if (it == types.end())
      return core::invalid("unknown unit type '" + slots[i].type + "'", "slots[" + std::to_string(i) + "].type");
    groups[i] = uint32_t(it - types.begin());
    counts[i] = slots[i].count;
    verdicts[i] = area_verdicts(ctx, slots[i].type, req.incident_jurisdiction);
  }
  const auto& units = ctx.roster.units;
  auto fits = [&](const Tracked& t, size_t i) {
    return t.known && t.dispatchable && t.group == groups[i] && verdicts[i][t.area] != kRefused &&
           dispatch::qualifies(slots[i], t.type, t.capabilities);
  };

  Recommendation rec;
  bool road = ctx.network && ctx.index && ctx.query && ctx.snap;
  routing::Place target;
  if (road) {
    auto s = ctx.snap->snap(req.location.lon, req.location.lat, kIncidentSnapMaxM);
    if (s) {
      target = s->place;
      rec.incident_snap_m = s->distance_m;
    } else {
      road = false;
      rec.notice = "the incident could not be placed on the road network (" + s.status().message() +
                   "): units are ranked by straight-line distance, with no travel times";
    }
  } else {
    rec.notice = "no road network is loaded: units are ranked by straight-line distance, with no travel times";
  }

  std::vector<dispatch::Candidate> candidates;
  std::unordered_map<uint32_t, size_t> seen;
  auto add = [&](uint32_t unit, uint32_t cost) {
    auto [it, fresh] = seen.emplace(unit, candidates.size());
    if (fresh) candidates.push_back({unit, cost, 0});
  };
  uint32_t unplaced = 0;
  if (road) {
    std::vector<routing::SourceTime> found;
    for (size_t i = 0; i < slots.size(); ++i) {
      uint32_t k = counts[i] + ctx.options.alternatives;
      for (size_t j = 0; j < slots.size(); ++j)
        if (j != i && groups[j] == groups[i]) k += counts[j];
      bool filter = !slots[i].capabilities.empty() ||
                    std::any_of(verdicts[i].begin(), verdicts[i].end(), [](int v) { return v == kRefused; });
      std::function<bool(uint32_t)> accept = [&](uint32_t u) { return fits(units[u], i); };
      ctx.index->nearest(target, k, found, filter ? &accept : nullptr, routing::SourceIndex::Groups{{groups[i]}});
      for (const auto& st : found) add(st.source, st.time_ms);
    }
  } else {
    // Straight line: every placed unit that fits, nearest first; the distance (m) only orders them.
    std::vector<std::pair<double, uint32_t>> near;
    for (size_t i = 0; i < slots.size(); ++i) {
      near.clear();
      for (uint32_t u = 0; u < units.size(); ++u) {
        if (!fits(units[u], i)) continue;
        auto p = position_of(units[u], ctx.now, ctx.options.stale_after);
        if (p.source == UnitPosition::Source::kNone) continue;
        near.emplace_back(core::distance_m(p.at, req.location), u);
      }
      size_t k = std::min(near.size(), size_t(counts[i] + ctx.options.alternatives + 64));
      std::partial_sort(near.begin(), near.begin() + k, near.end());
      for (size_t n = 0; n < k; ++n) add(near[n].second, uint32_t(std::min(near[n].first, 4e9)));
    }
  }
  // Units that fit but could not be considered: not on the graph (road), or nowhere at all.
  for (const auto& t : units) {
    if (road && ctx.roster.unplaced == 0) break;  // the common case: every dispatchable unit is placed
    if (!t.dispatchable) continue;
    bool left_out = road ? !t.place.valid() : !t.fix && !t.station;
    if (!left_out) continue;
    for (size_t i = 0; i < slots.size(); ++i)
      if (fits(t, i)) {
        ++unplaced;
        break;
      }
  }
  for (auto& c : candidates)
    for (size_t i = 0; i < slots.size(); ++i)
      if (fits(units[c.unit], i)) c.slots |= uint64_t(1) << i;
  if (unplaced > 0) {
    if (!rec.notice.empty()) rec.notice += "; ";
    rec.notice += std::to_string(unplaced) + (unplaced == 1 ? " available unit that fits is" : " available units that fit are") +
                  (road ? " not on the road network (no fix or station near a road) and left out"
                        : " without a fix or a station and left out");
  }

  auto chosen = dispatch::assign(counts, candidates, ctx.options.alternatives);
  if (uint32_t empty = chosen.total_unfilled(); empty > 0) {
    uint32_t total = 0;
    for (auto c : counts) total += c;
    if (!rec.notice.empty()) rec.notice += "; ";
    rec.notice += std::to_string(empty) + " of " + std::to_string(total) +
                  (road ? " positions unfilled: no more available units that fit can reach the incident by road"
                        : " positions unfilled: no more available units that fit");
  }
  auto make = [&](const dispatch::Candidate& c, size_t slot, bool with_route) {
    const Tracked& t = units[c.unit];
    RecommendedUnit r = describe_unit(ctx, t, req.location, verdicts[slot][t.area]);
    if (road) {
      r.eta_ms = c.eta_ms;
      if (with_route) {
        auto route = ctx.query->route(t.place, target);
        if (route.time_ms != routing::kInfinity) {
          r.eta_ms = route.time_ms;  // from where the unit is now (the index may lag by its drift)
          r.length_m = route.length_m;
          r.route = std::move(route.geometry);
        }
      }
    }
    return r;
  };
  for (size_t i = 0; i < slots.size(); ++i) {
    SlotAnswer s;
    s.slot = slots[i];
    for (const auto& c : chosen.chosen[i]) s.units.push_back(make(c, i, req.with_routes));
    for (const auto& c : chosen.alternatives[i]) s.alternatives.push_back(make(c, i, false));
    s.unfilled = chosen.unfilled[i];
    rec.slots.push_back(std::move(s));
  }
  rec.method = road ? "road" : "straight_line";
  rec.total_eta_ms = 0;
  if (road)
    for (const auto& s : rec.slots)
      for (const auto& u : s.units) rec.total_eta_ms += u.eta_ms.value_or(0);
  rec.considered = uint32_t(candidates.size());
  rec.micros = uint64_t(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  return rec;
}

}  // namespace liandong::fleet::internal
