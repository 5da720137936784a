// The national warning identifier of GB/T 35965.1-2018 (应急信息交互协议 第1部分：预警信息),
// ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N, 31 characters (docs/CAP.md "National identifier"):
//
//   ZZZZZZ          six-digit GB/T 2260 administrative division code of the issuing body
//   DDD UUU XX      the body code: DDD the three-digit sector (机构行业) code of GB/T 4657, UUU
//                   the issuing unit's internal second-level code (default 000), XX a two-digit
//                   extension (default 00); held together as `body`, eight digits
//   YYYYMMDDhhmmss  when the warning was entered, in Beijing time (UTC+8, no daylight saving)
//   N               the sequence digit 0-9 of warnings the same body entered in the same second
//
// Also beijing_time(), the CAP date-time of an instant at +08:00, which the national profile
// uses for sent/effective/onset/expires. No tz database is needed: Beijing time is UTC+8 all
// year. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace liandong::alerts {

struct NationalId {
  std::string division;  // six digits, e.g. "441300"
  std::string body;      // eight digits DDDUUUXX, e.g. "41600000"
  core::Timestamp entry;
  int sequence = 0;  // 0..9
  bool operator==(const NationalId&) const = default;
};

// The identifier, e.g. "44130041600000_20261129130500_0". The entry time is written to the
// second (milliseconds are dropped). The fields must be well-formed (check_national_id); a field
// that is not is written as given, which parse_national_id then refuses.
std::string format_national_id(const NationalId& id);

// kInvalidArgument naming the field at fault (division, body, entry, sequence) when the id cannot
// be written as a valid identifier: wrong digit counts, a sequence outside 0-9, an entry time
// outside years 1000-9999 in Beijing time.
core::Status check_national_id(const NationalId& id);

// Reads an identifier; kInvalidArgument saying what is wrong (length, a non-digit, the
// separators, no such date or time) otherwise.
core::Result<NationalId> parse_national_id(std::string_view text);

// "YYYY-MM-DDThh:mm:ss+08:00", to the second (milliseconds dropped).
std::string beijing_time(core::Timestamp t);

}  // namespace liandong::alerts
