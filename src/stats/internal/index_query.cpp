// Index::run: one pass over the columns. Each grouping dimension maps a row to a small code
// (dictionary id, rolled-up jurisdiction, day/month/year offset from the data's first day); the
// codes combine into one group number (mixed radix) that indexes a dense table of accumulators,
// or a hash map when the product of the dimensions' sizes is large.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "core/jurisdiction.h"
#include "stats/internal/index.h"

namespace liandong::stats::internal {

namespace {

struct Acc {
  int64_t incidents = 0, deaths = 0, injuries = 0, missing = 0, affected = 0, loss = 0;
  int64_t due = 0, on_time = 0, late = 0, delay_ms = 0;
  int64_t dispatch_sum = 0, dispatch_n = 0, arrival_sum = 0;
  std::vector<int32_t> arrivals_s;  // arrival rounded to seconds, for the percentile
};

// A dimension's codes: code(row) in [0, size); name(code) is the key string.
struct DimPlan {
  Dim dim = Dim::kYear;
  uint64_t size = 1, stride = 1;
  std::vector<uint32_t> map;         // dictionary id → code (jurisdiction roll-up), else identity
  std::vector<std::string> names;    // code → key string
};

Row finish(Acc& a) {
  Row r;
  r.incidents = a.incidents;
  r.deaths = a.deaths;
  r.injuries = a.injuries;
  r.missing = a.missing;
  r.affected = a.affected;
  r.direct_loss_yuan = a.loss;
  r.reports_due = a.due;
  r.reports_on_time = a.on_time;
  r.reports_late = a.late;
  r.on_time_share = a.due ? static_cast<double>(a.on_time) / static_cast<double>(a.due) : 0;
  r.mean_delay_min =
      a.late ? static_cast<double>(a.delay_ms) / static_cast<double>(a.late) / 60'000.0 : 0;
  r.mean_dispatch_s = a.dispatch_n ? static_cast<double>(a.dispatch_sum) /
                                         static_cast<double>(a.dispatch_n) / 1000.0
                                   : 0;
  const auto n = static_cast<int64_t>(a.arrivals_s.size());
  r.mean_arrival_s =
      n ? static_cast<double>(a.arrival_sum) / static_cast<double>(n) / 1000.0 : 0;
  if (n) {
    // Rounding to seconds is monotonic, so the nearest-rank element of the rounded values is the
    // rounded nearest-rank element of the milliseconds.
    auto& v = a.arrivals_s;
    const int64_t rank = (9 * n + 9) / 10;  // nearest rank: ceil(0.9 n)
    std::nth_element(v.begin(), v.begin() + (rank - 1), v.end());
    r.p90_arrival_s = v[static_cast<size_t>(rank - 1)];
  }
  return r;
}

std::vector<uint8_t> allowed(const Dict& dict, const std::vector<std::string>& wanted) {
  std::vector<uint8_t> ok(dict.size(), 0);
  for (const auto& w : wanted)
    if (auto id = dict.find(w)) ok[*id] = 1;
  return ok;
}

}  // namespace

core::Result<Result> Index::run(const Query& q) const {
  Result result;
  for (Dim d : q.group_by) result.columns.emplace_back(dim_name(d));
  for (const auto& m : measure_columns()) result.columns.push_back(m);

  const int64_t from = q.from ? core::to_unix_millis(*q.from) : INT64_MIN;
  const int64_t to = q.to ? core::to_unix_millis(*q.to) : INT64_MAX;
  const uint8_t excluded = static_cast<uint8_t>((q.include_cancelled ? 0 : kCancelled) |
                                                (q.include_exercises ? 0 : kExercise));

  // Filters as one flag per dictionary id; an empty vector lets everything through.
  std::vector<uint8_t> jur_ok, cat_ok, type_ok, grade_ok, agency_ok;
  if (!q.jurisdiction.empty()) {
    auto want = core::JurisdictionCode::parse(q.jurisdiction, "jurisdiction");
    if (!want) return want.status();
    jur_ok.assign(jur_.size(), 0);
    for (size_t i = 0; i < jur_.size(); ++i) {
      auto c = core::JurisdictionCode::parse(jur_.values[i]);
      jur_ok[i] = c && c->within(*want);
    }
  }
  if (!q.categories.empty()) cat_ok = allowed(cat_, q.categories);
  if (!q.types.empty()) type_ok = allowed(type_, q.types);
  if (!q.grades.empty()) grade_ok = allowed(grade_, q.grades);
  if (!q.agencies.empty()) agency_ok = allowed(agency_, q.agencies);

  // The day column: precomputed for kZone, else from the query zone's offsets over the data.
  const bool own_zone = q.zone == kZone;
  std::optional<ZoneDays> zone_days;
  if (!own_zone) {
    auto z = ZoneDays::make(q.zone, min_ms_, max_ms_);
    if (!z) return z.status();
    zone_days = std::move(*z);
  }
  const ZoneDays& days = own_zone ? shanghai_ : *zone_days;
  const int32_t day0 = rows() ? days.day(min_ms_) - 1 : 0;
  const int32_t day1 = rows() ? days.day(max_ms_) + 1 : 0;
  const auto day_count = static_cast<size_t>(day1 - day0 + 1);
  std::vector<uint32_t> month_of, year_of;  // day - day0 → code
  std::vector<std::string> month_names, year_names;
  bool need_day = false;

  std::vector<DimPlan> plans;
  uint64_t groups = 1;
  for (Dim d : q.group_by) {
    DimPlan p;
    p.dim = d;
    auto identity = [&](const Dict& dict) {
      p.size = std::max<size_t>(dict.size(), 1);
      p.names = dict.values;
    };
    switch (d) {
      case Dim::kYear:
      case Dim::kMonth: {
        need_day = true;
        if (month_of.empty()) {
          month_of.resize(day_count);
          year_of.resize(day_count);
          for (size_t i = 0; i < day_count; ++i) {
            CivilDate c = civil_from_days(day0 + static_cast<int32_t>(i));
            std::string y = fmt::format("{:04}", c.year), m = fmt::format("{:04}-{:02}", c.year, c.month);
            if (year_names.empty() || year_names.back() != y) year_names.push_back(y);
            if (month_names.empty() || month_names.back() != m) month_names.push_back(m);
            year_of[i] = static_cast<uint32_t>(year_names.size() - 1);
            month_of[i] = static_cast<uint32_t>(month_names.size() - 1);
          }
        }
        p.names = d == Dim::kYear ? year_names : month_names;
        p.size = std::max<size_t>(p.names.size(), 1);
        break;
      }
      case Dim::kDay:
        need_day = true;
        p.size = day_count;
        for (size_t i = 0; i < day_count; ++i) {
          CivilDate c = civil_from_days(day0 + static_cast<int32_t>(i));
          p.names.push_back(fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day));
        }
        break;
      case Dim::kCategory: identity(cat_); break;
      case Dim::kType: identity(type_); break;
      case Dim::kGrade: identity(grade_); break;
      case Dim::kJurisdiction: {
        std::unordered_map<std::string, uint32_t> rolled;
        for (const auto& code : jur_.values) {
          std::string name = code;
          auto c = core::JurisdictionCode::parse(code);
          if (c && q.jurisdiction_level == "city") name = c->city().str();
          if (c && q.jurisdiction_level == "province") name = c->province().str();
          auto [it, added] = rolled.try_emplace(name, static_cast<uint32_t>(p.names.size()));
          if (added) p.names.push_back(name);
          p.map.push_back(it->second);
        }
        p.size = std::max<size_t>(p.names.size(), 1);
        break;
      }
      case Dim::kAgency:  // code 0: no agency
        p.size = agency_.size() + 1;
        p.names.push_back("");
        for (const auto& a : agency_.values) p.names.push_back(a);
        break;
    }
    p.stride = groups;
    groups *= p.size;
    if (groups > (uint64_t{1} << 40)) return core::invalid("too many groups", "group_by");
    plans.push_back(std::move(p));
  }

