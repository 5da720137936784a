// Detectors for one station's parameter: a streaming state machine fed one reading at a time.
//
// A SeriesDetector runs the detectors its SeriesConfig turns on — threshold (with the exceedance
// multiple), rate of change, flat line, missing data, and for count streams EARS C1/C2/C3 and an
// upper CUSUM — and reports Findings: a detector firing, continuing to fire, or clearing. Formulas
// and defaults: docs/MONITORING.md.
//
// Ordering: readings are expected in time order. A reading older than the newest seen is judged by
// the threshold only (a Finding with its own time, nothing else changes); a reading at exactly the
// newest time is ignored as a duplicate. Readings of quality kInvalid or kMaintenance, and readings
// whose value is NaN or infinite, are not judged (they only count as a sign of life for the
// missing-data detector).
//
// Memory: the detector holds fixed-size state; observe() appends to the caller's vector and does
// not allocate once that vector has capacity. Not thread-safe: one detector per series, used by
// one thread at a time (thread-compatible).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::monitoring {

enum class Quality : uint8_t { kOk, kSuspect, kInvalid, kEstimated, kMaintenance };

// "ok", "suspect", "invalid", "estimated", "maintenance".
std::string_view name(Quality q);
// The inverse of name(); kInvalidArgument naming `quality` for anything else.
core::Result<Quality> parse_quality(std::string_view text);
// Whether detectors judge a reading of this quality (all but kInvalid and kMaintenance).
bool judged(Quality q);

struct Reading {
  core::Timestamp time;
  double value = 0;
  Quality quality = Quality::kOk;
};

// EARS C1, C2, C3 (Hutwagner et al. 2003) on a count stream; each reading is one period's count.
struct EarsConfig {
  bool c1 = false;
  bool c2 = false;
  bool c3 = false;
  double c1_threshold = 3;  // C1 flags when above
  double c2_threshold = 3;  // C2 flags when above
  double c3_threshold = 2;  // C3 flags when above
  double min_sd = 0.2;      // the baseline sd is taken as at least this (flat baselines)
};

// One-sided upper CUSUM (Page 1954) on counts standardised by a moving baseline.
struct CusumConfig {
  bool on = false;
  double k = 0.5;         // reference value, in baseline sd
  double h = 4;           // decision interval, in baseline sd
  uint32_t baseline = 7;  // baseline periods ...
  uint32_t lag = 2;       // ... ending this many periods before the current one
  double min_sd = 0.2;
};

struct SeriesConfig {
  // Threshold: an upper limit S (exceeds when C > S), a lower limit (dissolved oxygen: exceeds
  // when C < S) or both (pH: a range). Limits must be finite and above 0.
  std::optional<double> upper;
  std::optional<double> lower;
  // Rate: fires when |ΔC| / Δt (per hour) between consecutive judged readings is above this.
  std::optional<double> max_rate_per_hour;
  // Flat line: fires when this many consecutive judged readings lie within flat_tolerance of
  // each other (max − min ≤ tolerance). 0 = off; otherwise at least 2.
  uint32_t flat_line_count = 0;
  double flat_tolerance = 0;
  // Missing: check_silence fires when nothing arrived for more than silence_factor ×
  // expected_interval after the newest reading. 0 = off.
  core::Millis expected_interval{0};
  double silence_factor = 3;
  // Count streams: EARS and CUSUM run only when `counts` is true.
  bool counts = false;
  EarsConfig ears;
  CusumConfig cusum;
};

// kInvalidArgument naming the field when a setting is unusable: a limit NaN, infinite or not above
// 0, a lower limit not below the upper, a negative or NaN rate, tolerance or threshold, a flat-line
// count of 1, a negative interval, a silence factor below 1, CUSUM baseline outside 2..48 or lag
// above 8, k or h negative.
core::Status validate(const SeriesConfig& config);

enum class DetectorKind : uint8_t {
  kThreshold,
  kRate,
  kFlatLine,
  kMissing,
  kEarsC1,
  kEarsC2,
  kEarsC3,
  kCusum
};
inline constexpr size_t kDetectorKinds = 8;

