#include "geocode/index.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geocode/internal/text.h"

namespace liandong::geocode {
namespace {

using internal::gram_key;
using internal::is_number_word;

enum FieldName : uint8_t { kName = 0, kAltName = 1, kAddress = 2 };
constexpr const char* kFieldNames[] = {"name", "alt_name", "address"};

bool starts_with(const std::u32string& s, const std::u32string& p) {
  return s.size() >= p.size() && std::equal(p.begin(), p.end(), s.begin());
}

double round2(double x) { return std::round(x * 100) / 100; }

struct Hit {
  uint16_t name = 0;  // name tokens of the query the record has
  uint16_t number = 0;
};

bool has_cjk(std::string_view s) {
  auto n = internal::normalize(s);
  return std::any_of(n.segments.begin(), n.segments.end(), [](const auto& g) { return g.cjk; });
}

}  // namespace

Index::Index(const std::vector<PlaceRecord>& records) {
  entries_.resize(records.size());
  std::vector<uint64_t> grams;
  for (uint32_t r = 0; r < records.size(); ++r) {
    const PlaceRecord& p = records[r];
    Entry& e = entries_[r];
    e.position = {p.lon, p.lat};
    e.has_number = !p.housenumber.empty();
    grams.clear();
    size_t min_tokens = std::numeric_limits<uint16_t>::max();
    auto add_field = [&](const std::string& text, FieldName which) {
      auto n = internal::normalize(text);
      if (n.key.empty()) return;
      for (const auto& f : e.fields)
        if (f.key == n.key) return;
      auto t = internal::tokenize(n);
      min_tokens = std::min(min_tokens, t.grams.size() + t.words.size());
      e.fields.push_back({n.key, which});
      // Every CJK character too, so that a query of one character finds it.
      for (const auto& s : n.segments)
        if (s.cjk)
          for (char32_t c : s.text) grams.push_back(gram_key(c, 0));
      grams.insert(grams.end(), t.grams.begin(), t.grams.end());
      for (auto& w : t.words) words_.push_back({std::move(w), r});
    };
    add_field(p.name, kName);
    add_field(p.alt_name, kAltName);
    if (!p.street.empty() && !p.housenumber.empty()) {
      add_field(p.street + " " + p.housenumber, kAddress);
      add_field(p.housenumber + " " + p.street, kAddress);
    }
    e.min_field_tokens = static_cast<uint16_t>(std::max<size_t>(1, min_tokens));
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
    for (uint64_t g : grams) grams_[g].push_back(r);
  }
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end(),
                           [](const auto& a, const auto& b) { return a.word == b.word && a.record == b.record; }),
               words_.end());
}

