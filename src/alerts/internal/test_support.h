// Helpers for the alerts tests: the shared data folder, reading files, a temporary folder, and
// running xmllint on written documents. Test-only (not in the library).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace liandong::alerts::fixtures {

namespace fs = std::filesystem;

inline fs::path shared_data() { return fs::path(LIANDONG_SHARED_DATA); }
inline fs::path cap_xsd() { return shared_data() / "cap" / "CAP-v1.2.xsd"; }

// The file's bytes; `ok` false (and a message in `why`) when it cannot be read.
inline std::string slurp(const fs::path& p, bool* ok = nullptr, std::string* why = nullptr) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    if (ok) *ok = false;
    if (why) *why = "cannot read " + p.string();
    return {};
  }
  if (ok) *ok = true;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// A fresh folder under the system temp, removed when the object goes.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("alerts_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct ProcessRun {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// Runs a shell command (arguments must be paths without spaces or quotes), output captured.
inline ProcessRun run(const std::string& command, const fs::path& scratch) {
  const fs::path log = scratch / "run.log";
  const int status = std::system((command + " >" + log.string() + " 2>&1 </dev/null").c_str());
  ProcessRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(log);
  return r;
}

// xmllint --schema CAP-v1.2.xsd over the files in one process (no network).
inline ProcessRun xmllint_cap12(const std::vector<fs::path>& files, const fs::path& scratch) {
  std::string cmd = "xmllint --noout --nonet --schema " + cap_xsd().string();
  for (const auto& f : files) cmd += " " + f.string();
  return run(cmd, scratch);
}

}  // namespace liandong::alerts::fixtures