  // Accumulators: dense slot table when small, else a hash map from group number to slot.
  constexpr uint64_t kDenseLimit = uint64_t{1} << 20;
  const bool dense = groups <= kDenseLimit;
  std::vector<int32_t> slot_of(dense ? groups : 0, -1);
  std::unordered_map<uint64_t, int32_t> slot_map;
  std::vector<Acc> accs;
  std::vector<uint64_t> group_of_slot;
  Acc total;

  // Raw column pointers: the accumulators' vectors grow inside the loop, and the compiler cannot
  // know that leaves the columns' pointers alone.
  const uint8_t* flags = flags_.data();
  const int64_t *deaths = deaths_.data(), *injuries = injuries_.data(), *missing = missing_.data(),
                *affected = affected_.data(), *loss = loss_.data(), *delay = delay_ms_.data(),
                *dispatch = dispatch_ms_.data(), *arrival = arrival_ms_.data();
  const int32_t *due = due_.data(), *on_time = on_time_.data(), *late = late_.data(),
                *arrival_s = arrival_s_.data();
  auto add = [=](Acc& a, size_t r) {
    ++a.incidents;
    // Unconditional: most incidents have zeros here, but in no pattern a branch would learn.
    a.deaths += deaths[r];
    a.injuries += injuries[r];
    a.missing += missing[r];
    a.affected += affected[r];
    a.loss += loss[r];
    a.due += due[r];
    a.on_time += on_time[r];
    a.late += late[r];
    a.delay_ms += delay[r];
    if (dispatch[r] != kNone) {
      a.dispatch_sum += dispatch[r];
      ++a.dispatch_n;
    }
    if (arrival[r] != kNone) {
      a.arrival_sum += arrival[r];
      a.arrivals_s.push_back(arrival_s[r]);
    }
  };
  auto slot = [&](uint64_t g) -> Acc& {
    int32_t* s;
    if (dense) {
      s = &slot_of[g];
    } else {
      s = &slot_map.try_emplace(g, -1).first->second;
    }
    if (*s < 0) {
      *s = static_cast<int32_t>(accs.size());
      accs.emplace_back();
      group_of_slot.push_back(g);
    }
    return accs[static_cast<size_t>(*s)];
  };
  const DimPlan* agency_plan = nullptr;
  for (const auto& p : plans)
    if (p.dim == Dim::kAgency) agency_plan = &p;

