#include "readings/lines.h"

#include <gtest/gtest.h>

#include <random>

#include "core/time.h"
#include "readings/internal/fast_parse.h"

namespace liandong::readings {
namespace {

// 2026-12-02T00:00:00Z
constexpr int64_t kDec2 = 1796169600000;

Reading reading(std::string station, std::string parameter, int64_t ms, double value,
                Quality q = Quality::kOk) {
  return {std::move(station), std::move(parameter), core::from_unix_millis(ms), value, q};
}

// The one error of a one-line body.
std::string error_of(std::string_view line) {
  ParsedLines p = parse_lines(line);
  EXPECT_TRUE(p.readings.empty()) << line;
  if (p.errors.size() != 1) return "(" + std::to_string(p.errors.size()) + " errors)";
  EXPECT_EQ(p.errors[0].line, 1u);
  return p.errors[0].message;
}

int64_t ms_of(std::string_view line) {
  ParsedLines p = parse_lines(line);
  EXPECT_EQ(p.readings.size(), 1u) << line << (p.errors.empty() ? "" : p.errors[0].message);
  return p.readings.empty() ? -1 : core::to_unix_millis(p.readings[0].time);
}

TEST(ParseLines, AGoodLineWithAndWithoutQuality) {
  ParsedLines p = parse_lines(
      "441300-MON-12 cadmium 2026-12-02T08:00:00+08:00 0.0062 suspect\n"
      "441300-MON-12\tph \t 1796169600000    7.4\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].message;
  ASSERT_EQ(p.readings.size(), 2u);
  EXPECT_EQ(p.readings[0], reading("441300-MON-12", "cadmium", kDec2, 0.0062, Quality::kSuspect));
  EXPECT_EQ(p.readings[1], reading("441300-MON-12", "ph", kDec2, 7.4));
  EXPECT_EQ(p.reading_lines, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(p.errors_omitted, 0u);
}

TEST(ParseLines, OffsetsAreTakenToUtc) {
  EXPECT_EQ(ms_of("441300-MON-1 ph 2026-12-02T08:00:00+08:00 1"), kDec2);
  EXPECT_EQ(ms_of("441300-MON-1 ph 2026-12-02T00:00:00Z 1"), kDec2);
  EXPECT_EQ(ms_of("441300-MON-1 ph 2026-12-02T00:00:00z 1"), kDec2);
  EXPECT_EQ(ms_of("441300-MON-1 ph 2026-12-01T20:30:00-03:30 1"), kDec2);
  EXPECT_EQ(ms_of("441300-MON-1 ph 2026-12-02t07:00:00+08:00 1"), kDec2 - 3600000);
  // Fractions are cut to milliseconds.
  EXPECT_EQ(ms_of("441300-MON-1 ph 2026-12-02T00:00:00.5Z 1"), kDec2 + 500);
  EXPECT_EQ(ms_of("441300-MON-1 ph 2026-12-02T00:00:00.123999999Z 1"), kDec2 + 123);
  // A leap day; the first and last instants allowed.
  EXPECT_EQ(ms_of("441300-MON-1 ph 2024-02-29T20:00:00+08:00 1"), 1709208000000);
  EXPECT_EQ(ms_of("441300-MON-1 ph 1970-01-01T00:00:00Z 1"), 0);
  EXPECT_EQ(ms_of("441300-MON-1 ph 9999-12-31T23:59:59.999Z 1"), kEndTimeMs - 1);
  EXPECT_EQ(ms_of("441300-MON-1 ph 1970-01-01T08:00:00+08:00 1"), 0);
}

TEST(ParseLines, EpochMilliseconds) {
  EXPECT_EQ(ms_of("441300-MON-1 ph 1796169600000 1"), kDec2);
  EXPECT_EQ(ms_of("441300-MON-1 ph 0 1"), 0);
  EXPECT_EQ(ms_of("441300-MON-1 ph 00042 1"), 42);
  EXPECT_EQ(ms_of("441300-MON-1 ph 253402300799999 1"), kEndTimeMs - 1);
}

TEST(ParseLines, EveryMalformedKindSaysWhatIsWrong) {
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02T08:00:00 1"),
            "time '2026-12-02T08:00:00' has no offset (Z or +hh:mm); times without an offset are "
            "refused");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02T08:00:00.25 1"),
            "time '2026-12-02T08:00:00.25' has no offset (Z or +hh:mm); times without an offset "
            "are refused");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02T08:00:00+0800 1"),
            "time '2026-12-02T08:00:00+0800' has an offset that is not +hh:mm or -hh:mm");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02T08:00:00+24:00 1"),
            "time '2026-12-02T08:00:00+24:00' has an offset that is not +hh:mm or -hh:mm");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-02-29T08:00:00Z 1"),
            "time '2026-02-29T08:00:00Z' is not a calendar date");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-13-01T08:00:00Z 1"),
            "time '2026-13-01T08:00:00Z' is not a calendar date");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02T24:00:00Z 1"),
            "time '2026-12-02T24:00:00Z' has an hour, minute or second out of range");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02 1"),
            "time '2026-12-02' is not RFC 3339 (YYYY-MM-DDThh:mm:ss with Z or an offset)");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02T08:00:00.Z 1"),
            "time '2026-12-02T08:00:00.Z' has a fraction of a second that is empty or longer than "
            "9 digits");
  EXPECT_EQ(error_of("441300-MON-1 ph 2026-12-02T08:00:00Zjunk 1"),
            "time '2026-12-02T08:00:00Zjunk' has text after the offset");
  EXPECT_EQ(error_of("441300-MON-1 ph 1969-12-31T23:00:00Z 1"),
            "time '1969-12-31T23:00:00Z' is outside 1970-01-01T00:00:00Z to "
            "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(error_of("441300-MON-1 ph -3600000 1"),
            "time '-3600000' is neither RFC 3339 with an offset nor Unix epoch milliseconds "
            "(digits only)");
  EXPECT_EQ(error_of("441300-MON-1 ph 253402300800000 1"),
            "time '253402300800000' is outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z");
  EXPECT_EQ(error_of("441300-MON-1 ph 9999999999999999999999 1"),
            "time '9999999999999999999999' is neither RFC 3339 with an offset nor Unix epoch "
            "milliseconds before year 10000");
  EXPECT_EQ(error_of("441300-MON-1 ph 17961696e5 1"),
            "time '17961696e5' is neither RFC 3339 with an offset nor Unix epoch milliseconds "
            "(digits only)");
  for (const char* v : {"abc", "nan", "NaN", "inf", "-inf", "infinity", "0x1A", "1,5", "--1", "+-1",
                        "1e", ".", "-", "1.2.3", "e5", "1e5e5"}) {
    EXPECT_EQ(error_of(std::string("441300-MON-1 ph 0 ") + v),
              std::string("value '") + v + "' is not a decimal number");
  }
  EXPECT_EQ(error_of("441300-MON-1 ph 0 1e16"),
            "value '1e16' is out of range (magnitude at most 1e15)");
  EXPECT_EQ(error_of("441300-MON-1 ph 0 1e400"),
            "value '1e400' is too large or too close to zero for a double");
  EXPECT_EQ(error_of("441300-MON-1 ph 0 1 good"),
            "quality 'good' is not one of ok, suspect, invalid, estimated, maintenance");
  EXPECT_EQ(error_of("441300-MON-1 ph 0 1 ok extra"),
            "unexpected text after the quality (more than 5 fields)");
  EXPECT_EQ(error_of("441300-MON-1 ph 0"),
            "expected STATION PARAMETER TIME VALUE [QUALITY], got 3 fields");
  EXPECT_EQ(error_of("441300-MON-1"),
            "expected STATION PARAMETER TIME VALUE [QUALITY], got 1 field");
  EXPECT_EQ(error_of("MON-1 ph 0 1"),
            "station 'MON-1' is not a station id of the form 441300-MON-12");
  EXPECT_EQ(error_of("441300-MON-1 Cadmium 0 1"),
            "parameter 'Cadmium' is not a code of the form [a-z][a-z0-9_]{0,63}");
  EXPECT_EQ(error_of("441300-MON-1 ph 0 1 " + std::string(520, 'x')),
            "line is 540 bytes long, over the limit of 512");
  // Bytes that are not printable ASCII are escaped in the message.
  EXPECT_EQ(error_of("441300-MON-1 ph 0 1\x01"), "value '1\\x01' is not a decimal number");
}

