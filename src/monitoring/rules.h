// Warning rules: how detector results become a warning level (blue, yellow, orange, red), with
// persistence (a level is entered only after N consecutive readings qualify) and hysteresis (it is
// left only after M consecutive readings below its entry bound by a band), so that a value
// hovering at a limit does not flap. Rules, defaults and the YAML format: docs/MONITORING.md.
//
// RuleSet is a plain value (thread-compatible); RuleSet::defaults() is safe from any thread.
// LevelTracker holds one series' state: thread-compatible, one thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "monitoring/detectors.h"

namespace liandong::monitoring {

enum class WarningLevel : uint8_t { kNone, kBlue, kYellow, kOrange, kRed };

// "", "blue", "yellow", "orange", "red".
std::string_view name(WarningLevel l);
// The inverse of name(); "none" also gives kNone. kInvalidArgument naming `level` otherwise.
core::Result<WarningLevel> parse_warning_level(std::string_view text);

// The threshold detector's rule: levels by exceedance multiple.
struct ThresholdRule {
  // The least multiple (C − S)/S of an exceeding value for blue, yellow, orange, red (index 0..3);
  // empty: the threshold never raises that level. Increasing from blue to red.
  std::array<std::optional<double>, 4> min_multiple;
  uint32_t persistence = 2;     // consecutive readings at or above a level's bound to enter it
  uint32_t clear_readings = 2;  // consecutive readings below (bound − band) to leave it
  double band = 0.1;            // in multiples, i.e. a fraction of the limit S
};

// The rule of any other detector: while it fires it justifies `level`.
struct EventRule {
  WarningLevel level = WarningLevel::kNone;  // kNone: the detector raises no level
  uint32_t persistence = 1;     // consecutive firing readings (silence checks for missing)
  uint32_t clear_readings = 1;  // consecutive readings not firing to leave the level
};

class RuleSet {
 public:
  // Parses the YAML format of docs/MONITORING.md. A detector the file does not name raises no
  // level. kInvalidArgument "source:line: what" on unknown or repeated keys, unknown levels,
  // bounds that are negative, not numbers or not increasing, counts outside 1..1000, a band
  // outside 0..1.
  static core::Result<RuleSet> parse_yaml(std::string_view text, std::string_view source);
  // The compiled-in default_warning_rules.yaml.
  static const RuleSet& defaults();
  static std::string_view default_yaml();

  const ThresholdRule& threshold() const { return threshold_; }
  // The rule of a detector other than kThreshold.
  const EventRule& event(DetectorKind k) const { return events_[static_cast<size_t>(k)]; }
  void set_threshold(const ThresholdRule& r) { threshold_ = r; }
  void set_event(DetectorKind k, const EventRule& r) { events_[static_cast<size_t>(k)] = r; }

 private:
  ThresholdRule threshold_;
  std::array<EventRule, kDetectorKinds> events_{};  // index kThreshold unused
};

// What the reason text names: the parameter and the class whose limit is applied.
struct SeriesLabel {
  std::string name_zh;   // e.g. "镉"; empty: "数值"
  std::string unit;      // e.g. "mg/L"
  int target_class = 0;  // 1..5 for "III 类限值"; 0: "限值"
};

// The warning level of one series, fed the same readings as its SeriesDetector together with the
// findings the detector gave for each. The level of the series is the highest level any detector
// justifies. The threshold's level follows the readings' values (judged against `config`'s limits,
// as the detector does) so that hysteresis can see values below the limit; the other detectors'
// levels follow their findings.
class LevelTracker {
 public:
  struct Change {
    WarningLevel from = WarningLevel::kNone;
    WarningLevel to = WarningLevel::kNone;
    core::Timestamp at;
    DetectorKind cause = DetectorKind::kThreshold;
    double score = 0;
    // Chinese, e.g. "镉 0.012 mg/L，超标 1.4 倍（III 类限值 0.005 mg/L）".
    std::string reason;
  };

  LevelTracker(RuleSet rules, const SeriesConfig& config, SeriesLabel label = {});

  // After SeriesDetector::observe(r, findings). Returns the change of the series' level, if any.
  // A reading not newer than the newest seen changes nothing (its findings are events for the
  // caller to record, not level changes); readings not judged (quality, non-finite value) only
  // count towards leaving a missing-data level.
  std::optional<Change> update(const std::vector<Finding>& findings, const Reading& r);
  // After SeriesDetector::check_silence(now, findings).
  std::optional<Change> update_silence(const std::vector<Finding>& findings, core::Timestamp now);

  WarningLevel level() const;
  // The level one detector justifies now.
  WarningLevel level(DetectorKind k) const { return kinds_[static_cast<size_t>(k)].level; }

 private:
  struct KindState {
    WarningLevel level = WarningLevel::kNone;
    bool signal = false;  // the detector's newest state: firing or not
    uint32_t up = 0, down = 0;
    double score = 0, limit = 0, value = 0;
  };

  void take(const std::vector<Finding>& findings);
  void step_event(DetectorKind k, bool signal);
  void step_threshold(double value);
  std::optional<Change> finish(const std::array<WarningLevel, kDetectorKinds>& before,
                               core::Timestamp at);

  RuleSet rules_;
  SeriesConfig config_;
  SeriesLabel label_;
  std::array<KindState, kDetectorKinds> kinds_{};
  std::array<uint32_t, 4> streak_{};  // threshold: consecutive readings at or above each level
  bool threshold_exceeds_ = false;
  std::optional<core::Timestamp> newest_;
};

}  // namespace liandong::monitoring
