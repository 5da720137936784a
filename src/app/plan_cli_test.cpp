// `liandong plan validate` run as a real process: the example plans pass, bad files fail with their
// diagnostics on the output, an unreadable file is named, and --help works.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/testing/cli_test.h"

namespace liandong::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::CliRun;

class PlanCliTest : public testing::CliTest {
 protected:
  static std::string example(const std::string& name) {
    return std::string(LIANDONG_PLAN_EXAMPLES) + "/" + name;
  }
  static std::string testdata(const std::string& name) {
    return std::string(LIANDONG_PLAN_TESTDATA) + "/" + name;
  }
};

TEST_F(PlanCliTest, ExamplesAreOk) {
  const std::string files = example("fire.yaml") + " " +
                            example("water_pollution_cross_border.yaml") + " " +
                            example("epidemic_joint_prevention.yaml");
  CliRun r = liandong("plan validate " + files);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, example("fire.yaml") + ": OK\n" + example("water_pollution_cross_border.yaml") +
                       ": OK\n" + example("epidemic_joint_prevention.yaml") + ": OK\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(PlanCliTest, BadFileFailsWithItsDiagnostics) {
  const std::string bad = testdata("bad_tasks.yaml");
  CliRun r = liandong("plan validate " + example("fire.yaml") + " " + bad);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(example("fire.yaml") + ": OK\n"));
  EXPECT_THAT(r.out, HasSubstr(bad + ":15: levels.I.tasks.b.after[0]: dependency cycle b → a → b "
                                     "(each waits for the next)\n"));
  EXPECT_THAT(r.out, HasSubstr(bad + ":14: levels.I.tasks.a.deadline: '30' is not a duration"));
  EXPECT_THAT(r.out, HasSubstr(bad + ": 8 errors\n"));
  EXPECT_THAT(r.out, Not(HasSubstr(bad + ": OK")));
}

TEST_F(PlanCliTest, WarningsAloneDoNotFail) {
  const std::string file = testdata("warnings.yaml");
  CliRun r = liandong("plan validate " + file);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr(file + ": OK (3 warnings)\n"));
  EXPECT_THAT(r.out, HasSubstr(file + ":9: warning: levels.III.tasks.review.deadline: 8d is longer "
                                      "than 7 days"));
}

TEST_F(PlanCliTest, UnreadableFileIsNamed) {
  const std::string missing = path("missing.yaml");
  CliRun r = liandong("plan validate " + missing + " " + example("fire.yaml"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(missing + ": cannot read: No such file or directory\n"));
  EXPECT_THAT(r.out, HasSubstr(example("fire.yaml") + ": OK\n"));  // the others are still checked

  r = liandong("plan validate " + dir_.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(dir_.string() + ": cannot read: is a folder\n"));
}

TEST_F(PlanCliTest, HostileFileIsAnErrorNotACrash) {
  {
    std::ofstream out(path("big.yaml"), std::ios::binary);
    out << "title: " << std::string(2 << 20, 'x') << "\n";
    std::ofstream deep(path("deep.yaml"), std::ios::binary);
    deep << std::string(100'000, '[');
  }
  CliRun r = liandong("plan validate " + path("big.yaml") + " " + path("deep.yaml"));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr(path("big.yaml") + ": the document is larger than 1 MiB"));
  EXPECT_THAT(r.out, HasSubstr(path("deep.yaml") + ": 1 error\n"));
}

TEST_F(PlanCliTest, Help) {
  CliRun r = liandong("plan --help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("validate"));
  r = liandong("plan validate --help");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("FILE"));
  r = liandong("plan validate");
  EXPECT_NE(r.code, 0);
  r = liandong("--help");
  EXPECT_THAT(r.out, HasSubstr("plan"));
}

}  // namespace
}  // namespace liandong::app
