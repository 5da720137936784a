#include "river/propagation.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "river/hydraulics.h"
#include "river/internal/cloud.h"

namespace liandong::river {
namespace {

// Travel times past this are not reported (and cannot overflow a Timestamp).
constexpr double kMaxHorizonS = 10.0 * 365.25 * 86400;

core::Timestamp after(core::Timestamp t0, double seconds) {
  return t0 + core::Millis(static_cast<int64_t>(std::llround(seconds * 1000)));
}

std::string list_ids(const std::vector<std::string>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size() && i < 10; ++i) s += (i ? ", " : "") + ids[i];
  if (ids.size() > 10) s += " and " + std::to_string(ids.size() - 10) + " more";
  return s;
}

core::Status check_release(const Release& r, const Reach& reach) {
  if (!std::isfinite(r.offset_m) || r.offset_m < 0 || r.offset_m > reach.length_m)
    return core::invalid("offset_m must lie in [0, " + std::to_string(reach.length_m) +
                             "] (the length of reach \"" + reach.id + "\")",
                         "offset_m");
  if (r.mass_kg && !(std::isfinite(*r.mass_kg) && *r.mass_kg >= 0))
    return core::invalid("mass_kg must be a finite number >= 0", "mass_kg");
  if (r.dispersion_m2s && !(*r.dispersion_m2s > 0 && *r.dispersion_m2s <= kMaxDispersionM2s))
    return core::invalid("dispersion_m2s must be a number in (0, " +
                             std::to_string(static_cast<int>(kMaxDispersionM2s)) + "]",
                         "dispersion_m2s");
  if (r.decay_per_day && !(std::isfinite(*r.decay_per_day) && *r.decay_per_day >= 0))
    return core::invalid("decay_per_day must be a finite number >= 0", "decay_per_day");
  return core::Status::ok();
}

// Where the release point lies: after an explicit border upstream of it on its reach, that border's
// to_jurisdiction; before one, its from_jurisdiction; otherwise the reach's.
std::string origin_jurisdiction(const Network& n, size_t reach, double offset) {
  const Site* before = nullptr;
  const Site* beyond = nullptr;
  for (uint32_t i : n.sites_on(reach)) {
    const Site& s = n.sites()[i];
    if (s.kind != Site::Kind::kBorder) continue;
    if (s.offset_m <= offset)
      before = &s;
    else if (!beyond)
      beyond = &s;
  }
  if (before) return before->to_jurisdiction;
  if (beyond) return beyond->from_jurisdiction;
  return n.reaches()[reach].jurisdiction;
}

bool has_explicit_border_into(const Network& n, size_t reach, const std::string& code) {
  for (uint32_t i : n.sites_on(reach)) {
    const Site& s = n.sites()[i];
    if (s.kind == Site::Kind::kBorder && s.to_jurisdiction == code) return true;
  }
  return false;
}

struct Pending {
  size_t arrival;  // index into Prediction::arrivals
  size_t reach;
  double travel_s;
};

}  // namespace

Release from_site(const Site& site, core::Timestamp at) {
  Release r;
  r.reach = site.reach;
  r.offset_m = site.offset_m;
  r.at = at;
  return r;
}

