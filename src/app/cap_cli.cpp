#include "app/cap_cli.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "alerts/reader.h"
#include "alerts/writer.h"

namespace liandong::app {
namespace {

// read_cap refuses more than ReadLimits::max_bytes (4 MiB) itself, with its code; reading stops
// a little above that so that a huge file or a device is not read whole.
constexpr size_t kReadLimit = (size_t(4) << 20) + 1;

bool read_file(const std::string& path, std::string& text, std::string& why) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    why = "is a folder";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return false;
  }
  char buf[1 << 16];
  while (text.size() < kReadLimit && (in.read(buf, sizeof buf) || in.gcount() > 0))
    text.append(buf, static_cast<size_t>(in.gcount()));
  if (in.bad()) {
    why = "read error";
    return false;
  }
  return true;
}

std::string count(size_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

void print_issue(std::ostream& out, const std::string& file, const alerts::Issue& i) {
  out << file << ": " << alerts::severity_name(i.severity) << " " << i.code << " " << i.path << ": "
      << i.message << "\n";
}

}  // namespace

int cap_validate(const std::vector<std::string>& files, std::ostream& out) {
  int rc = 0;
  for (const std::string& file : files) {
    std::string text, why;
    if (!read_file(file, text, why)) {
      out << file << ": cannot read: " << why << "\n";
      rc = 1;
      continue;
    }
    const alerts::ReadOutcome in = alerts::read_cap(text);
    const size_t errors = in.report.errors().size();
    const size_t warnings = in.report.issues.size() - errors;
    if (in.accepted()) {
      std::string notes;
      if (in.version != 12) notes = "CAP 1." + std::to_string(in.version % 10) + ", read as 1.2";
      if (warnings > 0) notes += (notes.empty() ? "" : "; ") + count(warnings, "warning");
      out << file << ": OK" << (notes.empty() ? "" : " (" + notes + ")") << "\n";
    }
    for (const alerts::Issue& i : in.report.issues) print_issue(out, file, i);
    if (!in.accepted()) {
      out << file << ": " << count(errors, "error");
      if (warnings > 0) out << ", " << count(warnings, "warning");
      out << "\n";
      rc = 1;
    }
  }
  return rc;
}

int cap_normalize(const std::string& file, std::ostream& out, std::ostream& err) {
  std::string text, why;
  if (!read_file(file, text, why)) {
    err << file << ": cannot read: " << why << "\n";
    return 1;
  }
  const alerts::ReadOutcome in = alerts::read_cap(text);
  for (const alerts::Issue& i : in.report.issues) print_issue(err, file, i);
  if (!in.accepted()) {
    err << file << ": not a valid CAP alert (" << count(in.report.errors().size(), "error")
        << ")\n";
    return 1;
  }
  out << alerts::write_cap(*in.alert);
  return out ? 0 : 1;
}

struct CapCommands::Flags {
  CLI::App* cap = nullptr;
  CLI::App* validate = nullptr;
  CLI::App* normalize = nullptr;
  std::vector<std::string> files;
  std::string file;
};

CapCommands::CapCommands(CLI::App& cli) : flags_(std::make_unique<Flags>()) {
  Flags& f = *flags_;
  f.cap = cli.add_subcommand("cap", "CAP alerts (Common Alerting Protocol 1.2, docs/CAP.md)");
  f.cap->require_subcommand(1);
  f.validate = f.cap->add_subcommand(
      "validate",
      "Check CAP files (1.2, 1.1, 1.0): print FILE: OK or each error with its code and path "
      "(exit 1 when any file is invalid or unreadable)");
  f.validate->add_option("FILE", f.files, "CAP files (XML)")->required();
  f.normalize = f.cap->add_subcommand(
      "normalize",
      "Write a CAP file as CAP 1.2 (UTF-8, the XSD's order) to standard output; problems to "
      "standard error (exit 1 when the file is not a valid alert)");
  f.normalize->add_option("FILE", f.file, "A CAP file (XML)")->required();
}

CapCommands::~CapCommands() = default;

bool CapCommands::chosen() const { return flags_->cap->parsed(); }

int CapCommands::run() {
  if (flags_->validate->parsed()) return cap_validate(flags_->files, std::cout);
  if (flags_->normalize->parsed()) return cap_normalize(flags_->file, std::cout, std::cerr);
  return 2;
}

}  // namespace liandong::app
