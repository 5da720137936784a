// fuzz_monitoring: the monitoring inputs a node takes from outside. Byte 0
// picks the reader,
// ('0' + n, counted modulo 5), the rest is its text:
//   0  readings::parse_lines: every reading passes check_reading and survives
//   format_line →
//      parse_lines unchanged; every error has a message and a line number
//      inside the body.
//   1  river::Network::from_geojson: a network's to_geojson reads back to an
//   equal network (same
//      to_geojson, same fields); predict() from the first site and from the
//      first reach's start answers a Status or arrivals in time order with
//      finite figures.
//   2  geofence::fences_from_geojson: the fences build a FenceIndex whose
//   answers for a few points
//      per fence (and some taken from the input) equal containing_naive.
//   3  monitoring::LimitTable::parse_yaml: an error with a message, or a table
//   whose limits keep
//      the header's promises and evaluate without a crash.
//   4  monitoring::RuleSet::parse_yaml: an error with a message, or rules
//   within the header's
//      bounds.
// Never a crash, a hang or an exception let out.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "geofence/fence_index.h"
#include "geofence/geojson.h"
#include "monitoring/limits.h"
#include "monitoring/rules.h"
#include "readings/lines.h"
#include "river/network.h"
#include "river/propagation.h"

namespace {

using namespace liandong;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_monitoring: %s\n", what);
  std::abort();
}

// LIANDONG_FUZZ_VERBOSE=1: say what each input gave.
const bool kVerbose = std::getenv("LIANDONG_FUZZ_VERBOSE") != nullptr;

void check_status(const core::Status& s, const char* what) {
  if (s.is_ok() || s.message().empty()) fail(what);
  if (kVerbose) std::fprintf(stderr, "  refused: %s\n", s.to_string().c_str());
}

void say(const char* what, size_t n) {
  if (kVerbose) std::fprintf(stderr, "  %s: %zu\n", what, n);
}

void fuzz_lines(std::string_view body) {
  using namespace readings;
  const size_t lines = static_cast<size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
  ParsedLines p = parse_lines(body);
  say("readings", p.readings.size());
  say("malformed lines", p.errors.size() + p.errors_omitted);
  if (p.reading_lines.size() != p.readings.size()) fail("lines: a reading without its line");
  if (p.errors.size() > kMaxLineErrors) fail("lines: more errors listed than kMaxLineErrors");
  if (p.errors_omitted > 0 && p.errors.size() != kMaxLineErrors)
    fail("lines: errors omitted before the list was full");
  if (p.readings.size() + p.errors.size() + p.errors_omitted > lines)
    fail("lines: more readings and errors than lines");
  size_t previous = 0;
  for (size_t l : p.reading_lines) {
    if (l <= previous || l > lines) fail("lines: a reading's line is out of order or range");
    previous = l;
  }
  previous = 0;
  for (const LineError& e : p.errors) {
    if (e.line <= previous || e.line > lines)
      fail("lines: an error's line is out of order or range");
    if (e.message.empty()) fail("lines: an error without a message");
    previous = e.line;
  }
  std::string again;
  for (const Reading& r : p.readings) {
    if (!check_reading(r).is_ok()) fail("lines: a parsed reading fails check_reading");
    append_line(r, again);
  }
  ParsedLines back = parse_lines(again);
  if (!back.errors.empty() || back.errors_omitted != 0)
    fail("lines: a formatted reading does not parse");
  if (back.readings != p.readings) fail("lines: a reading changed through format_line");
}

bool same_optional(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}

bool same_reach(const river::Reach& a, const river::Reach& b) {
  return a.id == b.id && a.name == b.name && a.river == b.river && a.length_m == b.length_m &&
         same_optional(a.velocity_mps, b.velocity_mps) && same_optional(a.flow_m3s, b.flow_m3s) &&
         same_optional(a.area_m2, b.area_m2) && same_optional(a.width_m, b.width_m) &&
         same_optional(a.depth_m, b.depth_m) && same_optional(a.slope, b.slope) &&
         same_optional(a.dispersion_m2s, b.dispersion_m2s) && a.downstream == b.downstream &&
         a.jurisdiction == b.jurisdiction && a.line.size() == b.line.size() &&
         std::equal(
             a.line.begin(), a.line.end(), b.line.begin(),
             [](core::LonLat x, core::LonLat y) { return x.lon == y.lon && x.lat == y.lat; });
}