core::Result<Prediction> predict(const Network& n, const Release& release) {
  auto start = n.reach_index(release.reach);
  if (!start) return core::not_found("no reach \"" + release.reach.substr(0, 128) + "\"");
  LD_RETURN_IF_ERROR(check_release(release, n.reaches()[*start]));

  Prediction p;
  const bool with_mass = release.mass_kg.has_value();
  const double k = release.decay_per_day.value_or(0) / 86400.0;
  internal::Cloud cloud;
  std::vector<Pending> pending;
  std::vector<std::string> default_dispersion, no_area;

  std::string current = origin_jurisdiction(n, *start, release.offset_m);
  std::set<std::string> entered;
  if (!current.empty()) entered.insert(current);
  auto enter = [&](const std::string& code, double travel_s, const std::string& reach,
                   const std::string& site, double distance, const std::string& from) {
    if (code.empty() || !entered.insert(code).second) return;
    p.entries.push_back({code, from, after(release.at, travel_s), reach, site, distance});
  };

  double travel = 0, distance = 0;  // at the upstream end of the current segment
  size_t beyond_horizon = 0;
  std::optional<size_t> r = start;
  for (bool first = true; r; r = n.downstream_of(*r), first = false) {
    const Reach& reach = n.reaches()[*r];
    const double u = n.velocity(*r);
    const double from_offset = first ? release.offset_m : 0;
    if (travel > kMaxHorizonS) {
      beyond_horizon += n.sites_on(*r).size();
      continue;
    }
    if (!first && !reach.jurisdiction.empty() && reach.jurisdiction != current &&
        !has_explicit_border_into(n, *r, reach.jurisdiction)) {
      enter(reach.jurisdiction, travel, reach.id, "", distance, current);
      current = reach.jurisdiction;
    }
    double d = release.dispersion_m2s.value_or(0);
    if (!release.dispersion_m2s) {
      Dispersion est = dispersion_of(reach, u);
      d = est.d_m2s;
      if (with_mass && est.source == Dispersion::Source::kDefault)
        default_dispersion.push_back(reach.id);
    }
    cloud.add((reach.length_m - from_offset) / u, 2 * d / (u * u));
    bool area_missing = false;
    for (uint32_t i : n.sites_on(*r)) {
      const Site& s = n.sites()[i];
      if (s.offset_m < from_offset) continue;
      double dx = s.offset_m - from_offset, t = travel + dx / u;
      if (t > kMaxHorizonS) {
        ++beyond_horizon;
        continue;
      }
      p.arrivals.push_back({&s, distance + dx, after(release.at, t), {}, {}, {}});
      if (with_mass) {
        pending.push_back({p.arrivals.size() - 1, *r, t});
        area_missing = area_missing || !n.area(*r);
      }
      if (s.kind == Site::Kind::kBorder && s.to_jurisdiction != current) {
        enter(s.to_jurisdiction, t, reach.id, s.id, distance + dx, s.from_jurisdiction);
        current = s.to_jurisdiction;
      }
    }
    if (area_missing) no_area.push_back(reach.id);
    travel += (reach.length_m - from_offset) / u;
    distance += reach.length_m - from_offset;
  }

  for (const Pending& q : pending) {
    Arrival& a = p.arrivals[q.arrival];
    double sigma = std::sqrt(cloud.variance(q.travel_s));
    a.leading_edge = after(release.at, std::max(0.0, q.travel_s - 2 * sigma));
    auto t = cloud.peak_time(q.travel_s, k);
    // No peak at distance 0 (the solution is singular at the release point) or without an area.
    if (!t || !n.area(q.reach)) continue;
    // C = 1000·M / (A·u·sqrt(2π)) · exp(log_shape): A·u is the flow at the site, so mass carried
    // into a larger river is diluted by its larger flow.
    double flow = *n.area(q.reach) * n.velocity(q.reach);
    a.peak_mg_l = 1000 * *release.mass_kg / (flow * std::sqrt(2 * M_PI)) *
                  std::exp(cloud.log_shape(q.travel_s, k, *t));
    a.peak_at = after(release.at, *t);
  }

  if (!default_dispersion.empty())
    p.warnings.push_back(
        "no dispersion coefficient and not enough to estimate one (width_m, "
        "depth_m, slope) on reach " +
        list_ids(default_dispersion) + ": used the default " +
        std::to_string(static_cast<int>(kDefaultDispersionM2s)) + " m²/s");
  if (!no_area.empty())
    p.warnings.push_back(
        "no cross-section area (area_m2, flow_m3s with "
        "velocity_mps, or width_m "
        "with depth_m) on reach " +
        list_ids(no_area) + ": no peak concentration at its sites");
  if (beyond_horizon > 0)
    p.warnings.push_back(std::to_string(beyond_horizon) +
                         " sites lie more than 10 years of travel downstream "
                         "and are not listed");
  std::stable_sort(p.arrivals.begin(), p.arrivals.end(), [](const Arrival& x, const Arrival& y) {
    return x.arrival != y.arrival ? x.arrival < y.arrival : x.distance_m < y.distance_m;
  });
  return p;
}

nlohmann::json to_json(const Prediction& p) {
  using nlohmann::json;
  json arrivals = json::array(), entries = json::array();
  for (const Arrival& a : p.arrivals) {
    json j = {{"site", a.site->id},
              {"kind", kind_name(a.site->kind)},
              {"name", a.site->name},
              {"reach", a.site->reach},
              {"offset_m", a.site->offset_m},
              {"distance_m", a.distance_m},
              {"arrival", core::format_utc(a.arrival)}};
    if (a.site->station) j["station"] = *a.site->station;
    if (a.leading_edge) j["leading_edge"] = core::format_utc(*a.leading_edge);
    if (a.peak_mg_l) j["peak_mg_l"] = *a.peak_mg_l;
    if (a.peak_at) j["peak_at"] = core::format_utc(*a.peak_at);
    arrivals.push_back(std::move(j));
  }
  for (const Entry& e : p.entries) {
    json j = {{"jurisdiction", e.jurisdiction},
              {"from_jurisdiction", e.from_jurisdiction},
              {"at", core::format_utc(e.at)},
              {"reach", e.reach},
              {"distance_m", e.distance_m}};
    if (!e.border_site.empty()) j["border_site"] = e.border_site;
    entries.push_back(std::move(j));
  }
  return {{"arrivals", arrivals}, {"entries", entries}, {"warnings", p.warnings}};
}

}  // namespace liandong::river