std::vector<Candidate> Index::search(std::string_view query, const SearchOptions& options) const {
  const auto q = internal::normalize(query, kMaxQueryChars);
  if (q.key.empty() || entries_.empty()) return {};
  const auto tokens = internal::tokenize(q);

  // Count, per record, the query's tokens it has: one pass over each token's posting list, into
  // a dense array (zero pages cost nothing until touched).
  std::vector<Hit> hits(entries_.size());
  std::vector<uint32_t> touched;
  auto hit = [&](uint32_t r, bool number) {
    Hit& h = hits[r];
    if (h.name == 0 && h.number == 0) touched.push_back(r);
    ++(number ? h.number : h.name);
  };
  size_t name_tokens = tokens.grams.size(), number_tokens = 0;
  for (uint64_t g : tokens.grams)
    if (auto it = grams_.find(g); it != grams_.end())
      for (uint32_t r : it->second) hit(r, false);
  std::vector<uint32_t> matched;
  for (const auto& w : tokens.words) {
    auto from = std::lower_bound(words_.begin(), words_.end(), WordPosting{w, 0});
    if (is_number_word(w)) {
      ++number_tokens;
      for (auto it = from; it != words_.end() && it->word == w; ++it) hit(it->record, true);
      continue;
    }
    ++name_tokens;
    matched.clear();
    for (auto it = from; it != words_.end() && starts_with(it->word, w); ++it) matched.push_back(it->record);
    std::sort(matched.begin(), matched.end());
    matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
    for (uint32_t r : matched) hit(r, false);
  }

  struct Scored {
    uint32_t record;
    float score;
    uint8_t how, field;
    double distance_m;
  };
  enum How : uint8_t { kExact, kPrefix, kContains, kAllWords, kWithinQuery, kStreetOnly };
  static constexpr const char* kHow[] = {"exact", "prefix", "contains", "all_words", "within_query", "street_only"};
  std::vector<Scored> scored;
  for (uint32_t r : touched) {
    const Hit h = hits[r];
    const Entry& e = entries_[r];
    const bool all_names = h.name == name_tokens;
    const bool all_numbers = h.number == number_tokens;
    if (!(name_tokens > 0 ? all_names : all_numbers) && h.name + h.number < e.min_field_tokens) continue;
    Scored best{r, 0, 0, 0, -1};
    auto consider = [&](double score, How how, uint8_t field) {
      if (score > best.score) best.score = static_cast<float>(score), best.how = how, best.field = field;
    };
    for (const Field& f : e.fields) {
      const double q_over_f = double(q.key.size()) / double(f.key.size());
      if (f.key == q.key) consider(1.0, kExact, f.name);
      else if (starts_with(f.key, q.key)) consider(0.8 + 0.1 * q_over_f, kPrefix, f.name);
      else if (f.key.find(q.key) != std::u32string::npos) consider(0.6 + 0.1 * q_over_f, kContains, f.name);
      else if (all_names && all_numbers) consider(0.5 + 0.1 * std::min(1.0, q_over_f), kAllWords, f.name);
      else if (f.key.size() >= std::max<size_t>(2, q.key.size() / 3) && q.key.find(f.key) != std::u32string::npos)
        consider(0.4 + 0.1 / q_over_f, kWithinQuery, f.name);
      else if (name_tokens > 0 && all_names && !all_numbers && !e.has_number)
        consider(0.3, kStreetOnly, f.name);
    }
    if (best.score <= 0) continue;
    best.score = static_cast<float>(round2(best.score));
    if (options.near) best.distance_m = core::distance_m(*options.near, e.position);
    scored.push_back(best);
  }
  const size_t k = std::min(scored.size(), std::min(options.limit, kMaxLimit));
  std::partial_sort(scored.begin(), scored.begin() + static_cast<ptrdiff_t>(k), scored.end(),
                    [](const Scored& a, const Scored& b) {
                      if (a.score != b.score) return a.score > b.score;
                      if (a.distance_m != b.distance_m) return a.distance_m < b.distance_m;
                      return a.record < b.record;
                    });
  std::vector<Candidate> out;
  out.reserve(k);
  for (size_t i = 0; i < k; ++i) {
    const Scored& c = scored[i];
    out.push_back({c.record, round2(c.score), std::string(kHow[c.how]) + " " + kFieldNames[c.field], c.distance_m});
  }
  return out;
}

std::string label(const PlaceRecord& p) {
  if (p.kind == PlaceKind::kAddress) {
    if (!p.name.empty()) return p.name;
    if (p.street.empty()) return p.housenumber;
    if (p.housenumber.empty()) return p.street;
    if (has_cjk(p.street)) {
      bool digits = std::all_of(p.housenumber.begin(), p.housenumber.end(), [](char c) { return c >= '0' && c <= '9'; });
      return p.street + p.housenumber + (digits ? "号" : "");
    }
    return p.housenumber + " " + p.street;
  }
  if (p.name.empty()) return p.alt_name;
  if (p.alt_name.empty() || p.alt_name == p.name) return p.name;
  return p.name + " (" + p.alt_name + ")";
}

const char* kind_name(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::kStreet: return "street";
    case PlaceKind::kPlace: return "place";
    case PlaceKind::kAddress: return "address";
  }
  return "place";
}

}  // namespace liandong::geocode
