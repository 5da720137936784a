// fuzz_places: the input as a road network file's "places" section (geocode::decode_places, as
// the node reads it at start) and as an address search (geocode::Index::search, what /geocode
// answers as one types). Decoding must give invalid_argument with a message, or records that
// encode and decode to themselves and can be indexed and searched; a search must never crash
// and must rank best first with scores in (0, 1].
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "geocode/index.h"
#include "geocode/place.h"

namespace {

using liandong::geocode::Candidate;
using liandong::geocode::Index;
using liandong::geocode::PlaceKind;
using liandong::geocode::PlaceRecord;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_places: %s\n", what);
  std::abort();
}

void check_ranking(const std::vector<Candidate>& found, size_t records) {
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i].record >= records) fail("a candidate names no record");
    if (!(found[i].score > 0 && found[i].score <= 1)) fail("a score out of (0, 1]");
    if (i > 0 && found[i].score > found[i - 1].score) fail("candidates out of order");
  }
}

const std::vector<PlaceRecord>& town() {
  static const std::vector<PlaceRecord> k = {
      {PlaceKind::kStreet, "文明一路", "Wenming 1st Road", "", "", "secondary", 114.416, 23.1115},
      {PlaceKind::kAddress, "", "", "文明一路", "18号", "", 114.4171, 23.112},
      {PlaceKind::kAddress, "", "", "Rue Grimaldi", "18", "", 7.4195, 43.732},
      {PlaceKind::kPlace, "惠城区", "Huicheng", "", "", "suburb", 114.3826, 23.0844},
      {PlaceKind::kPlace, "Église Sainte-Dévote", "", "", "", "church", 7.4174, 43.7386},
  };
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto places = liandong::geocode::decode_places(bytes);
  if (!places) {
    if (places.status().code() != liandong::core::Code::kInvalidArgument) fail("an error other than invalid_argument");
    if (places.status().message().empty()) fail("an error without a message");
  } else {
    auto again = liandong::geocode::decode_places(liandong::geocode::encode_places(*places));
    if (!again || *again != *places) fail("decoded records do not encode and decode to themselves");
    Index index(*places);
    for (size_t i = 0; i < places->size() && i < 8; ++i) {
      check_ranking(index.search((*places)[i].name), places->size());
      (void)liandong::geocode::label((*places)[i]);
    }
  }
  static const Index kTown(town());
  check_ranking(kTown.search(bytes, {10, liandong::core::LonLat{114.4, 23.1}}), town().size());
  return 0;
}
