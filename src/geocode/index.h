// Address search: ranked candidates for what a call-taker types ("文明一路18号", "演达大道",
// "18 Rue Grimaldi", "Grimaldi 18") among a road network's places (place.h).
//
// Text is normalised (full-width to ASCII, Latin lower-cased without accents, spaces and
// punctuation dropped) and indexed by CJK character bigrams and by Latin words, so a query reads
// only the posting lists of its own tokens, never every record. Candidates are ranked by how the
// query matches a name (exact > prefix > contains > all words in any order > the name is inside
// the query > the street without the house number asked for); scores are rounded to 0.01 and a
// nearby point, when given, breaks ties (then the record order). A query that matches nothing
// gives an empty list: the index never guesses.
//
// Built once, read-only after: search() is safe to call from many threads at once. The index
// copies what it needs from the records; it keeps no reference to them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/geo.h"
#include "geocode/place.h"

namespace liandong::geocode {

struct Candidate {
  uint32_t record = 0;     // index into the records the index was built from
  double score = 0;        // 0 < score <= 1; 1 is an exact match of a name
  std::string why;         // how it matched, e.g. "exact name", "prefix address", "street_only street"
  double distance_m = -1;  // from the `near` point, or -1 without one
};

struct SearchOptions {
  size_t limit = 10;                // at most this many candidates (capped at kMaxLimit)
  std::optional<core::LonLat> near; // ties go to the nearest
};

class Index {
 public:
  static constexpr size_t kMaxLimit = 100;
  static constexpr size_t kMaxQueryChars = 200;  // longer queries are cut (after normalising)

  Index() = default;
  explicit Index(const std::vector<PlaceRecord>& records);

  std::vector<Candidate> search(std::string_view query, const SearchOptions& options = {}) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Field {
    std::u32string key;
    uint8_t name;  // which field: see kFieldNames in index.cpp
  };
  struct Entry {
    std::vector<Field> fields;
    core::LonLat position;
    uint16_t min_field_tokens = 0;  // tokens of its shortest field (a name inside a query has them all)
    bool has_number = false;
  };
  struct WordPosting {
    std::u32string word;
    uint32_t record;
    bool operator<(const WordPosting& o) const { return word != o.word ? word < o.word : record < o.record; }
  };

  std::vector<Entry> entries_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> grams_;  // CJK unigrams and bigrams → records
  std::vector<WordPosting> words_;                             // sorted: a prefix is a range
};

// What the console shows for a record: an address as "文明一路18号" or "18 Rue Grimaldi" (its
// name when it has one), anything else as its name with the other name in brackets.
std::string label(const PlaceRecord& record);
// "street", "place" or "address".
const char* kind_name(PlaceKind kind);

}  // namespace liandong::geocode
