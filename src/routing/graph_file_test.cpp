#include "routing/graph_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "routing/internal/checksum.h"

namespace liandong::routing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A fresh folder per test, removed afterwards.
class GraphFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "graph_file_test_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/net.ldg";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string read_bytes() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // A new file each time: overwriting by truncation makes some file systems flush on close.
  void write_bytes(const std::string& bytes) const {
    fs::remove(path_);
    std::ofstream out(path_, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
  }
  std::string dir_, path_;
};

// Three nodes on a line, two-way, with shapes and external ids; node 1 is contracted first, so
// the hierarchy has a shortcut 0 -> 2 over it.
RoadNetwork small_network() {
  GraphBuilder b;
  b.add_node(Coord{1144000000, 231000000}, 9001);
  b.add_node(Coord{1144010000, 231000000}, 9002);
  b.add_node(Coord{1144020000, 231005000}, 9003);
  const Coord bend[] = {Coord{1144005000, 231001000}};
  const Coord back[] = {Coord{1144005000, 231001000}};
  b.add_arc(0, 1, 1000, 110, RoadClass::kPrimary, bend);  // arc 0
  b.add_arc(1, 0, 1000, 110, RoadClass::kPrimary, back);  // arc 1
  b.add_arc(1, 2, 2000, 120, RoadClass::kService);        // arc 2
  b.add_arc(2, 1, 2500, 120, RoadClass::kService);        // arc 3
  RoadNetwork net;
  net.graph = std::move(b).build();
  ContractionHierarchy& ch = net.ch;
  ch.rank = {1, 0, 2};  // rank[node]
  ch.order = {1, 0, 2};
  // Up arcs by rank: rank 0 (node 1) -> ranks 1 and 2; rank 1 (node 0) -> rank 2 by shortcut.
  ch.up_first = {0, 2, 3, 3};
  ch.up = {ChArc{1, 1000, 1}, ChArc{2, 2000, 2}, ChArc{2, 3000, ChArc::kShortcutBit | 0}};
  // Down arcs stored at the lower end: 0 -> 1 and 2 -> 1 at rank 0, 2 -> 0 at rank 1.
  ch.down_first = {0, 2, 3, 3};
  ch.down = {ChArc{1, 1000, 0}, ChArc{2, 2500, 3}, ChArc{2, 3500, ChArc::kShortcutBit | 0}};
  net.meta = {"test.osm.pbf", "emergency-car 1", "2024-05-01T08:00:00Z"};
  net.extras["places"] = std::string("\0binary\xff data\0", 14);
  net.extras["empty"] = "";
  net.extras[std::string(22, 'n')] = "longest name";
  return net;
}

void expect_same(const RoadNetwork& a, const RoadNetwork& b) {
  EXPECT_EQ(a.graph.first_out, b.graph.first_out);
  EXPECT_EQ(a.graph.head, b.graph.head);
  EXPECT_EQ(a.graph.time_ms, b.graph.time_ms);
  EXPECT_EQ(a.graph.length_m, b.graph.length_m);
  EXPECT_EQ(a.graph.road_class, b.graph.road_class);
  EXPECT_EQ(a.graph.coord, b.graph.coord);
  EXPECT_EQ(a.graph.shape_first, b.graph.shape_first);
  EXPECT_EQ(a.graph.shape, b.graph.shape);
  EXPECT_EQ(a.graph.external_id, b.graph.external_id);
  EXPECT_EQ(a.ch.rank, b.ch.rank);
  EXPECT_EQ(a.ch.order, b.ch.order);
  EXPECT_EQ(a.ch.up_first, b.ch.up_first);
  EXPECT_EQ(a.ch.down_first, b.ch.down_first);
  auto same_arcs = [](const std::vector<ChArc>& x, const std::vector<ChArc>& y) {
    return x.size() == y.size() &&
           std::equal(x.begin(), x.end(), y.begin(), [](const ChArc& p, const ChArc& q) {
             return p.other == q.other && p.weight == q.weight && p.unpack == q.unpack;
           });
  };
  EXPECT_TRUE(same_arcs(a.ch.up, b.ch.up));
  EXPECT_TRUE(same_arcs(a.ch.down, b.ch.down));
  EXPECT_EQ(a.meta.source, b.meta.source);
  EXPECT_EQ(a.meta.profile, b.meta.profile);
  EXPECT_EQ(a.meta.created, b.meta.created);
  EXPECT_EQ(a.extras, b.extras);
}