TEST(ParseLines, ValuesAreDecimalNumbers) {
  auto value_of = [](std::string_view v) {
    ParsedLines p = parse_lines("441300-MON-1 ph 0 " + std::string(v));
    EXPECT_EQ(p.readings.size(), 1u) << v;
    return p.readings.empty() ? -999.0 : p.readings[0].value;
  };
  EXPECT_EQ(value_of("0.0062"), 0.0062);
  EXPECT_EQ(value_of("-3"), -3.0);
  EXPECT_EQ(value_of("+3"), 3.0);
  EXPECT_EQ(value_of(".5"), 0.5);
  EXPECT_EQ(value_of("5."), 5.0);
  EXPECT_EQ(value_of("6.2e-3"), 0.0062);
  EXPECT_EQ(value_of("1E+15"), 1e15);
  EXPECT_EQ(value_of("-1e15"), -1e15);
}

TEST(ParseLines, GoodLinesAreKeptBesideBadOnesWithTheirNumbers) {
  ParsedLines p = parse_lines(
      "# header comment\n"                                 // 1
      "441300-MON-1 cadmium 2026-12-02T00:00:00Z 0.004\n"  // 2
      "441300-MON-1 cadmium 2026-12-02T00:05:00Z abc\n"    // 3
      "\n"                                                 // 4
      "   \t  \n"                                          // 5
      "  # an indented comment\n"                          // 6
      "441300-MON-1 cadmium 2026-12-02T00:10:00 0.005\n"   // 7
      "441300-MON-1 cadmium 2026-12-02T00:15:00Z 0.006");  // 8, no final newline
  ASSERT_EQ(p.readings.size(), 2u);
  EXPECT_EQ(p.reading_lines, (std::vector<size_t>{2, 8}));
  EXPECT_EQ(p.readings[1], reading("441300-MON-1", "cadmium", kDec2 + 15 * 60000, 0.006));
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].line, 3u);
  EXPECT_EQ(p.errors[0].message, "value 'abc' is not a decimal number");
  EXPECT_EQ(p.errors[1].line, 7u);
}

