#include "plans/internal/parse_level.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <set>

#include "core/yaml_support.h"
#include "taxonomy/taxonomy.h"

namespace liandong::plans::internal {
namespace {

// dispatch/requirement.h's limits, repeated so that plans need not depend on dispatch.
constexpr int64_t kMaxSlotCount = 50;
constexpr int64_t kMaxTotalCount = 100;
constexpr size_t kMaxSlots = 64;

constexpr auto kLongDeadline = std::chrono::days(7);

constexpr std::string_view kRecipientLevels[] = {"county", "city", "province", "national"};

std::string figure_names() {
  std::string out;
  for (auto f :
       {taxonomy::Figure::kDeaths, taxonomy::Figure::kSeriousInjuries, taxonomy::Figure::kInjuries,
        taxonomy::Figure::kMissing, taxonomy::Figure::kAffected, taxonomy::Figure::kEvacuated,
        taxonomy::Figure::kDirectLossYuan})
    out += (out.empty() ? "" : ", ") + std::string(taxonomy::to_string(f));
  return out;
}

std::string known_list(const std::vector<std::string>& known) { return joined(known); }

// Whether code is known; reports it when not.
bool check_known(Context& c, const YAML::Node& node, const std::string& path,
                 const std::vector<std::string>& known, const std::string& code,
                 std::string_view what) {
  if (known_code(known, code)) return true;
  c.error(node, path,
          "unknown " + std::string(what) + " '" + shown(code) + "'; expected one of " +
              known_list(known));
  return false;
}

Criteria read_when(Context& c, const YAML::Node& node, const std::string& path) {
  Criteria out;
  static constexpr Key kKeys[] = {{"grades"}, {"thresholds"}, {"warning"}};
  auto f = fields(c, node, path, kKeys);
  if (!f) return out;
  if (const YAML::Node* g = f->find("grades")) {
    const std::string gp = join(path, "grades");
    if (auto list = items(c, *g, gp)) {
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string ip = g->IsSequence() ? at(gp, i) : gp;
        auto t = text(c, (*list)[i], ip, true);
        if (!t) continue;
        auto grade = core::parse_grade(*t);
        if (!grade) {
          c.error((*list)[i], ip, "unknown grade '" + shown(*t) + "'; expected I, II, III or IV");
        } else if (std::find(out.grades.begin(), out.grades.end(), *grade) != out.grades.end()) {
          c.error((*list)[i], ip, "grade " + *t + " is listed twice");
        } else {
          out.grades.push_back(*grade);
        }
      }
    }
  }
  if (const YAML::Node* t = f->find("thresholds")) {
    const std::string tp = join(path, "thresholds");
    if (auto all = entries(c, *t, tp)) {
      for (const Entry& e : *all) {
        const std::string ep = join(tp, e.key);
        auto figure = taxonomy::parse_figure(e.key);
        if (!figure) {
          c.error(e.key_node, ep, "unknown figure; expected one of " + figure_names());
          continue;
        }
        if (auto n = whole(c, e.value, ep, 1, std::numeric_limits<int64_t>::max(),
                           "a whole number of 1 or more (the level applies at that figure or "
                           "more)"))
          out.thresholds.push_back({*figure, *n});
      }
      // In the figures' own order, as the JSON form (an object) reads them back.
      std::stable_sort(out.thresholds.begin(), out.thresholds.end(),
                       [](const Threshold& a, const Threshold& b) { return a.figure < b.figure; });
    }
  }
  if (const YAML::Node* w = f->find("warning")) {
    const std::string wp = join(path, "warning");
    if (auto t = text(c, *w, wp, true)) {
      if (core::contains(core::warning_levels(), *t))
        out.warning_level = *t;
      else
        c.error(*w, wp,
                "unknown warning level '" + shown(*t) + "'; expected red, orange, yellow or blue");
    }
  }
  return out;
}

std::vector<Participant> read_participants(Context& c, const YAML::Node& node,
                                           const std::string& path) {
  std::vector<Participant> out;
  auto seen = [&](const std::string& kind) {
    return std::any_of(out.begin(), out.end(),
                       [&](const Participant& p) { return p.agency == kind; });
  };
  if (node.IsSequence()) {  // agency kinds without duties
    auto list = items(c, node, path);
    if (!list) return out;
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node& item = (*list)[i];
      const std::string ip = at(path, i);
      auto kind = agency(c, item, ip);
      if (!kind) continue;
      if (seen(*kind))
        c.error(item, ip, "agency '" + *kind + "' is listed twice");
      else
        out.push_back({*kind, {}});
    }
    return out;
  }
  auto all = entries(c, node, path);
  if (!all) return out;
  for (const Entry& e : *all) {
    const std::string ep = join(path, e.key);
    if (!is_agency_kind(e.key)) {
      c.error(e.key_node, ep,
              "not an agency kind: write a code such as fire, police, health, environment, or a "
              "service number such as \"119\"");
      continue;
    }
    out.push_back({e.key, texts(c, e.value, ep)});
  }
  return out;
}

