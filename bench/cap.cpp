// bench/run cap: the CAP issue's benchmark (issue 8 "Benchmark"), in sections.
//
// - codec: parse + validate throughput of alerts::read_cap (alerts/s and MB/s) over the VALID
//   files of the CAP corpus (../shared/data/cap, validation_xmllint.txt) repeated --repeat times,
//   in this process on one thread; side by side with `xmllint --noout --schema` on the same files,
//   one xmllint process per CAP version (its own XSD) over all repetitions, timed from spawn to
//   exit. Every file must be accepted by read_cap and validated by xmllint, or the run fails.
// - delivery (cap_delivery.cpp): issue-to-delivered latency to 100 webhook subscribers on
//   loopback, through the node's path, against the webhook deliverer alone.
//
// A section is a function that prints its table and returns its figures (JSON) and whether it
// failed; run() calls the chosen ones in order and prints the one JSON line. See bench/README.md.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "alerts/reader.h"
#include "cap_delivery.h"

extern char** environ;

namespace liandong::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string data = LIANDONG_DATA_DIR;  // ../shared/data
  std::string xmllint = "xmllint";
  size_t repeat = 200;
  size_t alerts = 50;  // section delivery: alerts published one after another
  std::vector<std::string> only;  // sections; empty: all
};

struct SectionResult {
  json figures;
  bool failed = false;
};

void usage() {
  std::printf(
      "usage: bench_cap [--only SECTION] [--repeat N] [--alerts N] [--data DIR] [--xmllint PATH]\n"
      "  --only SECTION   runs one section (codec, delivery); may be given more than once (default: all)\n"
      "  --repeat N       times each corpus file is read (200)\n"
      "  --alerts N       alerts published one after another in section delivery (50)\n"
      "  --data DIR       the shared data folder holding cap/ (%s)\n"
      "  --xmllint PATH   the xmllint program (xmllint on PATH)\n",
      LIANDONG_DATA_DIR);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// ---- section codec ------------------------------------------------------------------------

struct CorpusFile {
  std::string path;
  std::string text;
  int version;  // 10, 11, 12
};

std::vector<CorpusFile> valid_corpus(const std::string& data) {
  const std::string root = data + "/cap/";
  std::istringstream list(slurp(root + "validation_xmllint.txt"));
  std::vector<CorpusFile> out;
  std::string verdict, ns, file;
  std::string line;
  while (std::getline(list, line)) {
    std::istringstream words(line);
    if (!(words >> verdict >> ns >> file) || verdict != "VALID") continue;
    const int version = ns == "urn:oasis:names:tc:emergency:cap:1.2"   ? 12
                        : ns == "urn:oasis:names:tc:emergency:cap:1.1" ? 11
                        : ns == "http://www.incident.com/cap/1.0"      ? 10
                                                                       : 0;
    if (version == 0) throw std::runtime_error("unknown namespace " + ns + " for " + file);
    out.push_back({root + file, slurp(root + file), version});
  }
  if (out.empty()) throw std::runtime_error("no VALID file in " + root + "validation_xmllint.txt");
  return out;
}

std::string schema_for(const std::string& data, int version) {
  const std::string root = data + "/cap/";
  if (version == 12) return root + "CAP-v1.2.xsd";
  return root + "schema/google-cap-library__cap1" + std::to_string(version % 10) + ".xsd";
}

// Runs argv to completion with stdout and stderr to /dev/null; its exit code (-1 on a signal).
int spawn_wait(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Row {
  double seconds = 0;
  size_t alerts = 0;
  size_t bytes = 0;
  double alerts_per_s() const { return seconds > 0 ? alerts / seconds : 0; }
  double mb_per_s() const { return seconds > 0 ? bytes / 1e6 / seconds : 0; }
  json to_json() const {
    return {{"alerts", alerts}, {"bytes", bytes}, {"seconds", seconds},
            {"alerts_per_s", alerts_per_s()}, {"mb_per_s", mb_per_s()}};
  }
};

SectionResult run_codec(const Options& o) {
  SectionResult result;
  const std::vector<CorpusFile> files = valid_corpus(o.data);
  size_t corpus_bytes = 0;
  std::map<int, std::vector<const CorpusFile*>> by_version;
  for (const CorpusFile& f : files) {
    corpus_bytes += f.text.size();
    by_version[f.version].push_back(&f);
  }
  std::printf("== codec: parse + validate, %zu VALID corpus files (%.1f KB; %zu CAP 1.2, %zu 1.1, "
              "%zu 1.0), each read %zu times\n",
              files.size(), corpus_bytes / 1e3, by_version[12].size(), by_version[11].size(),
              by_version[10].size(), o.repeat);

  // read_cap: warm once (and check), then the timed loop.
  size_t rejected = 0;
  for (const CorpusFile& f : files) {
    if (!alerts::read_cap(f.text).accepted()) {
      std::printf("FAILURE: read_cap rejects %s\n", f.path.c_str());
      ++rejected;
    }
  }
  Row ours;
  size_t accepted = 0;
  const auto t0 = Clock::now();
  for (size_t r = 0; r < o.repeat; ++r) {
    for (const CorpusFile& f : files) {
      accepted += alerts::read_cap(f.text).accepted();
      ours.bytes += f.text.size();
    }
  }
  ours.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  ours.alerts = files.size() * o.repeat;
  if (accepted != ours.alerts) rejected = std::max<size_t>(rejected, 1);

  // xmllint: one process per version over every repetition of that version's files (the
  // argument list split when it grows past ~1 MB), each with its version's XSD.
  Row lint;
  int lint_failures = 0;
  for (const auto& [version, group] : by_version) {
    std::vector<std::string> base = {o.xmllint, "--noout", "--nonet", "--schema",
                                     schema_for(o.data, version)};
    std::vector<std::string> argv = base;
    size_t arg_bytes = 0;
    auto flush = [&] {
      if (argv.size() == base.size()) return;
      const auto s0 = Clock::now();
      const int rc = spawn_wait(argv);
      lint.seconds += std::chrono::duration<double>(Clock::now() - s0).count();
      if (rc != 0) {
        std::printf("FAILURE: xmllint exited %d on CAP 1.%d files\n", rc, version % 10);
        ++lint_failures;
      }
      argv = base;
      arg_bytes = 0;
    };
    for (size_t r = 0; r < o.repeat; ++r) {
      for (const CorpusFile* f : group) {
        argv.push_back(f->path);
        arg_bytes += f->path.size() + 1;
        lint.bytes += f->text.size();
        ++lint.alerts;
        if (arg_bytes > (1u << 20)) flush();
      }
    }
    flush();
  }

  std::printf("\n  %-30s %10s %10s %9s %12s %9s\n", "", "alerts", "MB", "s", "alerts/s", "MB/s");
  auto row = [](const char* name, const Row& r) {
    std::printf("  %-30s %10zu %10.2f %9.3f %12.0f %9.2f\n", name, r.alerts, r.bytes / 1e6,
                r.seconds, r.alerts_per_s(), r.mb_per_s());
  };
  row("alerts::read_cap (1 thread)", ours);
  row("xmllint --noout --schema", lint);
  const double ratio = lint.alerts_per_s() > 0 ? ours.alerts_per_s() / lint.alerts_per_s() : 0;
  std::printf("  read_cap / xmllint: %.1fx\n", ratio);
  std::printf("  (xmllint: %zu processes' time from spawn to exit, schema loaded once each; "
              "read_cap: files in memory, no process)\n\n",
              by_version.size());

  result.failed = rejected > 0 || lint_failures > 0;
  result.figures = {{"files", files.size()},
                    {"corpus_bytes", corpus_bytes},
                    {"repeat", o.repeat},
                    {"read_cap", ours.to_json()},
                    {"xmllint", lint.to_json()},
                    {"ratio_read_cap_over_xmllint", ratio}};
  return result;
}

// ---- end of section codec -------------------------------------------------------------------

struct Section {
  const char* name;
  std::function<SectionResult(const Options&)> run;
};

// The sections in the order they run. The lead adds issue-to-delivered latency here.
const std::vector<Section>& sections() {
  static const std::vector<Section> all = {
      {"codec", run_codec},
      {"delivery", [](const Options& o) {
         DeliveryResult d = run_delivery(o.alerts);
         return SectionResult{d.figures, d.failed};
       }}};
  return all;
}

int run(const Options& o) {
  json figures = json::object();
  bool failed = false;
  for (const Section& s : sections()) {
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), s.name) == o.only.end()) {
      figures[s.name] = nullptr;
      continue;
    }
    SectionResult r = s.run(o);
    figures[s.name] = r.figures;
    failed = failed || r.failed;
  }
  json line = {{"bench", "cap"},
               {"data", "the VALID CAP files of ../shared/data/cap/alerts (validation_xmllint.txt: "
                        "CAP 1.2, 1.1 and 1.0 from public repositories), repeated " +
                            std::to_string(o.repeat) + " times"},
               {"figures", figures}};
  std::printf("%s\n", line.dump().c_str());
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace liandong::bench