TEST_F(GraphFileTest, RoundTripKeepsGraphHierarchyMetadataAndExtras) {
  const RoadNetwork net = small_network();
  ASSERT_TRUE(net.graph.check().is_ok());
  ASSERT_TRUE(net.ch.check(net.graph).is_ok()) << net.ch.check(net.graph).to_string();
  ASSERT_TRUE(save_road_network(net, path_).is_ok());
  auto loaded = load_road_network(path_);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  expect_same(net, *loaded);
  EXPECT_EQ(loaded->extras.at("places").size(), 14u);
}

TEST_F(GraphFileTest, RoundTripOfAnUncontractedGraphWithoutExternalIds) {
  GraphBuilder b;
  b.add_node(Coord{}, 0);
  b.add_node(Coord{}, 1);
  b.add_arc(0, 1, 7, 0, RoadClass::kOther);
  RoadNetwork net;
  net.graph = std::move(b).build();
  ASSERT_TRUE(net.graph.external_id.empty());
  ASSERT_TRUE(save_road_network(net, path_).is_ok());
  auto loaded = load_road_network(path_);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  expect_same(net, *loaded);
  EXPECT_TRUE(loaded->ch.rank.empty());
}

TEST_F(GraphFileTest, RoundTripWithABuiltHierarchy) {
  std::mt19937 rng(3);
  GraphBuilder b;
  for (int i = 0; i < 200; ++i)
    b.add_node(Coord{int32_t(rng() % 1000), int32_t(rng() % 1000)}, 500 + i);
  for (int i = 0; i < 600; ++i) {
    b.add_arc(NodeId(rng() % 200), NodeId(rng() % 200), 1 + rng() % 1000, rng() % 100,
              RoadClass::kOther);
  }
  RoadNetwork net;
  net.graph = std::move(b).build();
  net.ch = build_contraction_hierarchy(net.graph, {});
  ASSERT_TRUE(save_road_network(net, path_).is_ok());
  auto loaded = load_road_network(path_);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  expect_same(net, *loaded);
}

TEST_F(GraphFileTest, LayoutIsTheDocumentedOne) {
  const RoadNetwork net = small_network();
  ASSERT_TRUE(save_road_network(net, path_).is_ok());
  const std::string bytes = read_bytes();
  ASSERT_GE(bytes.size(), 24u);
  EXPECT_EQ(bytes.size() % 8, 0u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("LDGRAPH\0", 8));
  uint32_t version, count;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&count, bytes.data() + 12, 4);
  EXPECT_EQ(version, kGraphFileVersion);
  EXPECT_EQ(count, 1u + 9u + 6u + 3u);
  std::vector<std::string> names;
  for (uint32_t i = 0; i < count; ++i) {
    const char* e = bytes.data() + 16 + 40 * i;
    names.emplace_back(e, strnlen(e, 24));
    uint64_t offset, size;
    std::memcpy(&offset, e + 24, 8);
    std::memcpy(&size, e + 32, 8);
    EXPECT_EQ(offset % 8, 0u) << names.back();
    EXPECT_LE(offset + size, bytes.size() - 8) << names.back();
    if (names.back() == "graph.head") {
      EXPECT_EQ(size, 4 * net.graph.arc_count());
      EXPECT_EQ(std::memcmp(bytes.data() + offset, net.graph.head.data(), size), 0);
    }
  }
  EXPECT_EQ(names.front(), "meta");
  EXPECT_NE(std::find(names.begin(), names.end(), "ch.down"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "x.places"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "x." + std::string(22, 'n')), names.end());
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  EXPECT_EQ(stored, internal::checksum64(bytes.data(), bytes.size() - 8));
}

// Vectors from the reference implementation (libxxhash 0.8.1, XXH64 with seed 0).
TEST(GraphFileChecksumTest, IsXxh64) {
  auto range = [](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(char(i & 0xff));
    return s;
  };
  EXPECT_EQ(internal::checksum64("", 0), 0xef46db3751d8e999ull);
  EXPECT_EQ(internal::checksum64("a", 1), 0xd24ec4f1a98c6e5bull);
  EXPECT_EQ(internal::checksum64("abc", 3), 0x44bc2cf5ad770999ull);
  EXPECT_EQ(internal::checksum64("12345678", 8), 0xd2d02f08cf7cfd4aull);
  EXPECT_EQ(internal::checksum64(range(32).data(), 32), 0xcbf59c5116ff32b4ull);
  EXPECT_EQ(internal::checksum64(range(40).data(), 40), 0xf5da40f1b11741e9ull);
  const std::string long_text = range(256) + range(256) + range(256) + range(256) + range(100);
  EXPECT_EQ(internal::checksum64(long_text.data(), long_text.size()), 0xca3422dc70aff93eull);
  const std::string spam = "Nobody inspects the spammish repetition";
  EXPECT_EQ(internal::checksum64(spam.data(), spam.size()), 0xfbcea83c8a378bf1ull);
}

