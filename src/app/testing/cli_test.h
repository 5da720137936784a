// CliTest: a gtest fixture for running `liandong` (or any command line) as a real process, with a
// fresh temporary folder per test for its output and any files the test writes. The `liandong`
// program is the one LIANDONG_BIN names (a compile definition of the test target).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace liandong::app::testing {

struct CliRun {
  int code = -1;  // the exit code, -1 when the process did not exit normally
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (std::string(info->test_suite_name()) + "_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A path in the test's folder.
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Runs a command line through the shell, stdin from /dev/null (arguments are paths without
  // spaces or quotes).
  CliRun sh(const std::string& command) {
    const std::string cmd = command + " >" + path("stdout") + " 2>" + path("stderr") + " </dev/null";
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(path("stdout"));
    r.err = slurp(path("stderr"));
    return r;
  }

  // Runs `liandong ARGS`.
  CliRun liandong(const std::string& args) { return sh(std::string(LIANDONG_BIN) + " " + args); }

  std::filesystem::path dir_;
};

}  // namespace liandong::app::testing