  const size_t n = rows();
  const uint8_t live_mask = static_cast<uint8_t>(kLive | excluded);
  const bool by_jur = !jur_ok.empty(), by_cat = !cat_ok.empty(), by_type = !type_ok.empty(),
             by_grade = !grade_ok.empty();
  for (size_t r = 0; r < n; ++r) {
    // The conditions are combined without branching on each: which rows pass is data, not a
    // pattern a branch predictor learns.
    const int64_t t = opened_ms_[r];
    bool pass = ((flags[r] & live_mask) == kLive) & (t >= from) & (t < to);
    if (by_jur) pass &= jur_ok[jur_id_[r]] != 0;
    if (by_cat) pass &= cat_ok[cat_id_[r]] != 0;
    if (by_type) pass &= type_ok[type_id_[r]] != 0;
    if (by_grade) pass &= grade_ok[grade_id_[r]] != 0;
    if (!pass) continue;
    if (!agency_ok.empty()) {
      bool any = false;
      for (uint32_t i = ag_begin_[r]; i < ag_begin_[r + 1] && !any; ++i) any = agency_ok[ag_ids_[i]];
      if (!any) continue;
    }
    if (agency_plan || plans.empty()) add(total, r);  // else summed from the groups below
    if (plans.empty()) continue;
    size_t day_index = 0;
    if (need_day) {
      const int32_t day = own_zone ? day_[r] : days.day(t);
      day_index = static_cast<size_t>(day - day0);
    }
    uint64_t g = 0;
    for (const auto& p : plans) {
      uint64_t code = 0;
      switch (p.dim) {
        case Dim::kYear: code = year_of[day_index]; break;
        case Dim::kMonth: code = month_of[day_index]; break;
        case Dim::kDay: code = day_index; break;
        case Dim::kCategory: code = cat_id_[r]; break;
        case Dim::kType: code = type_id_[r]; break;
        case Dim::kGrade: code = grade_id_[r]; break;
        case Dim::kJurisdiction: code = p.map[jur_id_[r]]; break;
        case Dim::kAgency: break;  // below
      }
      g += code * p.stride;
    }
    if (!agency_plan) {
      add(slot(g), r);
      continue;
    }
    if (ag_begin_[r] == ag_begin_[r + 1]) {
      add(slot(g), r);  // code 0: no agency
      continue;
    }
    for (uint32_t i = ag_begin_[r]; i < ag_begin_[r + 1]; ++i) {
      if (!agency_ok.empty() && !agency_ok[ag_ids_[i]]) continue;
      add(slot(g + (uint64_t{ag_ids_[i]} + 1) * agency_plan->stride), r);
    }
  }

  if (!agency_plan && !plans.empty()) {
    size_t arrivals = 0;
    for (const Acc& a : accs) arrivals += a.arrivals_s.size();
    total.arrivals_s.reserve(arrivals);
    for (const Acc& a : accs) {
      total.incidents += a.incidents;
      total.deaths += a.deaths;
      total.injuries += a.injuries;
      total.missing += a.missing;
      total.affected += a.affected;
      total.loss += a.loss;
      total.due += a.due;
      total.on_time += a.on_time;
      total.late += a.late;
      total.delay_ms += a.delay_ms;
      total.dispatch_sum += a.dispatch_sum;
      total.dispatch_n += a.dispatch_n;
      total.arrival_sum += a.arrival_sum;
      total.arrivals_s.insert(total.arrivals_s.end(), a.arrivals_s.begin(), a.arrivals_s.end());
    }
  }
  result.rows.reserve(accs.size());
  for (size_t s = 0; s < accs.size(); ++s) {
    Row row = finish(accs[s]);
    const uint64_t g = group_of_slot[s];
    for (const auto& p : plans) row.key.push_back(p.names[(g / p.stride) % p.size]);
    result.rows.push_back(std::move(row));
  }
  std::sort(result.rows.begin(), result.rows.end(),
            [](const Row& a, const Row& b) { return a.key < b.key; });
  result.total = finish(total);
  return result;
}

}  // namespace liandong::stats::internal