// One slot written as a mapping.
std::optional<Force> read_force_map(Context& c, const YAML::Node& node, const std::string& path) {
  static constexpr Key kKeys[] = {
      {"type", true, "a unit type such as engine"}, {"count", false}, {"capabilities", false}};
  auto f = fields(c, node, path, kKeys);
  if (!f) return std::nullopt;
  Force force;
  bool ok = true;
  if (const YAML::Node* t = f->find("type")) {
    auto type = code(c, *t, join(path, "type"), "a unit type");
    if (type && check_known(c, *t, join(path, "type"), c.known().unit_types, *type, "unit type"))
      force.type = *type;
    else
      ok = false;
  } else {
    ok = false;
  }
  if (const YAML::Node* n = f->find("count")) {
    auto count = whole(c, *n, join(path, "count"), 1, kMaxSlotCount, "1 to 50 (units in one slot)");
    if (count)
      force.count = static_cast<uint32_t>(*count);
    else
      ok = false;
  }
  if (const YAML::Node* caps = f->find("capabilities"))
    force.capabilities = codes(c, *caps, join(path, "capabilities"), "a capability");
  if (!ok) return std::nullopt;
  return force;
}

// Slots written as a run card: "2 engine + 1 ladder (aerial_32m)".
std::vector<Force> read_force_text(Context& c, const YAML::Node& node, const std::string& path) {
  std::vector<Force> out;
  auto slots = taxonomy::parse_response(node.Scalar());
  if (!slots) {
    c.error(node, path,
            slots.status().message() +
                " (write slots as '2 engine + 1 ladder (aerial_32m)', or a mapping with type, "
                "count and capabilities)");
    return out;
  }
  if (slots->empty()) c.error(node, path, "must not be empty");
  for (const auto& s : *slots) {
    if (!check_known(c, node, path, c.known().unit_types, s.type, "unit type")) continue;
    out.push_back({s.type, s.count, s.capabilities});
  }
  return out;
}

std::vector<Force> read_forces(Context& c, const YAML::Node& node, const std::string& path) {
  std::vector<Force> out;
  if (node.IsScalar()) {
    out = read_force_text(c, node, path);
  } else if (auto list = items(c, node, path)) {
    for (size_t i = 0; i < list->size(); ++i) {
      const YAML::Node& item = (*list)[i];
      if (item.IsScalar()) {
        for (Force& f : read_force_text(c, item, at(path, i))) out.push_back(std::move(f));
      } else if (auto f = read_force_map(c, item, at(path, i))) {
        out.push_back(std::move(*f));
      }
    }
  }
  int64_t total = 0;
  for (const Force& f : out) total += f.count;
  if (total > kMaxTotalCount)
    c.error(node, path,
            std::to_string(total) +
                " units in all; a level's force may have at most 100 "
                "(ask for more through mutual aid)");
  if (out.size() > kMaxSlots)
    c.error(node, path, std::to_string(out.size()) + " slots; a level's force may have at most 64");
  return out;
}

std::vector<Supply> read_supplies(Context& c, const YAML::Node& node, const std::string& path) {
  std::vector<Supply> out;
  auto list = items(c, node, path);
  if (!list) return out;
  static constexpr Key kKeys[] = {{"item", true, "what to mobilise, e.g. 活性炭"},
                                  {"quantity", true, "a number greater than 0"},
                                  {"unit", true, "e.g. t, 套, boxes"},
                                  {"from", false}};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string ip = at(path, i);
    auto f = fields(c, (*list)[i], ip, kKeys);
    if (!f) continue;
    // Missing or wrong parts are reported and the plan refused; what was read is kept regardless.
    Supply s;
    for (auto [key, into] : {std::pair{"item", &s.item}, std::pair{"unit", &s.unit}})
      if (const YAML::Node* n = f->find(key))
        if (auto t = text(c, *n, join(ip, key), true)) *into = *t;
    if (const YAML::Node* q = f->find("quantity"))
      if (auto v = positive_number(c, *q, join(ip, "quantity"))) s.quantity = *v;
    if (const YAML::Node* from = f->find("from"))
      if (auto t = text(c, *from, join(ip, "from"), false)) s.from = *t;
    out.push_back(std::move(s));
  }
  return out;
}