int main(int argc, char** argv) {
  liandong::bench::Options o;
  auto need = [&](int& i) -> std::string {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", argv[i]);
      std::exit(1);
    }
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      liandong::bench::usage();
      return 0;
    } else if (a == "--only") {
      const std::string s = need(i);
      bool known = false;
      for (const auto& sec : liandong::bench::sections()) known = known || s == sec.name;
      if (!known) {
        std::fprintf(stderr, "--only: unknown section '%s' (codec, delivery)\n", s.c_str());
        return 1;
      }
      o.only.push_back(s);
    } else if (a == "--repeat") {
      const std::string v = need(i);
      char* end = nullptr;
      const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || v[0] == '-' || n < 1 || n > 1'000'000) {
        std::fprintf(stderr, "--repeat: '%s' is not a count from 1 to 1000000\n", v.c_str());
        return 1;
      }
      o.repeat = size_t(n);
    } else if (a == "--alerts") {
      const std::string v = need(i);
      char* end = nullptr;
      const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || v[0] == '-' || n < 1 || n > 10'000) {
        std::fprintf(stderr, "--alerts: '%s' is not a count from 1 to 10000\n", v.c_str());
        return 1;
      }
      o.alerts = size_t(n);
    } else if (a == "--data") {
      o.data = need(i);
    } else if (a == "--xmllint") {
      o.xmllint = need(i);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      liandong::bench::usage();
      return 1;
    }
  }
  try {
    return liandong::bench::run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_cap: %s\n", e.what());
    return 1;
  }
}
