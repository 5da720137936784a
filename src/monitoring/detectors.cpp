#include "monitoring/detectors.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace liandong::monitoring {
namespace {

constexpr std::array<std::string_view, kDetectorKinds> kKindNames = {
    "threshold", "rate", "flat_line", "missing", "ears_c1", "ears_c2", "ears_c3", "cusum"};
constexpr std::array<std::string_view, 5> kQualityNames = {"ok", "suspect", "invalid", "estimated",
                                                           "maintenance"};
constexpr size_t kEarsBaseline = 7;  // EARS: 7 baseline periods
constexpr size_t kEarsLag = 2;       // C2 and C3: a 2-period gap before the current one
constexpr uint32_t kMaxCusumBaseline = 48;
constexpr uint32_t kMaxCusumLag = 8;
constexpr double kMaxCount = 1e9;  // above this a value is not a period's count

bool positive(const std::optional<double>& v) { return !v || (std::isfinite(*v) && *v > 0); }
bool non_negative(double v) { return std::isfinite(v) && v >= 0; }

core::Status check_threshold(const SeriesConfig& c) {
  if (!positive(c.upper)) return core::invalid("the upper limit must be a number above 0", "upper");
  if (!positive(c.lower)) return core::invalid("the lower limit must be a number above 0", "lower");
  if (c.upper && c.lower && *c.lower >= *c.upper)
    return core::invalid("the lower limit must be below the upper limit", "lower");
  return core::Status::ok();
}

core::Status check_rate(const SeriesConfig& c) {
  if (c.max_rate_per_hour && !non_negative(*c.max_rate_per_hour))
    return core::invalid("the maximum rate must be a number of at least 0", "max_rate_per_hour");
  return core::Status::ok();
}

core::Status check_flat(const SeriesConfig& c) {
  if (c.flat_line_count == 1)
    return core::invalid("a flat line needs at least 2 readings (0 turns it off)",
                         "flat_line_count");
  if (!non_negative(c.flat_tolerance))
    return core::invalid("the flat-line tolerance must be a number of at least 0",
                         "flat_tolerance");
  return core::Status::ok();
}

core::Status check_missing(const SeriesConfig& c) {
  if (c.expected_interval.count() < 0)
    return core::invalid("the expected interval must not be negative", "expected_interval");
  if (!std::isfinite(c.silence_factor) || c.silence_factor < 1)
    return core::invalid("the silence factor must be a number of at least 1", "silence_factor");
  return core::Status::ok();
}

core::Status check_ears(const EarsConfig& e) {
  if (!non_negative(e.c1_threshold)) return core::invalid("bad C1 threshold", "ears.c1_threshold");
  if (!non_negative(e.c2_threshold)) return core::invalid("bad C2 threshold", "ears.c2_threshold");
  if (!non_negative(e.c3_threshold)) return core::invalid("bad C3 threshold", "ears.c3_threshold");
  if (!std::isfinite(e.min_sd) || e.min_sd <= 0)
    return core::invalid("the minimum sd must be a number above 0", "ears.min_sd");
  return core::Status::ok();
}

core::Status check_cusum(const CusumConfig& c) {
  if (!non_negative(c.k)) return core::invalid("k must be a number of at least 0", "cusum.k");
  if (!non_negative(c.h)) return core::invalid("h must be a number of at least 0", "cusum.h");
  if (c.baseline < 2 || c.baseline > kMaxCusumBaseline)
    return core::invalid("the CUSUM baseline must be 2..48 periods", "cusum.baseline");
  if (c.lag > kMaxCusumLag) return core::invalid("the CUSUM lag must be 0..8", "cusum.lag");
  if (!std::isfinite(c.min_sd) || c.min_sd <= 0)
    return core::invalid("the minimum sd must be a number above 0", "cusum.min_sd");
  return core::Status::ok();
}

}  // namespace

std::string_view name(Quality q) { return kQualityNames[static_cast<size_t>(q)]; }

core::Result<Quality> parse_quality(std::string_view text) {
  for (size_t i = 0; i < kQualityNames.size(); ++i)
    if (kQualityNames[i] == text) return static_cast<Quality>(i);
  return core::invalid(
      "'" + std::string(text) + "' is not a quality (ok, suspect, invalid, estimated, maintenance)",
      "quality");
}

