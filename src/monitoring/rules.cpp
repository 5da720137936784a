#include "monitoring/rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/yaml_support.h"
#include "monitoring/internal/defaults.h"
#include "monitoring/internal/reason.h"
#include "monitoring/internal/yaml_number.h"

namespace liandong::monitoring {
namespace {

using core::yaml::error_at;
using internal::format_number;

constexpr std::array<std::string_view, 5> kLevelNames = {"", "blue", "yellow", "orange", "red"};
constexpr int64_t kMaxCount = 1000;

WarningLevel level_at(size_t i) { return static_cast<WarningLevel>(i + 1); }  // 0 = blue
size_t index_of(WarningLevel l) { return static_cast<size_t>(l) - 1; }

core::Result<uint32_t> parse_count(std::string_view source, const YAML::Node& node,
                                   const std::string& what) {
  auto n = core::yaml::whole_number(source, node, what);
  if (!n) return n.status();
  if (*n < 1 || *n > kMaxCount)
    return error_at(source, node, what + ": " + std::to_string(*n) + " is not in 1..1000");
  return static_cast<uint32_t>(*n);
}

core::Status parse_levels(std::string_view source, const YAML::Node& map, ThresholdRule& rule) {
  rule.min_multiple = {};
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, map, "threshold.levels",
      [&](const std::string& key, const YAML::Node& kn, const YAML::Node& value) -> core::Status {
        auto level = parse_warning_level(key);
        if (!level || *level == WarningLevel::kNone)
          return error_at(source, kn,
                          "unknown level '" + key +
                              "' in threshold.levels (blue, yellow, orange, "
                              "red)");
        auto v = internal::finite_number(source, value, "threshold.levels." + key);
        if (!v) return v.status();
        if (*v < 0)
          return error_at(source, value,
                          "threshold.levels." + key + ": " + format_number(*v) +
                              " is negative (a multiple of at least 0)");
        rule.min_multiple[index_of(*level)] = *v;
        return core::Status::ok();
      }));
  std::optional<size_t> prev;
  for (size_t i = 0; i < 4; ++i) {
    if (!rule.min_multiple[i]) continue;
    if (prev && *rule.min_multiple[i] <= *rule.min_multiple[*prev])
      return error_at(source, map,
                      "threshold.levels: " + std::string(kLevelNames[i + 1]) + "'s " +
                          format_number(*rule.min_multiple[i]) + " is not above " +
                          std::string(kLevelNames[*prev + 1]) + "'s " +
                          format_number(*rule.min_multiple[*prev]) +
                          "; bounds must increase from blue to red");
    prev = i;
  }
  if (!prev) return error_at(source, map, "threshold.levels names no level");
  return core::Status::ok();
}

core::Status parse_threshold(std::string_view source, const YAML::Node& map, ThresholdRule& rule) {
  bool has_levels = false;
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, map, "threshold",
      [&](const std::string& key, const YAML::Node& kn, const YAML::Node& value) -> core::Status {
        std::string what = "threshold." + key;
        if (key == "levels") {
          has_levels = true;
          return parse_levels(source, value, rule);
        }
        if (key == "persistence" || key == "clear_readings") {
          auto n = parse_count(source, value, what);
          if (!n) return n.status();
          (key == "persistence" ? rule.persistence : rule.clear_readings) = *n;
          return core::Status::ok();
        }
        if (key == "band") {
          auto v = internal::finite_number(source, value, what);
          if (!v) return v.status();
          if (*v < 0 || *v > 1)
            return error_at(source, value,
                            what + ": " + format_number(*v) + " is not in 0..1 (a fraction of S)");
          rule.band = *v;
          return core::Status::ok();
        }
        return error_at(source, kn,
                        "unknown key '" + key +
                            "' in threshold (known: levels, persistence, clear_readings, band)");
      }));
  if (!has_levels) return error_at(source, map, "threshold: levels is missing");
  return core::Status::ok();
}