// "threshold", "rate", "flat_line", "missing", "ears_c1", "ears_c2", "ears_c3", "cusum".
std::string_view name(DetectorKind k);
// The inverse of name(); empty for anything else.
std::optional<DetectorKind> parse_detector_kind(std::string_view text);

struct Finding {
  DetectorKind kind = DetectorKind::kThreshold;
  bool firing = false;  // true: fires or continues; false: cleared
  core::Timestamp at;   // the reading's time (for missing: the time of the check)
  double value = 0;     // the reading's value (for missing: the newest value)
  // threshold: the signed multiple ((C − S)/S, or (S − C)/S for a lower limit; negative inside);
  // rate: |ΔC|/h; flat_line: the run length; missing: silence / expected interval;
  // EARS: the statistic; CUSUM: the cumulative sum.
  double score = 0;
  double limit = 0;  // what score (threshold: the value) was compared with
};

// The signed exceedance multiple of `value` against the config's limits: for an upper limit
// (C − S)/S, for a lower (S − C)/S, for a range the larger of the two sides; positive when the
// value exceeds. `limit` is the S of the side used. Empty when no limit is set or the value is not
// finite.
struct ThresholdScore {
  bool exceeds = false;
  double multiple = 0;
  double limit = 0;
};
std::optional<ThresholdScore> threshold_score(const SeriesConfig& config, double value);

class SeriesDetector {
 public:
  // A setting validate() refuses turns that detector off (a bad limit: no threshold).
  explicit SeriesDetector(SeriesConfig config);

  // Judges one reading; appends what it causes to `out`: for each detector that fires a Finding
  // with firing = true (again on every reading while it keeps firing), and one with firing = false
  // when it clears. Nothing for a normal reading.
  void observe(const Reading& r, std::vector<Finding>& out);

  // Fires kMissing once when `now` is more than silence_factor × expected_interval after the
  // newest reading (nothing before the first reading). The next reading clears it.
  void check_silence(core::Timestamp now, std::vector<Finding>& out);

  // The newest reading's time (any quality), if any.
  std::optional<core::Timestamp> last_time() const;
  const SeriesConfig& config() const { return config_; }
  // Whether the detector is firing now.
  bool firing(DetectorKind k) const { return firing_[static_cast<size_t>(k)]; }

 private:
  static constexpr size_t kHistory = 64;  // counts kept for EARS/CUSUM baselines

  void judge_threshold(const Reading& r, bool in_order, std::vector<Finding>& out);
  void judge_rate(const Reading& r, std::vector<Finding>& out);
  void judge_flat(const Reading& r, std::vector<Finding>& out);
  void judge_counts(const Reading& r, std::vector<Finding>& out);
  void report(DetectorKind k, bool fires, const Reading& r, double score, double limit,
              std::vector<Finding>& out);
  // Mean and sd of the `n` counts ending `lag` periods before the current one (index 0 = the
  // newest stored count, i.e. the previous period).
  void baseline(size_t n, size_t lag, double& mean, double& sd) const;

  SeriesConfig config_;
  std::array<bool, kDetectorKinds> firing_{};
  std::optional<core::Timestamp> newest_;  // any quality
  // The previous judged in-order reading, for rate and flat line.
  bool have_prev_ = false;
  core::Timestamp prev_time_;
  double prev_value_ = 0;
  uint32_t run_ = 0;
  double run_min_ = 0, run_max_ = 0;
  // Count history: ring of the last kHistory counts; stored_ of them are valid.
  std::array<double, kHistory> counts_{};
  size_t head_ = 0;  // where the next count goes
  size_t stored_ = 0;
  std::array<double, 2> prev_c2_{};  // C2 of the previous and second previous periods
  size_t c2_known_ = 0;              // how many of prev_c2_ are valid (0..2)
  double cusum_ = 0;
};

}  // namespace liandong::monitoring
