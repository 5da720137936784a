#include "plans/plan_json.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace liandong::plans {
namespace {

using core::Status;
using nlohmann::json;

// ---- writing ----

json to_json(const Group& g) {
  return {{"key", g.key},
          {"name", g.name},
          {"lead", g.lead},
          {"members", g.members},
          {"duties", g.duties}};
}

json to_json(const LevelSpec& l) {
  json grades = json::array();
  for (auto g : l.when.grades) grades.push_back(core::to_string(g));
  json thresholds = json::object();
  for (const auto& t : l.when.thresholds)
    thresholds[std::string(taxonomy::to_string(t.figure))] = t.at_least;
  json participants = json::array();
  for (const auto& p : l.participants)
    participants.push_back({{"agency", p.agency}, {"duties", p.duties}});
  json forces = json::array();
  for (const auto& f : l.forces)
    forces.push_back({{"type", f.type}, {"count", f.count}, {"capabilities", f.capabilities}});
  json supplies = json::array();
  for (const auto& s : l.supplies)
    supplies.push_back(
        {{"item", s.item}, {"quantity", s.quantity}, {"unit", s.unit}, {"from", s.from}});
  json tasks = json::array();
  for (const auto& t : l.tasks)
    tasks.push_back({{"key", t.key},
                     {"owner", t.owner},
                     {"description", t.description},
                     {"deadline_s", t.deadline.count() / 1000},
                     {"depends_on", t.depends_on},
                     {"role", t.role}});
  json notifications = json::array();
  for (const auto& n : l.notifications)
    notifications.push_back(
        {{"role", n.role}, {"agency", n.agency}, {"channel", n.channel}, {"message", n.message}});
  json reports = json::array();
  for (const auto& r : l.reports)
    reports.push_back({{"type", r.type},
                       {"recipient_level", r.recipient_level},
                       {"deadline_s", r.deadline.count() / 1000}});
  return {{"level", core::to_string(l.level)},
          {"when",
           {{"grades", std::move(grades)},
            {"thresholds", std::move(thresholds)},
            {"warning_level", l.when.warning_level}}},
          {"lead", l.lead},
          {"command_post", l.command_post},
          {"participants", std::move(participants)},
          {"groups", l.groups},
          {"forces", std::move(forces)},
          {"supplies", std::move(supplies)},
          {"tasks", std::move(tasks)},
          {"notifications", std::move(notifications)},
          {"reports", std::move(reports)}};
}

// ---- reading ----
//
// Every access checks the value's type first: nlohmann throws on a wrong-type get<>() or a missing
// at(), and untrusted input must come back as a Status naming the field, not as an exception.

std::string member_path(std::string_view base, std::string_view key) {
  std::string p(base);
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

std::string item_path(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

// An object whose keys are all in `known`; the first unknown key is named (a misspelt optional
// field would otherwise be dropped without a word).
Status check_object(const json& j, const std::string& path,
                    std::initializer_list<std::string_view> known) {
  if (!j.is_object()) return core::invalid("must be an object", path);
  for (const auto& [key, value] : j.items()) {
    bool ok = false;
    for (auto k : known) ok = ok || k == key;
    if (ok) continue;
    std::string allowed;
    for (auto k : known) allowed.append(allowed.empty() ? "" : ", ").append(k);
    return core::invalid("unknown field; the fields here are " + allowed, member_path(path, key));
  }
  return Status::ok();
}

// The member, or nullptr when absent.
const json* member(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Status missing(const std::string& path) { return core::invalid("is required", path); }

Status read_string(const json& obj, std::string_view key, const std::string& base, std::string& out,
                   bool required = false) {
  const json* v = member(obj, key);
  auto path = member_path(base, key);
  if (v == nullptr) return required ? missing(path) : Status::ok();
  if (!v->is_string()) return core::invalid("must be a string", path);
  out = v->get<std::string>();
  return Status::ok();
}

// An array at obj[key] (absent: nothing is read); `item` reads each element with its path.
Status read_array(const json& obj, std::string_view key, const std::string& base,
                  const std::function<Status(const json&, const std::string&)>& item,
                  bool required = false) {
  const json* v = member(obj, key);
  auto path = member_path(base, key);
  if (v == nullptr) return required ? missing(path) : Status::ok();
  if (!v->is_array()) return core::invalid("must be an array", path);
  for (size_t i = 0; i < v->size(); ++i) LD_RETURN_IF_ERROR(item((*v)[i], item_path(path, i)));
  return Status::ok();
}

Status read_strings(const json& obj, std::string_view key, const std::string& base,
                    std::vector<std::string>& out) {
  return read_array(obj, key, base, [&](const json& v, const std::string& path) {
    if (!v.is_string()) return core::invalid("must be a string", path);
    out.push_back(v.get<std::string>());
    return Status::ok();
  });
}

// A JSON integer within [lo, hi]. nlohmann keeps non-negative integers as unsigned and negative
// ones as signed; both are read without narrowing.
Status read_integer(const json& v, const std::string& path, int64_t lo, int64_t hi, int64_t& out,
                    std::string_view unit = "") {
  std::string range = "must be a whole number";
  if (!unit.empty()) range.append(" of ").append(unit);
  range += " from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(hi)) return core::invalid(range, path);
    out = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    out = v.get<int64_t>();
  } else {
    return core::invalid(range, path);
  }
  if (out < lo || out > hi) return core::invalid(range, path);
  return Status::ok();
}

Status read_u32(const json& obj, std::string_view key, const std::string& base, uint32_t& out,
                std::string_view unit = "") {
  const json* v = member(obj, key);
  if (v == nullptr) return Status::ok();
  int64_t n = 0;
  LD_RETURN_IF_ERROR(
      read_integer(*v, member_path(base, key), 0, std::numeric_limits<uint32_t>::max(), n, unit));
  out = static_cast<uint32_t>(n);
  return Status::ok();
}

// Whole seconds, stored as milliseconds (the bound keeps the product in range).
Status read_seconds(const json& obj, std::string_view key, const std::string& base,
                    core::Millis& out) {
  const json* v = member(obj, key);
  if (v == nullptr) return Status::ok();
  int64_t s = 0;
  LD_RETURN_IF_ERROR(read_integer(*v, member_path(base, key), 0,
                                  std::numeric_limits<int64_t>::max() / 1000, s, "seconds"));
  out = core::Millis(s * 1000);
  return Status::ok();
}

Status read_level_code(const json& v, const std::string& path, Level& out) {
  auto g = v.is_string() ? core::parse_grade(v.get<std::string>()) : std::nullopt;
  if (!g) return core::invalid("must be one of I, II, III, IV", path);
  out = *g;
  return Status::ok();
}

Status read_criteria(const json& j, const std::string& path, Criteria& c) {
  LD_RETURN_IF_ERROR(check_object(j, path, {"grades", "thresholds", "warning_level"}));
  LD_RETURN_IF_ERROR(read_array(j, "grades", path, [&](const json& v, const std::string& p) {
    Level g{};
    LD_RETURN_IF_ERROR(read_level_code(v, p, g));
    c.grades.push_back(g);
    return Status::ok();
  }));
  if (const json* t = member(j, "thresholds")) {
    auto tpath = member_path(path, "thresholds");
    if (!t->is_object()) return core::invalid("must be an object of figure: number", tpath);
    // An object's members come out in key order, so thresholds are put back in the figures' own
    // order: the order a threshold is written in does not change what it means.
    std::vector<std::pair<taxonomy::Figure, int64_t>> read;
    for (const auto& [name, value] : t->items()) {
      auto fpath = member_path(tpath, name);
      auto figure = taxonomy::parse_figure(name);
      if (!figure) return core::invalid("unknown figure", fpath);
      int64_t n = 0;
      LD_RETURN_IF_ERROR(read_integer(value, fpath, std::numeric_limits<int64_t>::min(),
                                      std::numeric_limits<int64_t>::max(), n));
      read.emplace_back(*figure, n);
    }
    std::sort(read.begin(), read.end());
    for (const auto& [figure, n] : read) c.thresholds.push_back({figure, n});
  }
  LD_RETURN_IF_ERROR(read_string(j, "warning_level", path, c.warning_level));
  return Status::ok();
}

Status read_group(const json& j, const std::string& path, Group& g) {
  LD_RETURN_IF_ERROR(check_object(j, path, {"key", "name", "lead", "members", "duties"}));
  LD_RETURN_IF_ERROR(read_string(j, "key", path, g.key, true));
  LD_RETURN_IF_ERROR(read_string(j, "name", path, g.name));
  LD_RETURN_IF_ERROR(read_string(j, "lead", path, g.lead));
  LD_RETURN_IF_ERROR(read_strings(j, "members", path, g.members));
  return read_strings(j, "duties", path, g.duties);
}

Status read_task(const json& j, const std::string& path, TaskSpec& t) {
  LD_RETURN_IF_ERROR(
      check_object(j, path, {"key", "owner", "description", "deadline_s", "depends_on", "role"}));
  LD_RETURN_IF_ERROR(read_string(j, "key", path, t.key, true));
  LD_RETURN_IF_ERROR(read_string(j, "owner", path, t.owner));
  LD_RETURN_IF_ERROR(read_string(j, "description", path, t.description));
  LD_RETURN_IF_ERROR(read_seconds(j, "deadline_s", path, t.deadline));
  LD_RETURN_IF_ERROR(read_strings(j, "depends_on", path, t.depends_on));
  t.role = "duty_officer";  // the plan files' default
  return read_string(j, "role", path, t.role);
}

Status read_level(const json& j, const std::string& path, LevelSpec& l) {
  LD_RETURN_IF_ERROR(
      check_object(j, path,
                   {"level", "when", "lead", "command_post", "participants", "groups", "forces",
                    "supplies", "tasks", "notifications", "reports"}));
  const json* level = member(j, "level");
  if (level == nullptr) return missing(member_path(path, "level"));
  LD_RETURN_IF_ERROR(read_level_code(*level, member_path(path, "level"), l.level));
  if (const json* when = member(j, "when"))
    LD_RETURN_IF_ERROR(read_criteria(*when, member_path(path, "when"), l.when));
  LD_RETURN_IF_ERROR(read_string(j, "lead", path, l.lead));
  LD_RETURN_IF_ERROR(read_string(j, "command_post", path, l.command_post));
  LD_RETURN_IF_ERROR(read_array(j, "participants", path, [&](const json& v, const std::string& p) {
    Participant x;
    LD_RETURN_IF_ERROR(check_object(v, p, {"agency", "duties"}));
    LD_RETURN_IF_ERROR(read_string(v, "agency", p, x.agency));
    LD_RETURN_IF_ERROR(read_strings(v, "duties", p, x.duties));
    l.participants.push_back(std::move(x));
    return Status::ok();
  }));
  LD_RETURN_IF_ERROR(read_strings(j, "groups", path, l.groups));
  LD_RETURN_IF_ERROR(read_array(j, "forces", path, [&](const json& v, const std::string& p) {
    Force x;
    LD_RETURN_IF_ERROR(check_object(v, p, {"type", "count", "capabilities"}));
    LD_RETURN_IF_ERROR(read_string(v, "type", p, x.type));
    LD_RETURN_IF_ERROR(read_u32(v, "count", p, x.count, "units"));
    LD_RETURN_IF_ERROR(read_strings(v, "capabilities", p, x.capabilities));
    l.forces.push_back(std::move(x));
    return Status::ok();
  }));
  LD_RETURN_IF_ERROR(read_array(j, "supplies", path, [&](const json& v, const std::string& p) {
    Supply x;
    LD_RETURN_IF_ERROR(check_object(v, p, {"item", "quantity", "unit", "from"}));
    LD_RETURN_IF_ERROR(read_string(v, "item", p, x.item));
    if (const json* q = member(v, "quantity")) {
      if (!q->is_number()) return core::invalid("must be a number", member_path(p, "quantity"));
      x.quantity = q->get<double>();
    }
    LD_RETURN_IF_ERROR(read_string(v, "unit", p, x.unit));
    LD_RETURN_IF_ERROR(read_string(v, "from", p, x.from));
    l.supplies.push_back(std::move(x));
    return Status::ok();
  }));
  LD_RETURN_IF_ERROR(read_array(j, "tasks", path, [&](const json& v, const std::string& p) {
    TaskSpec x;
    LD_RETURN_IF_ERROR(read_task(v, p, x));
    l.tasks.push_back(std::move(x));
    return Status::ok();
  }));
  LD_RETURN_IF_ERROR(read_array(j, "notifications", path, [&](const json& v, const std::string& p) {
    NotificationSpec x;
    LD_RETURN_IF_ERROR(check_object(v, p, {"role", "agency", "channel", "message"}));
    LD_RETURN_IF_ERROR(read_string(v, "role", p, x.role));
    LD_RETURN_IF_ERROR(read_string(v, "agency", p, x.agency));
    LD_RETURN_IF_ERROR(read_string(v, "channel", p, x.channel));
    LD_RETURN_IF_ERROR(read_string(v, "message", p, x.message));
    l.notifications.push_back(std::move(x));
    return Status::ok();
  }));
  return read_array(j, "reports", path, [&](const json& v, const std::string& p) {
    ReportDue x;
    LD_RETURN_IF_ERROR(check_object(v, p, {"type", "recipient_level", "deadline_s"}));
    LD_RETURN_IF_ERROR(read_string(v, "type", p, x.type));
    LD_RETURN_IF_ERROR(read_string(v, "recipient_level", p, x.recipient_level));
    LD_RETURN_IF_ERROR(read_seconds(v, "deadline_s", p, x.deadline));
    l.reports.push_back(std::move(x));
    return Status::ok();
  });
}

Status read_scope(const json& j, const std::string& path, Scope& s) {
  LD_RETURN_IF_ERROR(check_object(j, path, {"categories", "types", "jurisdictions"}));
  LD_RETURN_IF_ERROR(read_array(j, "categories", path, [&](const json& v, const std::string& p) {
    auto c = v.is_string() ? core::parse_category(v.get<std::string>()) : std::nullopt;
    if (!c)
      return core::invalid(
          "must be one of natural_disaster, accident_disaster, public_health, social_safety", p);
    s.categories.push_back(*c);
    return Status::ok();
  }));
  LD_RETURN_IF_ERROR(read_strings(j, "types", path, s.types));
  return read_strings(j, "jurisdictions", path, s.jurisdictions);
}

Status read_plan(const json& j, Plan& plan) {
  if (!j.is_object()) return core::invalid("a plan must be a JSON object");
  LD_RETURN_IF_ERROR(check_object(j, "",
                                  {"key", "title", "owner", "drill_every_days", "review_every_days",
                                   "scope", "groups", "levels"}));
  LD_RETURN_IF_ERROR(read_string(j, "key", "", plan.key, true));
  LD_RETURN_IF_ERROR(read_string(j, "title", "", plan.title));
  LD_RETURN_IF_ERROR(read_string(j, "owner", "", plan.owner));
  LD_RETURN_IF_ERROR(read_u32(j, "drill_every_days", "", plan.drill_every_days, "days"));
  LD_RETURN_IF_ERROR(read_u32(j, "review_every_days", "", plan.review_every_days, "days"));
  if (const json* scope = member(j, "scope"))
    LD_RETURN_IF_ERROR(read_scope(*scope, "scope", plan.scope));
  LD_RETURN_IF_ERROR(read_array(j, "groups", "", [&](const json& v, const std::string& p) {
    Group g;
    LD_RETURN_IF_ERROR(read_group(v, p, g));
    plan.groups.push_back(std::move(g));
    return Status::ok();
  }));
  return read_array(
      j, "levels", "",
      [&](const json& v, const std::string& p) {
        LevelSpec l;
        LD_RETURN_IF_ERROR(read_level(v, p, l));
        plan.levels.push_back(std::move(l));
        return Status::ok();
      },
      /*required=*/true);
}

}  // namespace

json to_json(const Plan& plan) {
  json categories = json::array();
  for (auto c : plan.scope.categories) categories.push_back(core::to_string(c));
  json groups = json::array();
  for (const auto& g : plan.groups) groups.push_back(to_json(g));
  json levels = json::array();
  for (const auto& l : plan.levels) levels.push_back(to_json(l));
  return {{"key", plan.key},
          {"title", plan.title},
          {"owner", plan.owner},
          {"drill_every_days", plan.drill_every_days},
          {"review_every_days", plan.review_every_days},
          {"scope",
           {{"categories", std::move(categories)},
            {"types", plan.scope.types},
            {"jurisdictions", plan.scope.jurisdictions}}},
          {"groups", std::move(groups)},
          {"levels", std::move(levels)}};
}

core::Result<Plan> plan_from_json(const json& j) {
  Plan plan;
  // Checked access should leave nothing to throw; should a nlohmann call still throw (a bug), it
  // stops here as an internal error rather than crossing into the caller.
  try {
    LD_RETURN_IF_ERROR(read_plan(j, plan));
  } catch (const std::exception& e) {
    return core::internal_error(std::string("reading a plan from JSON: ") + e.what());
  }
  return plan;
}

}  // namespace liandong::plans
