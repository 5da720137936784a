// A reading: one value of one parameter measured at one monitoring station at one instant.
//
// Readings are telemetry (docs/READINGS.md): they are stored in batches in their own tables, never
// as journal events. This module's Reading is the ingest and storage form; the monitoring
// detectors have their own small one and the runtime maps between them.
//
// All functions here are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace liandong::readings {

// The quality flag a station (or a person) attaches to a reading. Stored as its number, so the
// numbers never change; new flags are appended.
enum class Quality : uint8_t { kOk = 0, kSuspect, kInvalid, kEstimated, kMaintenance };
inline constexpr uint8_t kQualityCount = 5;

// "ok", "suspect", "invalid", "estimated", "maintenance".
std::string_view quality_name(Quality q);
// The flag named `text` (exactly, lower case), or nullopt.
std::optional<Quality> quality_from_name(std::string_view text);
// The flag numbered `n` (as stored), or nullopt when out of range.
std::optional<Quality> quality_from_number(int64_t n);
// As quality_from_name, or kInvalidArgument "quality 'x' is not one of ok, suspect, ..." naming
// `field`.
core::Result<Quality> parse_quality(std::string_view text, std::string_view field = "quality");

struct Reading {
  std::string station;    // a station id like 441300-MON-12 (see is_station_id)
  std::string parameter;  // snake_case code, e.g. cadmium (see is_parameter_code)
  core::Timestamp time;   // UTC
  double value = 0;
  Quality quality = Quality::kOk;
  bool operator==(const Reading&) const = default;
};

// Limits every reading obeys, wherever it comes from (line protocol, JSON, the store).
inline constexpr size_t kMaxStationBytes = 34;    // 6 + 1 + 8 + 1 + 18
inline constexpr size_t kMaxParameterBytes = 64;  // [a-z][a-z0-9_]{0,63}
// |value| at most this: beyond any physical measurement, and it keeps a bucket's sum finite.
inline constexpr double kMaxAbsValue = 1e15;
// Times from 1970-01-01T00:00:00Z (0) up to, not including, 10000-01-01T00:00:00Z, in Unix ms.
inline constexpr int64_t kMinTimeMs = 0;
inline constexpr int64_t kEndTimeMs = 253402300800000;

// True for "DDDDDD-KIND-N": six digits, 1 to 8 upper-case letters, a decimal sequence of at most
// 18 digits without a leading zero and not 0 (the identifier form of core/ids.h).
bool is_station_id(std::string_view text);
// True for [a-z][a-z0-9_]{0,63}.
bool is_parameter_code(std::string_view text);
// True when kMinTimeMs <= ms < kEndTimeMs.
inline bool is_reading_time(int64_t ms) { return ms >= kMinTimeMs && ms < kEndTimeMs; }
// True when v is finite and |v| <= kMaxAbsValue.
bool is_reading_value(double v);

// Checks every field of a reading as above. kInvalidArgument naming the field ("station",
// "parameter", "time", "value", "quality") and saying what is wrong.
core::Status check_reading(const Reading& r);

}  // namespace liandong::readings