bool judged(Quality q) { return q != Quality::kInvalid && q != Quality::kMaintenance; }

std::string_view name(DetectorKind k) { return kKindNames[static_cast<size_t>(k)]; }

std::optional<DetectorKind> parse_detector_kind(std::string_view text) {
  for (size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == text) return static_cast<DetectorKind>(i);
  return std::nullopt;
}

core::Status validate(const SeriesConfig& c) {
  LD_RETURN_IF_ERROR(check_threshold(c));
  LD_RETURN_IF_ERROR(check_rate(c));
  LD_RETURN_IF_ERROR(check_flat(c));
  LD_RETURN_IF_ERROR(check_missing(c));
  LD_RETURN_IF_ERROR(check_ears(c.ears));
  return check_cusum(c.cusum);
}

std::optional<ThresholdScore> threshold_score(const SeriesConfig& c, double value) {
  if ((!c.upper && !c.lower) || !std::isfinite(value)) return std::nullopt;
  ThresholdScore best;
  bool have = false;
  if (c.upper) {
    best = {value > *c.upper, (value - *c.upper) / *c.upper, *c.upper};
    have = true;
  }
  if (c.lower) {
    ThresholdScore low{value < *c.lower, (*c.lower - value) / *c.lower, *c.lower};
    if (!have || low.multiple > best.multiple) best = low;
  }
  return best;
}

SeriesDetector::SeriesDetector(SeriesConfig config) : config_(config) {
  if (!check_threshold(config_)) config_.upper = config_.lower = std::nullopt;
  if (!check_rate(config_)) config_.max_rate_per_hour = std::nullopt;
  if (!check_flat(config_)) config_.flat_line_count = 0;
  if (!check_missing(config_)) config_.expected_interval = core::Millis{0};
  if (!check_ears(config_.ears)) config_.ears.c1 = config_.ears.c2 = config_.ears.c3 = false;
  if (!check_cusum(config_.cusum)) config_.cusum.on = false;
}

std::optional<core::Timestamp> SeriesDetector::last_time() const { return newest_; }

void SeriesDetector::report(DetectorKind k, bool fires, const Reading& r, double score,
                            double limit, std::vector<Finding>& out) {
  bool& state = firing_[static_cast<size_t>(k)];
  if (fires || state) out.push_back({k, fires, r.time, r.value, score, limit});
  state = fires;
}

void SeriesDetector::observe(const Reading& r, std::vector<Finding>& out) {
  if (newest_ && r.time == *newest_) return;  // a duplicate
  bool in_order = !newest_ || r.time > *newest_;
  if (in_order) {
    newest_ = r.time;
    if (firing_[static_cast<size_t>(DetectorKind::kMissing)]) {
      double silence = 0;  // the clear reports no score: the silence is over
      report(DetectorKind::kMissing, false, r, silence, config_.silence_factor, out);
    }
  }
  if (!judged(r.quality) || !std::isfinite(r.value)) return;
  judge_threshold(r, in_order, out);
  if (!in_order) return;
  judge_rate(r, out);
  judge_flat(r, out);
  have_prev_ = true;
  prev_time_ = r.time;
  prev_value_ = r.value;
  if (config_.counts) judge_counts(r, out);
}

void SeriesDetector::judge_threshold(const Reading& r, bool in_order, std::vector<Finding>& out) {
  auto s = threshold_score(config_, r.value);
  if (!s) return;
  if (!in_order) {  // judged on its own; the current state belongs to newer readings
    if (s->exceeds)
      out.push_back({DetectorKind::kThreshold, true, r.time, r.value, s->multiple, s->limit});
    return;
  }
  report(DetectorKind::kThreshold, s->exceeds, r, s->multiple, s->limit, out);
}

void SeriesDetector::judge_rate(const Reading& r, std::vector<Finding>& out) {
  if (!config_.max_rate_per_hour || !have_prev_) return;
  double hours = static_cast<double>((r.time - prev_time_).count()) / 3'600'000.0;
  double rate = std::fabs(r.value - prev_value_) / hours;
  report(DetectorKind::kRate, rate > *config_.max_rate_per_hour, r, rate,
         *config_.max_rate_per_hour, out);
}