TEST(GraphFileChecksumTest, AnySplitOfTheInputGivesTheSameDigest) {
  std::string data(1000, '\0');
  std::mt19937 rng(1);
  for (char& c : data) c = char(rng());
  const uint64_t whole = internal::checksum64(data.data(), data.size());
  for (size_t piece : {1u, 3u, 7u, 8u, 31u, 32u, 33u, 100u, 999u}) {
    internal::Checksum64 sum;
    for (size_t i = 0; i < data.size(); i += piece) {
      sum.update(data.data() + i, std::min(piece, data.size() - i));
    }
    EXPECT_EQ(sum.digest(), whole) << "pieces of " << piece;
  }
}

TEST_F(GraphFileTest, MissingFileIsNotFound) {
  auto r = load_road_network(dir_ + "/nothing.ldg");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr(dir_ + "/nothing.ldg"));
}

TEST_F(GraphFileTest, OtherFilesAreNotRoadNetworkFiles) {
  for (const std::string& content :
       {std::string(), std::string("p sp 3 4\n"), std::string(100, 'x'), std::string("LDGRAPH")}) {
    write_bytes(content);
    auto r = load_road_network(path_);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
    EXPECT_EQ(r.status().message(), path_ + " is not a Liandong road network file");
  }
  auto folder = load_road_network(dir_);
  EXPECT_EQ(folder.status().code(), core::Code::kInvalidArgument);
}

TEST_F(GraphFileTest, OtherVersionIsNamed) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  std::string bytes = read_bytes();
  bytes[8] = 2;
  write_bytes(bytes);
  auto r = load_road_network(path_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), path_ + " has format version 2; this program reads version 1");
}

TEST_F(GraphFileTest, AnyFlippedByteIsDetected) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  const std::string good = read_bytes();
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = char(bad[i] ^ 0x10);
    write_bytes(bad);
    auto r = load_road_network(path_);
    ASSERT_FALSE(r.is_ok()) << "byte " << i;
    EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << "byte " << i;
    if (i >= 12) {
      EXPECT_THAT(r.status().message(), HasSubstr(path_ + " is damaged (checksum mismatch)"))
          << "byte " << i;
    }
  }
}

TEST_F(GraphFileTest, TruncatedFileIsDamagedAndSaysItWasCutShort) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  const std::string good = read_bytes();
  for (size_t size : {good.size() - 1, good.size() - 8, good.size() / 2, size_t(40), size_t(20)}) {
    write_bytes(good.substr(0, size));
    auto r = load_road_network(path_);
    ASSERT_FALSE(r.is_ok()) << size;
    EXPECT_THAT(r.status().message(), HasSubstr("is damaged")) << size;
    EXPECT_THAT(r.status().message(), HasSubstr("cut short")) << size;
  }
}

// Rewrites the checksum after a deliberate change, as a faulty writer would.
void reseal(std::string& bytes) {
  const uint64_t sum = internal::checksum64(bytes.data(), bytes.size() - 8);
  std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
}

// The table entry of section `name` (offset of the entry in the file), or npos.
size_t entry_of(const std::string& bytes, const std::string& name) {
  uint32_t count;
  std::memcpy(&count, bytes.data() + 12, 4);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t e = 16 + 40 * size_t(i);
    if (std::string(bytes.data() + e, strnlen(bytes.data() + e, 24)) == name) return e;
  }
  return std::string::npos;
}

TEST_F(GraphFileTest, MissingSectionIsNamed) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  std::string bytes = read_bytes();
  const size_t e = entry_of(bytes, "graph.head");
  ASSERT_NE(e, std::string::npos);
  bytes[e + 7] = 'X';  // "graph.hXad"
  reseal(bytes);
  write_bytes(bytes);
  auto r = load_road_network(path_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("no section \"graph.head\""));
}

TEST_F(GraphFileTest, UnknownSectionsAreIgnored) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  std::string bytes = read_bytes();
  const size_t e = entry_of(bytes, "x.places");
  ASSERT_NE(e, std::string::npos);
  bytes[e] = 'y';
  reseal(bytes);
  write_bytes(bytes);
  auto r = load_road_network(path_);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->extras.count("places"), 0u);
  EXPECT_EQ(r->extras.size(), 2u);
}