void read_tasks(Context& c, const YAML::Node& node, const std::string& path, LevelRead& level) {
  auto all = entries(c, node, path, "each task key may appear once in a level");
  if (!all) return;
  static constexpr Key kKeys[] = {{"owner", true, "an agency kind or a working group key"},
                                  {"description", true, "what is to be done"},
                                  {"deadline", true, "a duration after activation such as 30m"},
                                  {"after", false},
                                  {"role", false}};
  for (const Entry& e : *all) {
    const std::string tp = join(path, e.key);
    TaskSpec task;
    TaskLines lines;
    lines.key = {line_of(e.key_node), tp};
    if (!core::yaml::is_code(e.key))
      c.error(e.key_node, tp,
              "not a task key: write a code of lower-case letters, digits and _ starting with a "
              "letter");
    task.key = e.key;
    task.role = "duty_officer";
    // A task with errors is still kept (the plan is refused anyway), so that `after` entries
    // naming it are not reported as unknown too.
    if (auto f = fields(c, e.value, tp, kKeys)) {
      if (const YAML::Node* o = f->find("owner")) {
        if (auto owner = agency(c, *o, join(tp, "owner"))) task.owner = *owner;
        lines.owner = {line_of(*o), join(tp, "owner")};
      }
      if (const YAML::Node* d = f->find("description"))
        if (auto t = text(c, *d, join(tp, "description"), true)) task.description = *t;
      if (const YAML::Node* d = f->find("deadline")) {
        if (auto deadline = duration(c, *d, join(tp, "deadline"))) {
          task.deadline = *deadline;
          if (*deadline > kLongDeadline)
            c.warning(*d, join(tp, "deadline"),
                      format_duration(*deadline) +
                          " is longer than 7 days; a response task is usually due within hours");
        }
      }
      if (const YAML::Node* a = f->find("after")) {
        const std::string ap = join(tp, "after");
        if (auto list = items(c, *a, ap)) {
          std::set<std::string> listed;
          for (size_t i = 0; i < list->size(); ++i) {
            const YAML::Node& item = (*list)[i];
            const std::string ip = a->IsSequence() ? at(ap, i) : ap;
            auto dep = code(c, item, ip, "a task key");
            if (!dep) continue;
            if (!listed.insert(*dep).second) {
              c.error(item, ip, "'" + *dep + "' is listed twice");
              continue;
            }
            task.depends_on.push_back(*dep);
            lines.after.push_back({line_of(item), ip});
          }
        }
      }
      if (const YAML::Node* r = f->find("role")) {
        const std::string rp = join(tp, "role");
        auto role = code(c, *r, rp, "a role");
        if (role && check_known(c, *r, rp, c.known().roles, *role, "role")) task.role = *role;
      }
    }
    level.spec.tasks.push_back(std::move(task));
    level.tasks.push_back(std::move(lines));
  }
}