void SeriesDetector::judge_flat(const Reading& r, std::vector<Finding>& out) {
  if (config_.flat_line_count == 0) return;
  double lo = std::min(run_min_, r.value), hi = std::max(run_max_, r.value);
  if (have_prev_ && run_ > 0 && hi - lo <= config_.flat_tolerance) {
    if (run_ < UINT32_MAX) ++run_;
    run_min_ = lo;
    run_max_ = hi;
  } else {
    run_ = 1;
    run_min_ = run_max_ = r.value;
  }
  report(DetectorKind::kFlatLine, run_ >= config_.flat_line_count, r, run_, config_.flat_line_count,
         out);
}

void SeriesDetector::baseline(size_t n, size_t lag, double& mean, double& sd) const {
  double sum = 0;
  for (size_t i = lag; i < lag + n; ++i) sum += counts_[(head_ + kHistory - 1 - i) % kHistory];
  mean = sum / static_cast<double>(n);
  double ss = 0;
  for (size_t i = lag; i < lag + n; ++i) {
    double d = counts_[(head_ + kHistory - 1 - i) % kHistory] - mean;
    ss += d * d;
  }
  sd = std::sqrt(ss / static_cast<double>(n - 1));
}

void SeriesDetector::judge_counts(const Reading& r, std::vector<Finding>& out) {
  if (r.value < 0 || r.value > kMaxCount) return;  // not a count
  const double x = r.value;
  const EarsConfig& e = config_.ears;
  double mean = 0, sd = 0;
  if (e.c1 && stored_ >= kEarsBaseline) {
    baseline(kEarsBaseline, 0, mean, sd);
    double c1 = (x - mean) / std::max(sd, e.min_sd);
    report(DetectorKind::kEarsC1, c1 > e.c1_threshold, r, c1, e.c1_threshold, out);
  }
  if ((e.c2 || e.c3) && stored_ >= kEarsBaseline + kEarsLag) {
    baseline(kEarsBaseline, kEarsLag, mean, sd);
    double c2 = (x - mean) / std::max(sd, e.min_sd);
    if (e.c2) report(DetectorKind::kEarsC2, c2 > e.c2_threshold, r, c2, e.c2_threshold, out);
    if (e.c3 && c2_known_ == 2) {
      double c3 =
          std::max(0.0, c2 - 1) + std::max(0.0, prev_c2_[0] - 1) + std::max(0.0, prev_c2_[1] - 1);
      report(DetectorKind::kEarsC3, c3 > e.c3_threshold, r, c3, e.c3_threshold, out);
    }
    prev_c2_[1] = prev_c2_[0];
    prev_c2_[0] = c2;
    if (c2_known_ < 2) ++c2_known_;
  }
  const CusumConfig& cu = config_.cusum;
  if (cu.on && stored_ >= cu.baseline + cu.lag) {
    baseline(cu.baseline, cu.lag, mean, sd);
    double z = (x - mean) / std::max(sd, cu.min_sd);
    cusum_ = std::max(0.0, cusum_ + z - cu.k);
    report(DetectorKind::kCusum, cusum_ > cu.h, r, cusum_, cu.h, out);
  }
  counts_[head_] = x;
  head_ = (head_ + 1) % kHistory;
  if (stored_ < kHistory) ++stored_;
}

void SeriesDetector::check_silence(core::Timestamp now, std::vector<Finding>& out) {
  if (config_.expected_interval.count() <= 0 || !newest_) return;
  if (firing_[static_cast<size_t>(DetectorKind::kMissing)]) return;
  double intervals = static_cast<double>((now - *newest_).count()) /
                     static_cast<double>(config_.expected_interval.count());
  if (intervals <= config_.silence_factor) return;
  firing_[static_cast<size_t>(DetectorKind::kMissing)] = true;
  out.push_back(
      {DetectorKind::kMissing, true, now, prev_value_, intervals, config_.silence_factor});
}

}  // namespace liandong::monitoring