bool same_site(const river::Site& a, const river::Site& b) {
  return a.kind == b.kind && a.id == b.id && a.name == b.name && a.reach == b.reach &&
         a.offset_m == b.offset_m && a.from_jurisdiction == b.from_jurisdiction &&
         a.to_jurisdiction == b.to_jurisdiction && a.station == b.station;
}

void check_prediction(const river::Network& n, const river::Release& release) {
  auto p = river::predict(n, release);
  if (!p) return check_status(p.status(), "river: predict failed without a message");
  say("arrivals", p->arrivals.size());
  for (size_t i = 0; i < p->arrivals.size(); ++i) {
    const river::Arrival& a = p->arrivals[i];
    if (a.site == nullptr || a.site < n.sites().data() ||
        a.site >= n.sites().data() + n.sites().size())
      fail("river: an arrival's site is not in the network");
    if (!std::isfinite(a.distance_m) || a.distance_m < 0 || a.arrival < release.at)
      fail("river: an arrival before the release or at a bad distance");
    if (i > 0 && a.arrival < p->arrivals[i - 1].arrival) fail("river: arrivals out of time order");
    if (a.peak_mg_l && !(std::isfinite(*a.peak_mg_l) && *a.peak_mg_l >= 0))
      fail("river: a peak concentration that is not a finite number >= 0");
  }
  (void)river::to_json(*p).dump();
}

void fuzz_river(std::string_view text) {
  using namespace river;
  auto n = Network::from_geojson(text);
  if (!n) return check_status(n.status(), "river: an error without a message");
  say("reaches", n->reaches().size());
  say("sites", n->sites().size());
  const nlohmann::json out = n->to_geojson();
  auto again = Network::from_geojson(out.dump());
  if (!again) {
    std::fprintf(stderr, "%s\n", again.status().to_string().c_str());
    fail("river: to_geojson does not read back");
  }
  if (again->to_geojson() != out) fail("river: to_geojson reads back to a different network");
  if (again->reaches().size() != n->reaches().size() || again->sites().size() != n->sites().size())
    fail("river: to_geojson lost reaches or sites");
  for (size_t i = 0; i < n->reaches().size(); ++i)
    if (!same_reach(n->reaches()[i], again->reaches()[i])) fail("river: a reach changed");
  for (size_t i = 0; i < n->sites().size(); ++i)
    if (!same_site(n->sites()[i], again->sites()[i])) fail("river: a site changed");

  const core::Timestamp at = core::from_unix_millis(1'796'169'600'000);  // 2026-12-01T16:00Z
  if (!n->sites().empty()) {
    Release r = from_site(n->sites().front(), at);
    check_prediction(*n, r);
    r.mass_kg = 1000;
    r.decay_per_day = 0.2;
    check_prediction(*n, r);
  }
  if (!n->reaches().empty()) {
    Release r;
    r.reach = n->reaches().front().id;
    r.at = at;
    r.mass_kg = 500;
    check_prediction(*n, r);
  }
}

void check_points(const geofence::FenceIndex& index, const std::vector<core::LonLat>& points) {
  std::vector<uint32_t> fast, naive;
  for (core::LonLat p : points) {
    index.containing(p, fast);
    index.containing_naive(p, naive);
    if (fast != naive) fail("geofence: containing differs from containing_naive");
    for (uint32_t f : fast)
      if (f >= index.size()) fail("geofence: a fence index out of range");
  }
}