TEST(ParseLines, CrLfEndsALineAsLfDoes) {
  ParsedLines p = parse_lines(
      "441300-MON-1 ph 0 7.1\r\n"
      "# comment\r\n"
      "\r\n"
      "441300-MON-1 ph 1 7.2 ok\r\n"
      "441300-MON-1 ph 2 x\r\n");
  ASSERT_EQ(p.readings.size(), 2u);
  EXPECT_EQ(p.reading_lines, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(p.readings[1].value, 7.2);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 5u);
  EXPECT_EQ(p.errors[0].message, "value 'x' is not a decimal number");
  // A lone \r inside a line is not an end of line.
  EXPECT_EQ(error_of("441300-MON-1 ph 0\r7"),
            "expected STATION PARAMETER TIME VALUE [QUALITY], got 3 fields");
}

TEST(ParseLines, EmptyAndBlankBodies) {
  for (std::string_view body : {"", "\n", "\n\n\r\n", "# only a comment", "  \t "}) {
    ParsedLines p = parse_lines(body);
    EXPECT_TRUE(p.readings.empty());
    EXPECT_TRUE(p.errors.empty());
  }
}

TEST(ParseLines, ErrorsBeyondTheLimitAreCountedNotListed) {
  std::string body;
  for (size_t i = 0; i < kMaxLineErrors + 5; ++i) body += "bad\n";
  body += "441300-MON-1 ph 0 1\n";
  ParsedLines p = parse_lines(body);
  EXPECT_EQ(p.errors.size(), kMaxLineErrors);
  EXPECT_EQ(p.errors_omitted, 5u);
  EXPECT_EQ(p.errors.back().line, kMaxLineErrors);
  EXPECT_EQ(p.reading_lines, (std::vector<size_t>{kMaxLineErrors + 6}));
}