core::Status parse_event(std::string_view source, std::string_view detector, const YAML::Node& map,
                         EventRule& rule) {
  bool has_level = false;
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, map, detector,
      [&](const std::string& key, const YAML::Node& kn, const YAML::Node& value) -> core::Status {
        std::string what = std::string(detector) + "." + key;
        if (key == "level") {
          auto text = core::yaml::scalar(source, value, what);
          if (!text) return text.status();
          auto level = parse_warning_level(*text);
          if (!level)
            return error_at(
                source, value,
                what + ": '" + *text + "' is not a level (none, blue, yellow, orange, red)");
          rule.level = *level;
          has_level = true;
          return core::Status::ok();
        }
        if (key == "persistence" || key == "clear_readings") {
          auto n = parse_count(source, value, what);
          if (!n) return n.status();
          (key == "persistence" ? rule.persistence : rule.clear_readings) = *n;
          return core::Status::ok();
        }
        return error_at(source, kn,
                        "unknown key '" + key + "' in " + std::string(detector) +
                            " (known: level, persistence, clear_readings)");
      }));
  if (!has_level) return error_at(source, map, std::string(detector) + ": level is missing");
  return core::Status::ok();
}

}  // namespace

std::string_view name(WarningLevel l) { return kLevelNames[static_cast<size_t>(l)]; }

core::Result<WarningLevel> parse_warning_level(std::string_view text) {
  if (text == "none") return WarningLevel::kNone;
  for (size_t i = 0; i < kLevelNames.size(); ++i)
    if (kLevelNames[i] == text) return static_cast<WarningLevel>(i);
  return core::invalid("'" + std::string(text) +
                           "' is not a warning level (blue, yellow, orange, "
                           "red or none)",
                       "level");
}

core::Result<RuleSet> RuleSet::parse_yaml(std::string_view text, std::string_view source) {
  auto doc = core::yaml::parse(text, source);
  if (!doc) return doc.status();
  RuleSet rules;
  LD_RETURN_IF_ERROR(core::yaml::for_each_entry(
      source, *doc, "the warning rules",
      [&](const std::string& key, const YAML::Node& kn, const YAML::Node& value) -> core::Status {
        auto kind = parse_detector_kind(key);
        if (!kind)
          return error_at(source, kn,
                          "unknown detector '" + key +
                              "' (threshold, rate, flat_line, missing, ears_c1, ears_c2, ears_c3, "
                              "cusum)");
        if (*kind == DetectorKind::kThreshold)
          return parse_threshold(source, value, rules.threshold_);
        return parse_event(source, key, value, rules.events_[static_cast<size_t>(*kind)]);
      }));
  return rules;
}

std::string_view RuleSet::default_yaml() { return internal::default_warning_rules_yaml(); }

