#include "river/network.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/jurisdiction.h"
#include "river/internal/describe.h"

namespace liandong::river {
namespace {

using internal::feature_name;
using internal::property_field;

bool positive(double v) { return std::isfinite(v) && v > 0; }

core::Status bad(size_t feature, std::string_view kind, std::string_view id,
                 std::string_view property, std::string_view what) {
  return core::invalid(
      feature_name(feature, kind, id) + ": " + std::string(property) + " " + std::string(what),
      property_field(feature, property));
}

core::Status check_id(const std::string& id, size_t feature, std::string_view kind) {
  if (id.empty()) return bad(feature, kind, "", "id", "is required (a non-empty string)");
  if (id.size() > kMaxIdLength)
    return bad(feature, kind, "", "id", "is longer than " + std::to_string(kMaxIdLength));
  return core::Status::ok();
}

// Normalises a GB/T 2260 code in place; "" stays "" when `required` is false.
core::Status check_code(std::string& code, bool required, size_t feature, std::string_view kind,
                        std::string_view id, std::string_view property) {
  if (code.empty()) {
    if (required) return bad(feature, kind, id, property, "is required for a border");
    return core::Status::ok();
  }
  auto parsed = core::JurisdictionCode::parse(code, property);
  if (!parsed)
    return bad(feature, kind, id, property,
               "must be a GB/T 2260 code such as \"441302\" (got \"" + code.substr(0, 32) + "\")");
  code = parsed->str();
  return core::Status::ok();
}

core::Status check_reach(Reach& r, size_t f) {
  LD_RETURN_IF_ERROR(check_id(r.id, f, "reach"));
  if (!positive(r.length_m) || r.length_m > kMaxLengthM)
    return bad(f, "reach", r.id, "length_m", "must be a number in (0, 1e7] (metres)");
  const std::pair<const char*, const std::optional<double>*> optionals[] = {
      {"velocity_mps", &r.velocity_mps},
      {"flow_m3s", &r.flow_m3s},
      {"area_m2", &r.area_m2},
      {"width_m", &r.width_m},
      {"depth_m", &r.depth_m},
      {"slope", &r.slope},
      {"dispersion_m2s", &r.dispersion_m2s}};
  for (auto [name, value] : optionals)
    if (value->has_value() && !(positive(**value) && **value <= kMaxOtherValue))
      return bad(f, "reach", r.id, name, "must be a number in (0, 1e9] when given");
  if (r.dispersion_m2s && *r.dispersion_m2s > kMaxDispersionM2s)
    return bad(f, "reach", r.id, "dispersion_m2s", "must be at most 1e6 m²/s");
  auto u = velocity_of(r);
  if (!u)
    return bad(f, "reach", r.id, "velocity_mps",
               "cannot be derived: give velocity_mps, or flow_m3s with area_m2 "
               "(or with width_m "
               "and depth_m)");
  if (!(*u >= kMinVelocityMps && *u <= kMaxVelocityMps))
    return bad(f, "reach", r.id, r.velocity_mps ? "velocity_mps" : "flow_m3s",
               "gives a velocity of " + std::to_string(*u) + " m/s, outside [1e-6, 100] m/s");
  if (r.downstream == r.id) return bad(f, "reach", r.id, "downstream", "names the reach itself");
  LD_RETURN_IF_ERROR(check_code(r.jurisdiction, false, f, "reach", r.id, "jurisdiction"));
  for (size_t i = 0; i < r.line.size(); ++i)
    if (!core::validate(r.line[i], "coordinates").is_ok())
      return core::invalid(feature_name(f, "reach", r.id) + ": coordinate " + std::to_string(i) +
                               " is not a longitude −180..180, latitude −90..90",
                           "features[" + std::to_string(f) + "].geometry.coordinates");
  return core::Status::ok();
}

core::Status check_site(Site& s, size_t f, const Reach* reach) {
  const char* kind = kind_name(s.kind);
  LD_RETURN_IF_ERROR(check_id(s.id, f, kind));
  if (!reach)
    return bad(
        f, kind, s.id, "reach",
        s.reach.empty() ? "is required" : "names no reach (\"" + s.reach.substr(0, 128) + "\")");
  if (!std::isfinite(s.offset_m) || s.offset_m < 0 || s.offset_m > reach->length_m)
    return bad(f, kind, s.id, "offset_m",
               "must lie in [0, " + std::to_string(reach->length_m) + "] (the length of reach \"" +
                   reach->id + "\")");
  bool border = s.kind == Site::Kind::kBorder;
  if (!border && !(s.from_jurisdiction.empty() && s.to_jurisdiction.empty()))
    return bad(f, kind, s.id, "from_jurisdiction", "applies to border sites only");
  LD_RETURN_IF_ERROR(check_code(s.from_jurisdiction, border, f, kind, s.id, "from_jurisdiction"));
  LD_RETURN_IF_ERROR(check_code(s.to_jurisdiction, border, f, kind, s.id, "to_jurisdiction"));
  if (border && s.from_jurisdiction == s.to_jurisdiction)
    return bad(f, kind, s.id, "to_jurisdiction", "must differ from from_jurisdiction");
  if (s.station && (s.station->empty() || s.station->size() > kMaxIdLength))
    return bad(f, kind, s.id, "station", "must be a non-empty id when given");
  return core::Status::ok();
}

}  // namespace

const char* kind_name(Site::Kind kind) {
  switch (kind) {
    case Site::Kind::kSection:
      return "section";
    case Site::Kind::kIntake:
      return "intake";
    case Site::Kind::kBorder:
      return "border";
  }
  return "section";
}

std::optional<double> velocity_of(const Reach& r) {
  if (r.velocity_mps) return r.velocity_mps;
  if (r.flow_m3s && r.area_m2) return *r.flow_m3s / *r.area_m2;
  if (r.flow_m3s && r.width_m && r.depth_m) return *r.flow_m3s / (*r.width_m * *r.depth_m);
  return std::nullopt;
}

std::optional<double> area_of(const Reach& r) {
  if (r.area_m2) return r.area_m2;
  if (r.flow_m3s && r.velocity_mps) return *r.flow_m3s / *r.velocity_mps;
  if (r.width_m && r.depth_m) return *r.width_m * *r.depth_m;
  return std::nullopt;
}

core::Result<Network> Network::build(std::vector<Reach> reaches, std::vector<Site> sites) {
  std::vector<size_t> fr(reaches.size()), fs(sites.size());
  std::iota(fr.begin(), fr.end(), size_t{0});
  std::iota(fs.begin(), fs.end(), reaches.size());
  return build_indexed(std::move(reaches), std::move(sites), std::move(fr), std::move(fs));
}

core::Result<Network> Network::build_indexed(std::vector<Reach> reaches, std::vector<Site> sites,
                                             std::vector<size_t> fr, std::vector<size_t> fs) {
  if (reaches.size() > kMaxReaches)
    return core::Status(core::Code::kTooLarge, "a network holds at most " +
                                                   std::to_string(kMaxReaches) + " reaches (got " +
                                                   std::to_string(reaches.size()) + ")");
  if (sites.size() > kMaxSites)
    return core::Status(core::Code::kTooLarge, "a network holds at most " +
                                                   std::to_string(kMaxSites) + " sites (got " +
                                                   std::to_string(sites.size()) + ")");
  size_t points = 0;
  for (const Reach& r : reaches) points += r.line.size();
  if (points > kMaxLinePoints)
    return core::Status(core::Code::kTooLarge, "the reaches' lines hold more than " +
                                                   std::to_string(kMaxLinePoints) + " points");

  Network n;
  n.reach_ids_.reserve(reaches.size());
  for (size_t i = 0; i < reaches.size(); ++i) {
    LD_RETURN_IF_ERROR(check_reach(reaches[i], fr[i]));
    if (!n.reach_ids_.emplace(reaches[i].id, static_cast<uint32_t>(i)).second)
      return bad(fr[i], "reach", reaches[i].id, "id", "is used by another reach");
  }
  n.downstream_.assign(reaches.size(), -1);
  for (size_t i = 0; i < reaches.size(); ++i) {
    const std::string& d = reaches[i].downstream;
    if (d.empty()) continue;
    auto it = n.reach_ids_.find(d);
    if (it == n.reach_ids_.end())
      return bad(fr[i], "reach", reaches[i].id, "downstream",
                 "names no reach (\"" + d.substr(0, 128) + "\")");
    n.downstream_[i] = it->second;
  }
  // Each reach has one successor, so a cycle is found by walking from every unvisited reach and
  // meeting a reach of the current walk (state 1) again.
  std::vector<uint8_t> state(reaches.size(),
                             0);  // 0 unseen, 1 on this walk, 2 done
  for (size_t start = 0; start < reaches.size(); ++start) {
    int64_t v = static_cast<int64_t>(start);
    while (v >= 0 && state[v] == 0) {
      state[v] = 1;
      v = n.downstream_[v];
    }
    if (v >= 0 && state[v] == 1)
      return bad(fr[v], "reach", reaches[v].id, "downstream",
                 "closes a cycle: following downstream from reach \"" + reaches[v].id +
                     "\" leads back to it");
    for (int64_t w = static_cast<int64_t>(start); w >= 0 && state[w] == 1; w = n.downstream_[w])
      state[w] = 2;
  }

  n.site_ids_.reserve(sites.size());
  for (size_t i = 0; i < sites.size(); ++i) {
    auto it = n.reach_ids_.find(sites[i].reach);
    const Reach* r = it == n.reach_ids_.end() ? nullptr : &reaches[it->second];
    LD_RETURN_IF_ERROR(check_site(sites[i], fs[i], r));
    if (!n.site_ids_.emplace(sites[i].id, static_cast<uint32_t>(i)).second)
      return bad(fs[i], kind_name(sites[i].kind), sites[i].id, "id", "is used by another site");
  }

  n.velocity_.resize(reaches.size());
  n.area_.resize(reaches.size());
  for (size_t i = 0; i < reaches.size(); ++i) {
    n.velocity_[i] = *velocity_of(reaches[i]);
    n.area_[i] = area_of(reaches[i]).value_or(std::nan(""));
  }
  // Sites by reach (CSR), ordered by offset then id.
  std::vector<uint32_t> reach_of(sites.size());
  n.site_first_.assign(reaches.size() + 1, 0);
  for (size_t i = 0; i < sites.size(); ++i) {
    reach_of[i] = n.reach_ids_.find(sites[i].reach)->second;
    ++n.site_first_[reach_of[i] + 1];
  }
  for (size_t i = 0; i < reaches.size(); ++i) n.site_first_[i + 1] += n.site_first_[i];
  n.site_order_.resize(sites.size());
  std::vector<uint32_t> fill(n.site_first_.begin(), n.site_first_.end() - 1);
  for (size_t i = 0; i < sites.size(); ++i)
    n.site_order_[fill[reach_of[i]]++] = static_cast<uint32_t>(i);
  for (size_t r = 0; r < reaches.size(); ++r)
    std::sort(n.site_order_.begin() + n.site_first_[r],
              n.site_order_.begin() + n.site_first_[r + 1], [&](uint32_t a, uint32_t b) {
                if (sites[a].offset_m != sites[b].offset_m)
                  return sites[a].offset_m < sites[b].offset_m;
                return sites[a].id < sites[b].id;
              });
  n.reaches_ = std::move(reaches);
  n.sites_ = std::move(sites);
  return n;
}

const Reach* Network::reach(std::string_view id) const {
  auto it = reach_ids_.find(id);
  return it == reach_ids_.end() ? nullptr : &reaches_[it->second];
}

const Site* Network::site(std::string_view id) const {
  auto it = site_ids_.find(id);
  return it == site_ids_.end() ? nullptr : &sites_[it->second];
}

std::optional<size_t> Network::reach_index(std::string_view id) const {
  auto it = reach_ids_.find(id);
  if (it == reach_ids_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> Network::downstream_of(size_t i) const {
  if (i >= downstream_.size() || downstream_[i] < 0) return std::nullopt;
  return static_cast<size_t>(downstream_[i]);
}

std::span<const uint32_t> Network::sites_on(size_t i) const {
  if (i + 1 >= site_first_.size()) return {};
  return std::span<const uint32_t>(site_order_)
      .subspan(site_first_[i], site_first_[i + 1] - site_first_[i]);
}

std::optional<double> Network::area(size_t i) const {
  if (i >= area_.size() || std::isnan(area_[i])) return std::nullopt;
  return area_[i];
}

}  // namespace liandong::river