TEST(FormatLine, RoundTrips) {
  std::vector<Reading> rs = {
      reading("441300-MON-12", "cadmium", kDec2 + 123, 0.0062, Quality::kSuspect),
      reading("441300-MON-12", "ph", 0, 7.4),
      reading("110000-WQ-999999999999999999", std::string(64, 'z'), kEndTimeMs - 1, -1e15,
              Quality::kMaintenance),
      reading("441300-A-1", "t", 1, 0.1 + 0.2, Quality::kEstimated),
      reading("441300-A-1", "t", 1, 5e-324, Quality::kInvalid),
  };
  EXPECT_EQ(format_line(rs[0]), "441300-MON-12 cadmium 2026-12-02T00:00:00.123Z 0.0062 suspect");
  EXPECT_EQ(format_line(rs[1]), "441300-MON-12 ph 1970-01-01T00:00:00.000Z 7.4");
  std::string body;
  for (const Reading& r : rs) append_line(r, body);
  ParsedLines p = parse_lines(body);
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].message;
  EXPECT_EQ(p.readings, rs);
}

TEST(FormatLine, RandomReadingsRoundTrip) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> t(0, kEndTimeMs - 1);
  std::uniform_real_distribution<double> v(-1e6, 1e6);
  std::vector<Reading> rs;
  std::string body;
  for (int i = 0; i < 2000; ++i) {
    rs.push_back(reading("441300-MON-" + std::to_string(i + 1), "p" + std::to_string(i % 7), t(rng),
                         v(rng), static_cast<Quality>(i % kQualityCount)));
    append_line(rs.back(), body);
  }
  ParsedLines p = parse_lines(body);
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].message;
  EXPECT_EQ(p.readings, rs);
}

// The fast time parser agrees with core::parse_rfc3339 on valid times of every shape.
TEST(ParseTime, AgreesWithCoreOnRandomTimes) {
  std::mt19937_64 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < 20000; ++i) {
    char buf[64];
    int y = pick(1971, 9998), mo = pick(1, 12), d = pick(1, 28);
    int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, pick(0, 23),
                          pick(0, 59), pick(0, 60));
    std::string s(buf, static_cast<size_t>(n));
    if (pick(0, 1)) s += "." + std::to_string(pick(0, 999999));
    int oh = pick(0, 23), om = pick(0, 59);
    switch (pick(0, 2)) {
      case 0:
        s += "Z";
        break;
      default:
        std::snprintf(buf, sizeof buf, "%c%02d:%02d", pick(0, 1) ? '+' : '-', oh, om);
        s += buf;
    }
    auto core_ms = core::parse_rfc3339(s);
    ASSERT_TRUE(core_ms.is_ok()) << s;
    int64_t ms = 0;
    const char* why = nullptr;
    ASSERT_TRUE(internal::parse_time(s, ms, why)) << s << " " << why;
    EXPECT_EQ(ms, core::to_unix_millis(*core_ms)) << s;
  }
}

// Random garbage, and random damage to good lines, never crashes and never hangs; every line is
// either a reading or an error.
TEST(ParseLines, GarbageNeverCrashes) {
  std::mt19937_64 rng(3);
  const std::string good = "441300-MON-12 cadmium 2026-12-02T08:00:00.5+08:00 -1.5e-3 suspect\n";
  // A literal with a NUL inside: its length is given, not found by strlen.
  static constexpr char kAlphabet[] =
      "0123456789-+.:eEZTt #\t\r\n\x00\xff"
      "abcMON_";
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);
  for (int round = 0; round < 2000; ++round) {
    std::string body;
    int lines = std::uniform_int_distribution<int>(0, 20)(rng);
    for (int l = 0; l < lines; ++l) {
      std::string line = good;
      int edits = std::uniform_int_distribution<int>(0, 6)(rng);
      for (int e = 0; e < edits && !line.empty(); ++e) {
        size_t at = std::uniform_int_distribution<size_t>(0, line.size() - 1)(rng);
        char c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
        switch (rng() % 3) {
          case 0:
            line[at] = c;
            break;
          case 1:
            line.insert(at, 1, c);
            break;
          default:
            line.erase(at, 1);
        }
      }
      body += line;
    }
    if (round % 4 == 0) {  // pure noise
      body.clear();
      for (int i = 0; i < 300; ++i) body += static_cast<char>(rng());
    }
    ParsedLines p = parse_lines(body);
    ASSERT_EQ(p.readings.size(), p.reading_lines.size());
    for (const Reading& r : p.readings) EXPECT_TRUE(check_reading(r).is_ok()) << format_line(r);
    size_t last = 0;
    for (size_t l : p.reading_lines) {
      EXPECT_GT(l, last);
      last = l;
    }
  }
}

}  // namespace
}  // namespace liandong::readings
