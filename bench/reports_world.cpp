#include "reports_world.h"

#include <cmath>
#include <random>
#include <string>

namespace liandong::bench {
namespace {

struct Weighted {
  const char* code;
  int weight;
};

// Real GB/T 2260 codes: Zhaoqing's 8 county-level divisions and city, Foshan's 5 districts and
// city; weights roughly by population.
constexpr Weighted kJurisdictions[] = {
    {"441202", 8},  {"441203", 4},  {"441204", 8}, {"441223", 5}, {"441224", 8},
    {"441225", 4},  {"441226", 3},  {"441284", 8}, {"441200", 2}, {"440604", 10},
    {"440605", 25}, {"440606", 22}, {"440607", 6}, {"440608", 4}, {"440600", 2}};

struct Kind {
  const char* type;
  const char* category;
  int weight;
};

// Types and categories of src/taxonomy/default_types.yaml; weights: accidents most, then natural
// disasters, social safety and public health.
constexpr Kind kKinds[] = {
    {"flood", "natural_disaster", 40},           {"rainstorm", "natural_disaster", 50},
    {"typhoon", "natural_disaster", 15},         {"drought", "natural_disaster", 2},
    {"earthquake", "natural_disaster", 1},       {"landslide", "natural_disaster", 12},
    {"forest_fire", "natural_disaster", 10},     {"fire", "accident_disaster", 160},
    {"gas_explosion", "accident_disaster", 6},   {"hazmat_leak", "accident_disaster", 8},
    {"building_collapse", "accident_disaster", 3}, {"traffic_accident", "accident_disaster", 260},
    {"mine_accident", "accident_disaster", 1},   {"power_outage", "accident_disaster", 20},
    {"drowning", "accident_disaster", 25},       {"water_pollution", "accident_disaster", 5},
    {"air_pollution", "accident_disaster", 4},   {"infectious_disease", "public_health", 8},
    {"food_poisoning", "public_health", 20},     {"medical_emergency", "public_health", 60},
    {"public_disorder", "social_safety", 60},    {"mass_gathering", "social_safety", 10},
    {"terror_attack", "social_safety", 1},       {"other", "social_safety", 30}};

constexpr const char* kAgencies[] = {"fire_rescue", "police",          "health_120",
                                     "emergency",   "water_resources", "transport"};

template <typename T, size_t N>
std::discrete_distribution<size_t> by_weight(const T (&table)[N]) {
  std::vector<double> w;
  for (const auto& t : table) w.push_back(t.weight);
  return std::discrete_distribution<size_t>(w.begin(), w.end());
}

int month_in_shanghai(int64_t ms) {
  const int64_t days = (ms + 8 * 3'600'000) / 86'400'000;
  // civil_from_days, month only
  const int64_t z = days + 719468, era = z / 146097;
  const auto doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  return static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
}

}  // namespace

std::vector<stats::Fact> generate_facts(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto jur = by_weight(kJurisdictions);
  auto kind = by_weight(kKinds);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int64_t> when(kHistoryBeginMs, kHistoryEndMs - 1);
  std::lognormal_distribution<double> dispatch_s(std::log(120.0), 0.6);  // ~2 min
  std::lognormal_distribution<double> travel_s(std::log(720.0), 0.5);    // ~12 min
  std::vector<stats::Fact> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    stats::Fact f;
    f.jurisdiction = kJurisdictions[jur(rng)].code;
    f.id = f.jurisdiction.substr(0, 4) + "00-INC-" + std::to_string(i + 1);
    const Kind& k = kKinds[kind(rng)];
    f.type = k.type;
    f.category = k.category;
    int64_t t = when(rng);
    // Natural disasters mostly in the flood season (May–September): redraw most others.
    if (f.category == "natural_disaster")
      for (int tries = 0; tries < 4; ++tries) {
        int m = month_in_shanghai(t);
        if ((m >= 5 && m <= 9) || u(rng) < 0.3) break;
        t = when(rng);
      }
    f.opened_at = core::from_unix_millis(t);
    const double g = u(rng);
    f.grade = g < 0.78 ? "" : g < 0.96 ? "IV" : g < 0.99 ? "III" : g < 0.998 ? "II" : "I";
    const int severity = f.grade.empty() ? 0 : f.grade == "IV" ? 1 : f.grade == "III" ? 2 : 3;
    f.cancelled = u(rng) < 0.02;
    f.exercise = u(rng) < 0.01;
    if (!f.cancelled && u(rng) < 0.99)
      f.closed_at = f.opened_at + std::chrono::minutes(60 + static_cast<int64_t>(rng() % 4260));
    if (u(rng) < 0.006 + 0.05 * severity) f.deaths = 1 + static_cast<int64_t>(rng() % (2 + 4 * severity));
    if (u(rng) < 0.04 + 0.1 * severity) f.injuries = 1 + static_cast<int64_t>(rng() % (5 + 10 * severity));
    if (u(rng) < 0.003 + 0.02 * severity) f.missing = 1 + static_cast<int64_t>(rng() % 3);
    if (u(rng) < 0.08 + 0.2 * severity) f.affected = 10 + static_cast<int64_t>(rng() % 5000);
    if (u(rng) < 0.15 + 0.2 * severity)
      f.direct_loss_yuan = 1000 + static_cast<int64_t>(rng() % (5'000'000 * (1 + severity)));
    const size_t agencies = 1 + rng() % 3;
    size_t first = rng() % 6;
    for (size_t a = 0; a < agencies; ++a) f.agencies.emplace_back(kAgencies[(first + a * 2) % 6]);
    if (u(rng) < 0.97) {
      const auto d = static_cast<int64_t>(dispatch_s(rng) * 1000);
      f.dispatch_ms = d;
      if (u(rng) < 0.95) f.arrival_ms = d + static_cast<int64_t>(travel_s(rng) * 1000);
    }
    f.reports_due = f.grade.empty() ? (u(rng) < 0.4 ? 1 : 0) : 2 + static_cast<int32_t>(rng() % 2);
    for (int32_t r = 0; r < f.reports_due; ++r) {
      if (u(rng) < 0.08) {
        ++f.reports_late;
        f.report_delay_ms += 300'000 + static_cast<int64_t>(rng() % 10'500'000);
      } else {
        ++f.reports_on_time;
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace liandong::bench
