#include "roadimport/dimacs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace liandong::roadimport {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::string_view kGraph =
    "c a tiny graph\n"
    "p sp 3 4\n"
    "c arcs\n"
    "a 1 2 10\n"
    "a 2 3 20\n"
    "\n"
    "a 3 1 30\r\n"
    "a 1 3 5\n";

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("dimacs_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void write_plain(const std::string& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

void write_gzip(const std::string& path, std::string_view text) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, text.data(), unsigned(text.size())), int(text.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

std::string parse_error(std::string_view gr, std::string_view co = {}) {
  auto g = parse_dimacs(gr, "t.gr", co, "t.co");
  EXPECT_FALSE(g.is_ok());
  return g.is_ok() ? std::string() : g.status().message();
}

TEST(DimacsTest, ParsesArcsGroupedByTailKeepingIds) {
  auto g = parse_dimacs(kGraph, "t.gr");
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  ASSERT_TRUE(g->check().is_ok());
  EXPECT_EQ(g->node_count(), 3u);
  EXPECT_EQ(g->arc_count(), 4u);
  EXPECT_EQ(g->first_out, (std::vector<uint32_t>{0, 2, 3, 4}));
  EXPECT_EQ(g->head, (std::vector<routing::NodeId>{1, 2, 2, 0}));
  EXPECT_EQ(g->time_ms, (std::vector<uint32_t>{10, 5, 20, 30}));
  EXPECT_EQ(g->length_m, (std::vector<uint32_t>{0, 0, 0, 0}));
  EXPECT_EQ(g->external(0), 1u);
  EXPECT_EQ(g->external(2), 3u);
  EXPECT_FALSE(g->has_coordinates());
}

TEST(DimacsTest, CoordinatesGiveLengths) {
  // Node 2 is 0.01 degree of latitude north of node 1 (about 1112 m).
  const std::string co =
      "c coordinates\n"
      "p aux sp co 3\n"
      "v 1 -73000000 40000000\n"
      "v 3 -73000000 40020000\n"
      "v 2 -73000000 40010000\n";
  auto g = parse_dimacs(kGraph, "t.gr", co, "t.co");
  ASSERT_TRUE(g.is_ok()) << g.status().to_string();
  EXPECT_EQ(g->coord[1], routing::Coord::from_degrees(-73.0, 40.01));
  EXPECT_NEAR(g->length_m[0], 1112, 1);  // 1 → 2
  EXPECT_NEAR(g->length_m[1], 2224, 1);  // 1 → 3
  EXPECT_TRUE(g->has_coordinates());
}

TEST(DimacsTest, ErrorsNameFileAndLine) {
  EXPECT_EQ(parse_error("p sp 2 1\na 1 2\n"), "t.gr:2: expected 'a U V W'");
  EXPECT_EQ(parse_error("p sp 2 1\na 1 2 x\n"), "t.gr:2: expected 'a U V W'");
  EXPECT_EQ(parse_error("p sp 2 1\na 1 2 3 4\n"), "t.gr:2: expected 'a U V W'");
  EXPECT_EQ(parse_error("p sp 2 1\nx 1 2 3\n"), "t.gr:2: expected 'a U V W'");
  EXPECT_EQ(parse_error("c\nq\n"), "t.gr:2: expected 'p sp N M'");
  EXPECT_EQ(parse_error("p sp x 1\n"), "t.gr:1: expected 'p sp N M'");
  EXPECT_EQ(parse_error("p sp 2 1\np sp 2 1\n"), "t.gr:2: a second 'p' line");
  EXPECT_THAT(parse_error("p sp 2 1\na 1 3 7\n"),
              HasSubstr("t.gr:2: arc 1 -> 3 names a node outside 1..2"));
  EXPECT_THAT(parse_error("p sp 2 1\na 0 1 7\n"), HasSubstr("t.gr:2: arc 0 -> 1"));
  EXPECT_THAT(parse_error("p sp 2 1\na 1 2 -1\n"), HasSubstr("t.gr:2: weight -1 out of range"));
  EXPECT_THAT(parse_error("p sp 2 1\na 1 2 4294967295\n"), HasSubstr("t.gr:2: weight"));
  EXPECT_EQ(parse_error("p sp 2 1\na 1 2 1\na 2 1 1\n"),
            "t.gr:3: more arcs than the 1 of the 'p' line");
  EXPECT_EQ(parse_error("p sp 2 3\na 1 2 1\n"), "t.gr: 1 arcs, but the 'p' line says 3");
  EXPECT_EQ(parse_error("c only comments\n"), "t.gr: no 'p sp N M' line (not a DIMACS graph)");
  EXPECT_EQ(parse_error(""), "t.gr: no 'p sp N M' line (not a DIMACS graph)");
}

TEST(DimacsTest, CoordinateErrorsNameFileAndLine) {
  const std::string_view gr = "p sp 2 1\na 1 2 5\n";
  EXPECT_EQ(parse_error(gr, "p aux sp co 3\n"),
            "t.co:1: coordinates for 3 nodes, but the graph has 2");
  EXPECT_EQ(parse_error(gr, "p aux sp co 2\nv 1 0 0\nv 1 0 0\n"), "t.co:3: node 1 given twice");
  EXPECT_EQ(parse_error(gr, "p aux sp co 2\nv 1 0\n"), "t.co:2: expected 'v ID X Y'");
  EXPECT_EQ(parse_error(gr, "p aux sp co 2\nv 3 0 0\n"), "t.co:2: node 3 outside 1..2");
  EXPECT_THAT(parse_error(gr, "p aux sp co 2\nv 1 190000000 0\n"),
              HasSubstr("t.co:2: coordinate out of range"));
  EXPECT_EQ(parse_error(gr, "p aux sp co 2\nv 1 0 0\n"),
            "t.co: coordinates for 1 nodes, but the 'p' line says 2");
}

TEST(DimacsTest, ReadsGzipAndPlainFilesAlike) {
  TempDir dir;
  write_plain(dir.file("g.gr"), kGraph);
  write_gzip(dir.file("g.gr.gz"), kGraph);
  write_gzip(dir.file("g.co.gz"), "p aux sp co 3\nv 1 1 1\nv 2 2 2\nv 3 3 3\n");
  auto plain = read_dimacs(dir.file("g.gr"));
  auto gz = read_dimacs(dir.file("g.gr.gz"), dir.file("g.co.gz"));
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  ASSERT_TRUE(gz.is_ok()) << gz.status().to_string();
  EXPECT_EQ(plain->head, gz->head);
  EXPECT_EQ(plain->time_ms, gz->time_ms);
  EXPECT_EQ(gz->coord[2], (routing::Coord{30, 30}));
}

TEST(DimacsTest, GzipErrorsNameTheFileAndLine) {
  TempDir dir;
  write_gzip(dir.file("bad.gr.gz"), "p sp 2 1\nc\nc\na 1 2\n");
  auto g = read_dimacs(dir.file("bad.gr.gz"));
  ASSERT_FALSE(g.is_ok());
  EXPECT_EQ(g.status().message(), dir.file("bad.gr.gz") + ":4: expected 'a U V W'");
}

TEST(DimacsTest, MissingAndDamagedFiles) {
  TempDir dir;
  auto missing = read_dimacs(dir.file("nope.gr"));
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), core::Code::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("nope.gr"));

  write_gzip(dir.file("g.gr.gz"), kGraph);
  std::string bytes;
  {
    std::ifstream in(dir.file("g.gr.gz"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  write_plain(dir.file("cut.gr.gz"), bytes.substr(0, bytes.size() - 12));
  auto cut = read_dimacs(dir.file("cut.gr.gz"));
  ASSERT_FALSE(cut.is_ok());
  EXPECT_EQ(cut.status().code(), core::Code::kInvalidArgument);
  EXPECT_THAT(cut.status().message(), HasSubstr("cut.gr.gz"));

  write_gzip(dir.file("g.gr.gz"), kGraph);
  auto no_co = read_dimacs(dir.file("g.gr.gz"), dir.file("none.co"));
  ASSERT_FALSE(no_co.is_ok());
  EXPECT_EQ(no_co.status().code(), core::Code::kNotFound);
}

}  // namespace
}  // namespace liandong::roadimport
