// `liandong graph ...` run as a real process: synth, import-dimacs, import-osm, query, info, and
// their errors (messages naming the file and line, exit codes, no output file left behind).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "roadimport/synth.h"
#include "roadimport/test_data.h"
#include "routing/dijkstra.h"

namespace liandong::roadimport {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct CliRun {
  int code = -1;
  std::string out, err;
};

class GraphCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("graph_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Runs `liandong graph ARGS` with `input` on standard input.
  CliRun graph(const std::string& args, const std::string& input = "") {
    std::ofstream(path("stdin")) << input;
    const std::string cmd = std::string(LIANDONG_BIN) + " graph " + args + " <" + path("stdin") +
                            " >" + path("stdout") + " 2>" + path("stderr");
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(path("stdout"));
    r.err = slurp(path("stderr"));
    return r;
  }

  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  fs::path dir_;
};

TEST_F(GraphCliTest, SynthInfoAndQuery) {
  CliRun r = graph("synth --nodes 2000 --seed 5 --out " + path("city.ldg"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("shortcuts"));
  EXPECT_THAT(r.out, HasSubstr("peak memory"));
  EXPECT_THAT(r.err, HasSubstr("hierarchy: 100%"));  // plain progress lines when not a terminal

  r = graph("info " + path("city.ldg"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("synth 2000 seed 5"));
  EXPECT_THAT(r.out, HasSubstr("format version 1"));
  EXPECT_THAT(r.out, HasSubstr("places"));
  EXPECT_THAT(r.out, HasSubstr("bbox         114."));

  SynthOptions o;
  o.nodes = 2000;
  o.seed = 5;
  const SynthCity city = synth_city(o);
  routing::Dijkstra dijkstra(city.graph);
  const uint32_t n = city.graph.node_count();
  r = graph("query " + path("city.ldg"), "0 1\n5 5\n\n# a comment\n0 " + std::to_string(n) +
                                             "\nfoo bar\n" + std::to_string(n - 1) + " 0\r\n7\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines(r.out), (std::vector<std::string>{
                              std::to_string(dijkstra.distance(0, 1)), "0", "error", "error",
                              std::to_string(dijkstra.distance(n - 1, 0)), "error"}));
  EXPECT_THAT(r.err, HasSubstr("line 5: unknown node id " + std::to_string(n)));
  EXPECT_THAT(r.err, HasSubstr("line 6: expected 'SOURCE TARGET'"));
  EXPECT_THAT(r.err, HasSubstr("line 8: expected 'SOURCE TARGET'"));

  r = graph("query " + path("city.ldg"), "0 1\n2 3\n");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines(r.out).size(), 2u);
}

TEST_F(GraphCliTest, SynthCenterAndBadFlags) {
  CliRun r = graph("synth --nodes 500 --center 8.5,47.4 --out " + path("zurich.ldg"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(graph("info " + path("zurich.ldg")).out, HasSubstr("bbox         8.4"));
  r = graph("synth --nodes 500 --center north --out " + path("x.ldg"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("--center wants LON,LAT"));
  EXPECT_FALSE(fs::exists(path("x.ldg")));
  EXPECT_NE(graph("synth --nodes 5 --out " + path("x.ldg")).code, 0);
  EXPECT_FALSE(fs::exists(path("x.ldg")));
  EXPECT_NE(graph("").code, 0);
  EXPECT_EQ(graph("synth --help").code, 0);
}

TEST_F(GraphCliTest, ImportDimacsKeepsIds) {
  std::ofstream(path("g.gr")) << "c tiny\np sp 3 3\na 1 2 7\na 2 3 5\na 3 1 4\n";
  CliRun r = graph("import-dimacs " + path("g.gr") + " --out " + path("g.ldg"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("3 nodes, 3 arcs"));
  r = graph("query " + path("g.ldg"), "1 3\n3 2\n2 2\n0 1\n");
  EXPECT_EQ(lines(r.out), (std::vector<std::string>{"12", "11", "0", "error"}));
  EXPECT_THAT(r.err, HasSubstr("line 4: unknown node id 0"));

  std::ofstream(path("bad.gr")) << "p sp 3 3\na 1 2 7\na 2 x 5\n";
  r = graph("import-dimacs " + path("bad.gr") + " --out " + path("bad.ldg"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad.gr:3: expected 'a U V W'"));
  EXPECT_FALSE(fs::exists(path("bad.ldg")));

  r = graph("import-dimacs " + path("g.gr") + " --coordinates " + path("none.co") + " --out " +
            path("c.ldg"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("none.co"));
  EXPECT_FALSE(fs::exists(path("c.ldg")));
}

TEST_F(GraphCliTest, ImportOsmAndQueryByOsmIds) {
  const std::string pbf = testing::data_path("osm/monaco.osm.pbf");
  ASSERT_TRUE(fs::exists(pbf)) << "test data file missing: " << pbf;
  CliRun r = graph("import-osm " + pbf + " --out " + path("monaco.ldg"));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* s : {"driven", "dropped", "shortcuts", "streets", "peak memory", "total"}) {
    EXPECT_THAT(r.out, HasSubstr(s));
  }
  EXPECT_THAT(r.err, HasSubstr("ways: 0%"));
  EXPECT_THAT(graph("info " + path("monaco.ldg")).out, HasSubstr("emergency-car"));

  const testing::Dataset* d = testing::dataset("monaco");
  ASSERT_NE(d, nullptr);
  routing::Dijkstra dijkstra(d->graph);
  std::string input;
  std::vector<std::string> expected;
  for (uint32_t i = 0; i < 300; ++i) {
    const routing::NodeId s = (i * 7919) % d->graph.node_count();
    const routing::NodeId t = (i * 104729 + 13) % d->graph.node_count();
    input +=
        std::to_string(d->graph.external(s)) + " " + std::to_string(d->graph.external(t)) + "\n";
    expected.push_back(std::to_string(dijkstra.distance(s, t)));
  }
  r = graph("query " + path("monaco.ldg"), input);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(lines(r.out), expected);
}

TEST_F(GraphCliTest, MissingAndDamagedFiles) {
  CliRun r = graph("info " + path("nope.ldg"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("nope.ldg"));
  r = graph("query " + path("nope.ldg"), "1 2\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("nope.ldg"));
  std::ofstream(path("junk.ldg")) << "not a graph";
  r = graph("info " + path("junk.ldg"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("junk.ldg"));
  r = graph("synth --nodes 100 --out " + path("no/such/folder/x.ldg"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("no folder"));
  r = graph("import-osm " + path("nope.osm.pbf") + " --out " + path("o.ldg"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("nope.osm.pbf"));
  EXPECT_FALSE(fs::exists(path("o.ldg")));
}

}  // namespace
}  // namespace liandong::roadimport
