// `liandong plan validate` run as a real process: the example plans pass, bad files fail with their
// diagnostics on the output, an unreadable file is named, and --help works.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace liandong::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct CliRun {
  int code = -1;
  std::string out, err;
};

class PlanCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plan_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Runs `liandong ARGS` (arguments are paths without spaces or quotes).
  CliRun liandong(const std::string& args) {
    const std::string cmd = std::string(LIANDONG_BIN) + " " + args + " >" + path("stdout") + " 2>" +
                            path("stderr") + " </dev/null";
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(path("stdout"));
    r.err = slurp(path("stderr"));
    return r;
  }

  static std::string example(const std::string& name) {
    return std::string(LIANDONG_PLAN_EXAMPLES) + "/" + name;
  }
  static std::string testdata(const std::string& name) {
    return std::string(LIANDONG_PLAN_TESTDATA) + "/" + name;
  }

  fs::path dir_;
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
