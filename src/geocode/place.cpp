// The places section: "LDPL", format version (u32), a string table (varint count, then varint
// length + UTF-8 bytes each; index 0 is the empty string and is not stored), then the records
// (varint count; each: kind u8, five varint string indices for name, alt_name, street,
// housenumber and type, longitude and latitude as int32 degrees × 1e7). All little-endian.
// Street names repeat across house numbers, so the table keeps the section small.
#include "geocode/place.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "geocode/internal/text.h"

namespace liandong::geocode {
namespace {

constexpr char kMagic[4] = {'L', 'D', 'P', 'L'};
constexpr uint32_t kVersion = 1;
constexpr size_t kMinRecordBytes = 1 + 5 + 8;

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(0x80 | (v & 0x7F)));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

int32_t to_e7(double degrees, double limit) {
  if (!std::isfinite(degrees)) return 0;
  return static_cast<int32_t>(std::llround(std::clamp(degrees, -limit, limit) * 1e7));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : s_(bytes) {}
  size_t left() const { return s_.size() - pos_; }
  bool varint(uint32_t& v) {
    uint64_t x = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos_ >= s_.size()) return false;
      const auto b = static_cast<unsigned char>(s_[pos_++]);
      x |= uint64_t(b & 0x7F) << shift;
      if (!(b & 0x80)) {
        if (x > 0xFFFFFFFFu) return false;
        v = static_cast<uint32_t>(x);
        return true;
      }
    }
    return false;
  }
  bool u32(uint32_t& v) {
    if (left() < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(static_cast<unsigned char>(s_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return true;
  }
  bool u8(uint8_t& v) {
    if (left() < 1) return false;
    v = static_cast<uint8_t>(s_[pos_++]);
    return true;
  }
  bool bytes(size_t n, std::string_view& out) {
    if (left() < n) return false;
    out = s_.substr(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

core::Status damaged(const std::string& what) { return core::invalid("places section damaged: " + what, "places"); }

}  // namespace

std::string encode_places(const std::vector<PlaceRecord>& places) {
  std::vector<const std::string*> table;
  std::unordered_map<std::string_view, uint32_t> index;
  auto id = [&](const std::string& s) -> uint32_t {
    if (s.empty()) return 0;
    auto [it, fresh] = index.try_emplace(s, uint32_t(table.size() + 1));
    if (fresh) table.push_back(&s);
    return it->second;
  };
  std::string records;
  for (const auto& p : places) {
    records.push_back(static_cast<char>(p.kind));
    for (const std::string* s : {&p.name, &p.alt_name, &p.street, &p.housenumber, &p.type}) put_varint(records, id(*s));
    put_u32(records, static_cast<uint32_t>(to_e7(p.lon, 180)));
    put_u32(records, static_cast<uint32_t>(to_e7(p.lat, 90)));
  }
  std::string out(kMagic, sizeof kMagic);
  put_u32(out, kVersion);
  put_varint(out, table.size());
  for (const std::string* s : table) {
    put_varint(out, s->size());
    out += *s;
  }
  put_varint(out, places.size());
  out += records;
  return out;
}

core::Result<std::vector<PlaceRecord>> decode_places(std::string_view bytes) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return damaged("not a places section (no LDPL header)");
  Reader r(bytes.substr(4));
  uint32_t version = 0, strings = 0, count = 0;
  if (!r.u32(version)) return damaged("truncated header");
  if (version != kVersion)
    return core::invalid("places section version " + std::to_string(version) + ", this program reads version " +
                             std::to_string(kVersion),
                         "places");
  if (!r.varint(strings) || strings > r.left()) return damaged("bad string count");
  std::vector<std::string> table(1);
  table.reserve(size_t(strings) + 1);
  for (uint32_t i = 0; i < strings; ++i) {
    uint32_t n = 0;
    std::string_view s;
    if (!r.varint(n) || !r.bytes(n, s)) return damaged("string " + std::to_string(i) + " is cut short");
    if (!internal::valid_utf8(s)) return damaged("string " + std::to_string(i) + " is not UTF-8");
    table.emplace_back(s);
  }
  if (!r.varint(count) || count > r.left() / kMinRecordBytes) return damaged("bad record count");
  std::vector<PlaceRecord> out;
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    PlaceRecord p;
    uint8_t kind = 0;
    if (!r.u8(kind) || kind > static_cast<uint8_t>(PlaceKind::kAddress))
      return damaged("record " + std::to_string(i) + " has an unknown kind");
    p.kind = static_cast<PlaceKind>(kind);
    for (std::string* s : {&p.name, &p.alt_name, &p.street, &p.housenumber, &p.type}) {
      uint32_t k = 0;
      if (!r.varint(k) || k >= table.size()) return damaged("record " + std::to_string(i) + " names no string");
      *s = table[k];
    }
    uint32_t lon = 0, lat = 0;
    if (!r.u32(lon) || !r.u32(lat)) return damaged("record " + std::to_string(i) + " is cut short");
    p.lon = static_cast<int32_t>(lon) / 1e7;
    p.lat = static_cast<int32_t>(lat) / 1e7;
    if (std::abs(p.lon) > 180 || std::abs(p.lat) > 90)
      return damaged("record " + std::to_string(i) + " has a position out of range");
    out.push_back(std::move(p));
  }
  if (r.left() != 0) return damaged(std::to_string(r.left()) + " bytes after the last record");
  return out;
}

}  // namespace liandong::geocode