const RuleSet& RuleSet::defaults() {
  static const RuleSet kDefaults = [] {
    auto loaded = parse_yaml(default_yaml(), "default_warning_rules.yaml");
    if (!loaded) {  // a build defect, caught by monitoring_test
      std::fprintf(stderr, "liandong: bad default warning rules: %s\n",
                   loaded.status().message().c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return kDefaults;
}

// ---- LevelTracker

LevelTracker::LevelTracker(RuleSet rules, const SeriesConfig& config, SeriesLabel label)
    : rules_(std::move(rules)), config_(config), label_(std::move(label)) {
  // The same limits the detector accepts: a bad limit means no threshold, as there.
  auto bad = [](const std::optional<double>& v) { return v && !(std::isfinite(*v) && *v > 0); };
  if (bad(config_.upper) || bad(config_.lower) ||
      (config_.upper && config_.lower && *config_.lower >= *config_.upper))
    config_.upper = config_.lower = std::nullopt;
}

WarningLevel LevelTracker::level() const {
  WarningLevel top = WarningLevel::kNone;
  for (const KindState& k : kinds_) top = std::max(top, k.level);
  return top;
}

void LevelTracker::take(const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    KindState& k = kinds_[static_cast<size_t>(f.kind)];
    k.signal = f.firing;
    k.score = f.score;
    k.limit = f.limit;
    k.value = f.value;
  }
}

void LevelTracker::step_event(DetectorKind kind, bool signal) {
  const EventRule& rule = rules_.event(kind);
  KindState& k = kinds_[static_cast<size_t>(kind)];
  if (signal) {
    k.down = 0;
    if (k.up < UINT32_MAX) ++k.up;
    if (k.level == WarningLevel::kNone && k.up >= rule.persistence) k.level = rule.level;
  } else {
    k.up = 0;
    if (k.down < UINT32_MAX) ++k.down;
    if (k.level != WarningLevel::kNone && k.down >= rule.clear_readings)
      k.level = WarningLevel::kNone;
  }
}

void LevelTracker::step_threshold(double value) {
  auto s = threshold_score(config_, value);
  if (!s) return;
  const ThresholdRule& rule = rules_.threshold();
  KindState& k = kinds_[static_cast<size_t>(DetectorKind::kThreshold)];
  k.value = value;
  k.score = s->multiple;
  k.limit = s->limit;
  threshold_exceeds_ = s->exceeds;
  // Persistence: the streak of each level counts consecutive readings that reach it.
  for (size_t i = 0; i < 4; ++i) {
    bool reaches = s->exceeds && rule.min_multiple[i] && s->multiple >= *rule.min_multiple[i];
    streak_[i] = reaches ? (streak_[i] < UINT32_MAX ? streak_[i] + 1 : streak_[i]) : 0;
  }
  for (size_t i = 4; i-- > 0;) {
    WarningLevel l = level_at(i);
    if (l <= k.level) break;
    if (streak_[i] >= std::max<uint32_t>(rule.persistence, 1)) {
      k.level = l;
      k.down = 0;
      return;
    }
  }
  if (k.level == WarningLevel::kNone) return;
  // Hysteresis: leave only after clear_readings readings below the level's bound by the band,
  // then to the highest lower level the value is not below by the band.
  double bound = rule.min_multiple[index_of(k.level)].value_or(0);  // set_threshold may drop it
  if (s->multiple >= bound - rule.band) {
    k.down = 0;
    return;
  }
  if (++k.down < rule.clear_readings) return;
  k.down = 0;
  WarningLevel to = WarningLevel::kNone;
  for (size_t i = 0; i < index_of(k.level); ++i)
    if (rule.min_multiple[i] && s->multiple >= *rule.min_multiple[i] - rule.band) to = level_at(i);
  k.level = to;
}

std::optional<LevelTracker::Change> LevelTracker::finish(
    const std::array<WarningLevel, kDetectorKinds>& before, core::Timestamp at) {
  WarningLevel from = WarningLevel::kNone, to = level();
  for (WarningLevel l : before) from = std::max(from, l);
  if (from == to) return std::nullopt;
  // The cause: on a rise the detector that rose to the new level; on a fall the detector that
  // holds the new level (preferring one that changed), or, at none, the one that fell from the top.
  std::optional<size_t> cause;
  for (size_t i = 0; i < kDetectorKinds && !cause; ++i) {
    bool changed = kinds_[i].level != before[i];
    if (to > from && changed && kinds_[i].level == to) cause = i;
    if (to < from && to != WarningLevel::kNone && changed && kinds_[i].level == to) cause = i;
    if (to == WarningLevel::kNone && changed && before[i] == from) cause = i;
  }
  for (size_t i = 0; i < kDetectorKinds && !cause; ++i)
    if (kinds_[i].level == to) cause = i;
  const KindState& k = kinds_[*cause];
  DetectorKind kind = static_cast<DetectorKind>(*cause);
  bool holds = k.level != WarningLevel::kNone;
  bool firing = holds && (kind != DetectorKind::kThreshold || threshold_exceeds_);
  Change c;
  c.from = from;
  c.to = to;
  c.at = at;
  c.cause = kind;
  c.score = k.score;
  c.reason = internal::reason_zh(kind, firing || (holds && kind != DetectorKind::kThreshold),
                                 label_, k.value, k.score, k.limit);
  return c;
}

std::optional<LevelTracker::Change> LevelTracker::update(const std::vector<Finding>& findings,
                                                         const Reading& r) {
  if (newest_ && r.time <= *newest_) return std::nullopt;
  newest_ = r.time;
  std::array<WarningLevel, kDetectorKinds> before;
  for (size_t i = 0; i < kDetectorKinds; ++i) before[i] = kinds_[i].level;
  take(findings);
  step_event(DetectorKind::kMissing, kinds_[static_cast<size_t>(DetectorKind::kMissing)].signal);
  if (judged(r.quality) && std::isfinite(r.value)) {
    step_threshold(r.value);
    for (size_t i = 0; i < kDetectorKinds; ++i) {
      auto kind = static_cast<DetectorKind>(i);
      if (kind == DetectorKind::kThreshold || kind == DetectorKind::kMissing) continue;
      step_event(kind, kinds_[i].signal);
    }
  }
  return finish(before, r.time);
}

std::optional<LevelTracker::Change> LevelTracker::update_silence(
    const std::vector<Finding>& findings, core::Timestamp now) {
  std::array<WarningLevel, kDetectorKinds> before;
  for (size_t i = 0; i < kDetectorKinds; ++i) before[i] = kinds_[i].level;
  take(findings);
  KindState& k = kinds_[static_cast<size_t>(DetectorKind::kMissing)];
  if (k.signal) step_event(DetectorKind::kMissing, true);
  return finish(before, now);
}

}  // namespace liandong::monitoring
