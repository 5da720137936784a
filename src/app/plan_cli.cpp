#include "app/plan_cli.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "access/roles.h"
#include "core/codes.h"
#include "taxonomy/taxonomy.h"

namespace liandong::app {
namespace {

// parse_plan refuses more than 1 MiB with a message of its own; reading stops well above that so
// that a huge file or a device is not read whole.
constexpr std::streamsize kReadLimit = 16 << 20;

// The file's text, or the reason it cannot be read.
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
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > static_cast<size_t>(kReadLimit)) {
      why = "larger than 16 MiB; a plan file must be smaller than 1 MiB";
      return false;
    }
  }
  if (in.bad()) {
    why = "read error";
    return false;
  }
  return true;
}

std::string count(size_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

plans::Known default_known() {
  plans::Known k;
  for (auto u : core::default_unit_types()) k.unit_types.emplace_back(u);
  for (auto r : core::report_types()) k.report_types.emplace_back(r);
  for (const auto& role : access::RoleCatalog::defaults().roles()) k.roles.push_back(role.name);
  for (const auto& t : taxonomy::Taxonomy::defaults().types()) k.incident_types.push_back(t.code);
  return k;
}

int plan_validate(const std::vector<std::string>& files, std::ostream& out) {
  const plans::Known known = default_known();
  int rc = 0;
  for (const std::string& file : files) {
    std::string text, why;
    if (!read_file(file, text, why)) {
      out << file << ": cannot read: " << why << "\n";
      rc = 1;
      continue;
    }
    const plans::Parsed parsed = plans::parse_plan(text, file, known);
    const size_t errors = parsed.errors();
    const size_t warnings = parsed.diagnostics.size() - errors;
    if (errors == 0) {
      out << file << ": OK";
      if (warnings > 0) out << " (" << count(warnings, "warning") << ")";
      out << "\n";
    }
    for (const plans::Diagnostic& d : parsed.diagnostics) out << d.text() << "\n";
    if (errors > 0) {
      out << file << ": " << count(errors, "error");
      if (warnings > 0) out << ", " << count(warnings, "warning");
      out << "\n";
      rc = 1;
    }
  }
  return rc;
}

struct PlanCommands::Flags {
  CLI::App* plan = nullptr;
  CLI::App* validate = nullptr;
  std::vector<std::string> files;
};

PlanCommands::PlanCommands(CLI::App& cli) : flags_(std::make_unique<Flags>()) {
  Flags& f = *flags_;
  f.plan = cli.add_subcommand("plan", "Contingency plan files (预案, docs/PLANS.md)");
  f.plan->require_subcommand(1);
  f.validate = f.plan->add_subcommand(
      "validate",
      "Check plan files against the default codes; print FILE: OK or each problem (exit 1 on an "
      "error)");
  f.validate->add_option("FILE", f.files, "Plan files (YAML)")->required();
}

PlanCommands::~PlanCommands() = default;

bool PlanCommands::chosen() const { return flags_->plan->parsed(); }

int PlanCommands::run() {
  if (flags_->validate->parsed()) return plan_validate(flags_->files, std::cout);
  return 2;
}

}  // namespace liandong::app