std::vector<NotificationSpec> read_notifications(Context& c, const YAML::Node& node,
                                                 const std::string& path) {
  std::vector<NotificationSpec> out;
  auto list = items(c, node, path);
  if (!list) return out;
  static constexpr Key kKeys[] = {{"role", true, "who is told, a role such as supervisor"},
                                  {"agency", false},
                                  {"channel", false},
                                  {"message", false}};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string ip = at(path, i);
    auto f = fields(c, (*list)[i], ip, kKeys);
    if (!f) continue;
    NotificationSpec n;
    n.channel = "console";
    if (const YAML::Node* r = f->find("role")) {
      auto role = code(c, *r, join(ip, "role"), "a role");
      if (role && check_known(c, *r, join(ip, "role"), c.known().roles, *role, "role"))
        n.role = *role;
    }
    if (const YAML::Node* a = f->find("agency"))
      if (auto kind = agency(c, *a, join(ip, "agency"))) n.agency = *kind;
    if (const YAML::Node* ch = f->find("channel"))
      if (auto channel =
              code(c, *ch, join(ip, "channel"), "a channel (console, sms, phone, fax, email …)"))
        n.channel = *channel;
    if (const YAML::Node* m = f->find("message"))
      if (auto t = text(c, *m, join(ip, "message"), false)) n.message = *t;
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<ReportDue> read_reports(Context& c, const YAML::Node& node, const std::string& path) {
  std::vector<ReportDue> out;
  auto list = items(c, node, path);
  if (!list) return out;
  static constexpr Key kKeys[] = {
      {"type", true, "initial, progress, final, daily, bulletin or special"},
      {"to", true, "county, city, province or national"},
      {"within", true, "a duration after activation such as 1h"}};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string ip = at(path, i);
    auto f = fields(c, (*list)[i], ip, kKeys);
    if (!f) continue;
    ReportDue r;
    bool ok = true;
    if (const YAML::Node* t = f->find("type")) {
      auto type = code(c, *t, join(ip, "type"), "a report type");
      if (type &&
          check_known(c, *t, join(ip, "type"), c.known().report_types, *type, "report type"))
        r.type = *type;
      else
        ok = false;
    } else {
      ok = false;
    }
    if (const YAML::Node* to = f->find("to")) {
      auto t = text(c, *to, join(ip, "to"), true);
      if (t && std::find(std::begin(kRecipientLevels), std::end(kRecipientLevels), *t) !=
                   std::end(kRecipientLevels)) {
        r.recipient_level = *t;
      } else {
        if (t)
          c.error(*to, join(ip, "to"),
                  "unknown recipient level '" + shown(*t) +
                      "'; expected county, city, province or national");
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const YAML::Node* w = f->find("within")) {
      auto d = duration(c, *w, join(ip, "within"));
      if (d)
        r.deadline = *d;
      else
        ok = false;
    } else {
      ok = false;
    }
    if (!ok) continue;
    const bool twice = std::any_of(out.begin(), out.end(), [&](const ReportDue& o) {
      return o.type == r.type && o.recipient_level == r.recipient_level;
    });
    if (twice) {
      c.error((*list)[i], ip,
              "a " + r.type + " report to the " + r.recipient_level + " level is listed twice");
      continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

LevelRead read_level(Context& c, Level level, const YAML::Node& key_node, const YAML::Node& value,
                     const std::string& path) {
  LevelRead out;
  out.spec.level = level;
  out.line = line_of(key_node);
  out.path = path;
  static constexpr Key kKeys[] = {
      {"when"},          {"lead", true, "the lead agency kind, e.g. fire or \"119\""},
      {"command_post"},  {"participants"},
      {"groups"},        {"forces"},
      {"supplies"},      {"tasks"},
      {"notifications"}, {"reports"}};
  auto f = fields(c, value, path, kKeys);
  if (!f) return out;
  LevelSpec& s = out.spec;
  // The two warnings are left out when the part was written but wrong (the error says enough).
  size_t before = c.errors();
  if (const YAML::Node* w = f->find("when")) s.when = read_when(c, *w, join(path, "when"));
  if (s.when.grades.empty() && s.when.thresholds.empty() && s.when.warning_level.empty() &&
      c.errors() == before)
    c.warning(key_node, path,
              "no criteria (when: grades, thresholds or warning): the level is never selected "
              "on its own, only activated by hand");
  if (const YAML::Node* l = f->find("lead"))
    if (auto kind = agency(c, *l, join(path, "lead"))) s.lead = *kind;
  if (const YAML::Node* p = f->find("command_post"))
    if (auto t = text(c, *p, join(path, "command_post"), false)) s.command_post = *t;
  if (const YAML::Node* p = f->find("participants"))
    s.participants = read_participants(c, *p, join(path, "participants"));
  if (const YAML::Node* g = f->find("groups")) {
    const std::string gp = join(path, "groups");
    if (auto list = items(c, *g, gp)) {
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string ip = g->IsSequence() ? at(gp, i) : gp;
        auto key = code(c, (*list)[i], ip, "a working group key");
        if (!key) continue;
        if (std::find(s.groups.begin(), s.groups.end(), *key) != s.groups.end()) {
          c.error((*list)[i], ip, "group '" + *key + "' is listed twice");
          continue;
        }
        s.groups.push_back(*key);
        out.groups.push_back({line_of((*list)[i]), ip});
      }
    }
  }
  if (const YAML::Node* x = f->find("forces")) s.forces = read_forces(c, *x, join(path, "forces"));
  if (const YAML::Node* x = f->find("supplies"))
    s.supplies = read_supplies(c, *x, join(path, "supplies"));
  before = c.errors();
  if (const YAML::Node* x = f->find("tasks")) read_tasks(c, *x, join(path, "tasks"), out);
  if (s.tasks.empty() && c.errors() == before)
    c.warning(key_node, path, "no tasks: activating the level gives nobody anything to do");
  if (const YAML::Node* x = f->find("notifications"))
    s.notifications = read_notifications(c, *x, join(path, "notifications"));
  if (const YAML::Node* x = f->find("reports"))
    s.reports = read_reports(c, *x, join(path, "reports"));
  return out;
}

}  // namespace liandong::plans::internal