void fuzz_fences(std::string_view text) {
  using namespace geofence;
  auto fences = fences_from_geojson(text);
  if (!fences) return check_status(fences.status(), "geofence: an error without a message");
  auto index = FenceIndex::build(*fences);
  if (!index) {
    std::fprintf(stderr, "%s\n", index.status().to_string().c_str());
    fail("geofence: parsed fences do not build an index");
  }
  if (index->size() != fences->size()) fail("geofence: the index lost fences");
  say("fences", index->size());
  // Per fence (the first 16): its first vertex, points just off it, the middles of its first
  // edge and of a chord, and points of its box at fractions taken from the input's bytes (so that
  // the fuzzer steers them into inside, outside and edge cells). Then raw doubles of the input.
  std::vector<core::LonLat> points;
  size_t byte = 0;
  auto next_fraction = [&] { return static_cast<uint8_t>(text[byte++ % text.size()]) / 255.0; };
  for (size_t i = 0; i < std::min<size_t>(fences->size(), 16); ++i) {
    const auto& outer = index->fence(static_cast<uint32_t>(i)).area.outer;
    if (outer.size() < 4) fail("geofence: a fence without a closed ring");
    core::LonLat a = outer[0], b = outer[1], c = outer[outer.size() / 2];
    points.push_back(a);
    points.push_back({std::nextafter(a.lon, 200.0), std::nextafter(a.lat, -100.0)});
    points.push_back({a.lon + 1e-9, a.lat - 1e-9});
    points.push_back({(a.lon + b.lon) / 2, (a.lat + b.lat) / 2});
    points.push_back({(a.lon + c.lon) / 2, (a.lat + c.lat) / 2});
    double west = a.lon, east = a.lon, south = a.lat, north = a.lat;
    for (core::LonLat v : outer) {
      west = std::min(west, v.lon), east = std::max(east, v.lon);
      south = std::min(south, v.lat), north = std::max(north, v.lat);
    }
    for (int k = 0; k < 6; ++k) {
      double x = next_fraction(), y = next_fraction();
      points.push_back({west + x * (east - west), south + y * (north - south)});
    }
  }
  for (size_t at = 0; at + 16 <= text.size() && points.size() < 160; at += 97) {
    double v[2];
    std::memcpy(v, text.data() + at, sizeof v);
    points.push_back({v[0], v[1]});
  }
  points.push_back({NAN, 0});
  points.push_back({180, 90});
  points.push_back({-180, -90});
  check_points(*index, points);
}

void fuzz_limits(std::string_view text) {
  using namespace monitoring;
  auto table = LimitTable::parse_yaml(text, "fuzz.yaml");
  if (!table) return check_status(table.status(), "limits: an error without a message");
  say("parameters", table->all().size());
  for (const ParameterLimit& l : table->all()) {
    if (table->find(l.parameter) != &l) fail("limits: find does not give the parameter back");
    bool any = false;
    for (const auto& c : l.classes) {
      if (c && !(std::isfinite(*c) && *c > 0)) fail("limits: a limit not a finite number > 0");
      any = any || c.has_value();
    }
    if (!any) fail("limits: a parameter without any limit");
    if (l.bound == Bound::kRange && !(l.range_low && std::isfinite(*l.range_low)))
      fail("limits: a range without its low side");
    for (int k = 1; k <= 5; ++k) {
      for (double v : {0.0, 1.0, -1.0, 1e-300, 1e300, -1e300}) {
        auto e = evaluate(l, k, v);
        if (!e) {
          check_status(e.status(), "limits: evaluate failed without a message");
          continue;
        }
        if (e->achieved_class < 1 || e->achieved_class > 6 || !std::isfinite(e->multiple) ||
            e->multiple < 0)
          fail("limits: an evaluation out of range");
      }
    }
  }
}

void fuzz_rules(std::string_view text) {
  using namespace monitoring;
  auto rules = RuleSet::parse_yaml(text, "fuzz.yaml");
  if (!rules) return check_status(rules.status(), "rules: an error without a message");
  say("rules", 1);
  const ThresholdRule& t = rules->threshold();
  std::optional<double> previous;
  for (const auto& m : t.min_multiple) {
    if (!m) continue;
    if (!std::isfinite(*m) || *m < 0 || (previous && *m <= *previous))
      fail("rules: threshold levels not increasing numbers >= 0");
    previous = m;
  }
  if (t.persistence < 1 || t.persistence > 1000 || t.clear_readings < 1 ||
      t.clear_readings > 1000 || !(t.band >= 0 && t.band <= 1))
    fail("rules: a threshold count or band out of range");
  for (size_t k = 0; k < kDetectorKinds; ++k) {
    const EventRule& e = rules->event(static_cast<DetectorKind>(k));
    if (e.level > WarningLevel::kRed || e.persistence < 1 || e.persistence > 1000 ||
        e.clear_readings < 1 || e.clear_readings > 1000)
      fail("rules: an unknown level or a count out of range");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (static_cast<uint8_t>(data[0] - '0') % 5) {
    case 0:
      fuzz_lines(text);
      break;
    case 1:
      fuzz_river(text);
      break;
    case 2:
      fuzz_fences(text);
      break;
    case 3:
      fuzz_limits(text);
      break;
    default:
      fuzz_rules(text);
      break;
  }
  return 0;
}