TEST_F(GraphFileTest, SectionSizeThatIsNotWholeEntriesIsRefused) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  std::string bytes = read_bytes();
  const size_t e = entry_of(bytes, "graph.time_ms");
  uint64_t size;
  std::memcpy(&size, bytes.data() + e + 32, 8);
  --size;
  std::memcpy(bytes.data() + e + 32, &size, 8);
  reseal(bytes);
  write_bytes(bytes);
  auto r = load_road_network(path_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_THAT(r.status().message(), HasSubstr("\"graph.time_ms\" is 15 bytes, not a whole number"));
}

TEST_F(GraphFileTest, SectionOutsideTheFileIsRefused) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  std::string bytes = read_bytes();
  const size_t e = entry_of(bytes, "graph.coord");
  const uint64_t offset = bytes.size();  // past the body
  std::memcpy(bytes.data() + e + 24, &offset, 8);
  reseal(bytes);
  write_bytes(bytes);
  auto r = load_road_network(path_);
  ASSERT_FALSE(r.is_ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr(path_ + ": section \"graph.coord\" overlaps another or lies outside"));
}

TEST_F(GraphFileTest, OverlappingOrDuplicateSectionsAreRefused) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  const std::string good = read_bytes();
  std::string bytes = good;
  const size_t head = entry_of(bytes, "graph.head"), coord = entry_of(bytes, "graph.coord");
  std::memcpy(bytes.data() + coord + 24, bytes.data() + head + 24, 8);  // coord where head is
  reseal(bytes);
  write_bytes(bytes);
  auto overlap = load_road_network(path_);
  ASSERT_FALSE(overlap.is_ok());
  EXPECT_THAT(overlap.status().message(), HasSubstr("overlaps another"));

  bytes = good;
  const size_t length = entry_of(bytes, "graph.length_m");
  std::memset(bytes.data() + length, 0, 24);
  std::memcpy(bytes.data() + length, "graph.head", 10);
  reseal(bytes);
  write_bytes(bytes);
  auto twice = load_road_network(path_);
  ASSERT_FALSE(twice.is_ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("section \"graph.head\" appears twice"));
}

TEST_F(GraphFileTest, InconsistentArraysAreRefusedByTheChecks) {
  ASSERT_TRUE(save_road_network(small_network(), path_).is_ok());
  const std::string good = read_bytes();
  auto poke = [&](const std::string& section, uint32_t value) {
    std::string bytes = good;
    const size_t e = entry_of(bytes, section);
    uint64_t offset;
    std::memcpy(&offset, bytes.data() + e + 24, 8);
    std::memcpy(bytes.data() + offset, &value, 4);
    reseal(bytes);
    write_bytes(bytes);
    return load_road_network(path_);
  };
  auto head = poke("graph.head", 77);
  ASSERT_FALSE(head.is_ok());
  EXPECT_EQ(head.status().code(), core::Code::kInvalidArgument);
  EXPECT_THAT(head.status().message(),
              HasSubstr(path_ + ": graph: arc 0 points past the last node"));
  auto rank = poke("ch.rank", 2);  // two nodes of rank 2
  ASSERT_FALSE(rank.is_ok());
  EXPECT_THAT(rank.status().message(), HasSubstr(path_ + ": hierarchy"));
}

TEST_F(GraphFileTest, TooLongExtraNameIsRefusedAndNothingIsWritten) {
  RoadNetwork net = small_network();
  net.extras[std::string(23, 'n')] = "x";
  const core::Status s = save_road_network(net, path_);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), core::Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(std::string(23, 'n')));
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(GraphFileTest, InconsistentGraphIsNotSaved) {
  RoadNetwork net = small_network();
  net.graph.head[0] = 99;
  const core::Status s = save_road_network(net, path_);
  EXPECT_EQ(s.code(), core::Code::kInvalidArgument);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(GraphFileTest, SaveReplacesTheFileAndLeavesNoTemporary) {
  RoadNetwork net = small_network();
  ASSERT_TRUE(save_road_network(net, path_).is_ok());
  net.meta.source = "second";
  ASSERT_TRUE(save_road_network(net, path_).is_ok());
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path().filename());
  EXPECT_EQ(files, std::vector<std::string>{"net.ldg"});
  auto loaded = load_road_network(path_);
  ASSERT_TRUE(loaded.is_ok());
  EXPECT_EQ(loaded->meta.source, "second");
}

TEST_F(GraphFileTest, SaveIntoAMissingFolderFailsNamingThePath) {
  const core::Status s = save_road_network(small_network(), dir_ + "/no/such/net.ldg");
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), core::Code::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr(dir_ + "/no/such/net.ldg"));
}

}  // namespace
}  // namespace liandong::routing
