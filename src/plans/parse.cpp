#include "plans/parse.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "core/yaml_support.h"
#include "plans/internal/parse_context.h"
#include "plans/internal/parse_level.h"

namespace liandong::plans {

using namespace internal;

namespace {

// Plans are a few hundred lines; anything far larger is a mistake or an attack.
constexpr size_t kMaxDocumentBytes = 1 << 20;

// Where each document of a YAML stream starts, at most `limit` of them. Not YAML::LoadAll:
// yaml-cpp 0.7's LoadAll never ends on some inputs (a lone "," yields empty documents forever,
// allocating until the process dies), so the documents are counted with a bound.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

std::vector<YAML::Mark> document_starts(const std::string& text, size_t limit) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  while (handler.starts.size() < limit && parser.HandleNextDocument(handler)) {
  }
  return std::move(handler.starts);
}

bool is_jurisdiction_code(std::string_view s) {
  return s.size() == 6 &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// Reports a value listed twice in one of the scope's lists; true when it is new.
bool first_time(Context& c, std::vector<std::string>& seen, const std::string& v,
                const YAML::Node& node, const std::string& path) {
  if (std::find(seen.begin(), seen.end(), v) != seen.end()) {
    c.error(node, path, "'" + v + "' is listed twice");
    return false;
  }
  seen.push_back(v);
  return true;
}

Scope read_scope(Context& c, const YAML::Node& node, const std::string& path) {
  Scope out;
  static constexpr Key kKeys[] = {{"categories"}, {"types"}, {"jurisdictions"}};
  auto f = fields(c, node, path, kKeys);
  if (!f) return out;
  // Each list: read its items, check each, keep the good ones.
  size_t written = 0;  // categories and types written, good or bad
  auto each = [&](std::string_view key, auto&& check) {
    const YAML::Node* n = f->find(key);
    if (!n) return;
    const std::string lp = join(path, key);
    auto list = items(c, *n, lp);
    if (!list) return;
    if (key != "jurisdictions") written += list->size();
    std::vector<std::string> seen;
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string ip = n->IsSequence() ? at(lp, i) : lp;
      auto t = text(c, (*list)[i], ip, true);
      if (t && first_time(c, seen, *t, (*list)[i], ip)) check(*t, (*list)[i], ip);
    }
  };
  each("categories", [&](const std::string& t, const YAML::Node& n, const std::string& p) {
    if (auto cat = core::parse_category(t))
      out.categories.push_back(*cat);
    else
      c.error(
          n, p,
          "unknown category '" + shown(t) +
              "'; expected natural_disaster, accident_disaster, public_health or social_safety");
  });
  each("types", [&](const std::string& t, const YAML::Node& n, const std::string& p) {
    if (!core::yaml::is_code(t))
      c.error(n, p, "'" + shown(t) + "' is not an incident type code");
    else if (!known_code(c.known().incident_types, t))
      c.error(
          n, p,
          "unknown incident type '" + t + "'; expected one of " + joined(c.known().incident_types));
    else
      out.types.push_back(t);
  });
  each("jurisdictions", [&](const std::string& t, const YAML::Node& n, const std::string& p) {
    if (is_jurisdiction_code(t))
      out.jurisdictions.push_back(t);
    else
      c.error(n, p,
              "'" + shown(t) +
                  "' is not a jurisdiction code: write its six digits (GB/T 2260), "
                  "e.g. \"441200\"");
  });
  if (written == 0)
    c.error(node, path,
            "names no categories and no types: list at least one category or incident type");
  return out;
}

std::vector<Group> read_groups(Context& c, const YAML::Node& node, const std::string& path) {
  std::vector<Group> out;
  auto all = entries(c, node, path, "each working group is defined once");
  if (!all) return out;
  static constexpr Key kKeys[] = {{"name", true, "e.g. 综合组"},
                                  {"lead", true, "the agency kind that leads the group"},
                                  {"members"},
                                  {"duties"}};
  for (const Entry& e : *all) {
    const std::string gp = join(path, e.key);
    Group g;
    g.key = e.key;
    if (!core::yaml::is_code(e.key))
      c.error(e.key_node, gp,
              "not a working group key: write a code of lower-case letters, digits and _ "
              "starting with a letter");
    if (auto f = fields(c, e.value, gp, kKeys)) {
      if (const YAML::Node* n = f->find("name"))
        if (auto t = text(c, *n, join(gp, "name"), true)) g.name = *t;
      if (const YAML::Node* n = f->find("lead"))
        if (auto t = agency(c, *n, join(gp, "lead"))) g.lead = *t;
      if (const YAML::Node* n = f->find("members")) {
        const std::string mp = join(gp, "members");
        if (auto list = items(c, *n, mp)) {
          for (size_t i = 0; i < list->size(); ++i) {
            const std::string ip = n->IsSequence() ? at(mp, i) : mp;
            if (auto kind = agency(c, (*list)[i], ip))
              first_time(c, g.members, *kind, (*list)[i], ip);
          }
        }
      }
      if (const YAML::Node* n = f->find("duties")) g.duties = texts(c, *n, join(gp, "duties"));
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<LevelRead> read_levels(Context& c, const YAML::Node& node, const std::string& path) {
  std::vector<LevelRead> out;
  auto all = entries(c, node, path, "each level may appear once");
  if (!all) return out;
  for (const Entry& e : *all) {
    auto level = core::parse_grade(e.key);
    if (!level) {
      c.error(e.key_node, join(path, e.key), "unknown level; expected I, II, III or IV");
      continue;
    }
    out.push_back(read_level(c, *level, e.key_node, e.value, join(path, e.key)));
  }
  if (all->empty()) c.error(node, path, "at least one level (I, II, III or IV) is required");
  std::stable_sort(out.begin(), out.end(), [](const LevelRead& a, const LevelRead& b) {
    return static_cast<int>(a.spec.level) < static_cast<int>(b.spec.level);
  });
  return out;
}

void read_plan(Context& c, const YAML::Node& root, Plan& plan) {
  static constexpr Key kKeys[] = {
      {"key", true, "a code naming the plan across its versions, e.g. fire_general"},
      {"title", true, "e.g. 火灾事故应急预案"},
      {"owner", true, "the agency kind that owns the plan"},
      {"drill_every_days"},
      {"review_every_days"},
      {"scope", true, "categories and/or incident types the plan covers"},
      {"groups"},
      {"levels", true, "response levels I to IV"}};
  auto f = fields(c, root, "", kKeys);
  if (!f) return;
  if (const YAML::Node* n = f->find("key"))
    if (auto t = code(c, *n, "key", "a plan key")) plan.key = *t;
  if (const YAML::Node* n = f->find("title"))
    if (auto t = text(c, *n, "title", true)) plan.title = *t;
  if (const YAML::Node* n = f->find("owner"))
    if (auto t = agency(c, *n, "owner")) plan.owner = *t;
  for (auto [key, into] : {std::pair{"drill_every_days", &plan.drill_every_days},
                           std::pair{"review_every_days", &plan.review_every_days}})
    if (const YAML::Node* n = f->find(key))
      if (auto v = whole(c, *n, key, 1, 3650, "a whole number of days from 1 to 3650"))
        *into = static_cast<uint32_t>(*v);
  if (const YAML::Node* n = f->find("scope")) plan.scope = read_scope(c, *n, "scope");
  if (const YAML::Node* n = f->find("groups")) plan.groups = read_groups(c, *n, "groups");
  std::vector<LevelRead> levels;
  if (const YAML::Node* n = f->find("levels")) levels = read_levels(c, *n, "levels");
  // Past the work limit the plan is only partly read: cross-references would be noise.
  if (!c.exhausted()) check_references(c, plan.groups, levels);
  for (LevelRead& l : levels) plan.levels.push_back(std::move(l.spec));
}

}  // namespace

std::string Diagnostic::text() const {
  std::string out = source;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!error) out += "warning: ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

size_t Parsed::errors() const {
  return static_cast<size_t>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                           [](const Diagnostic& d) { return d.error; }));
}

Parsed parse_plan(std::string_view text, std::string_view source, const Known& known) {
  Parsed out;
  Context c(source, known);
  if (text.size() > kMaxDocumentBytes) {
    c.error(0, "",
            "the document is larger than 1 MiB (" + std::to_string(text.size()) +
                " bytes); a plan file must be smaller");
    out.diagnostics = c.take();
    return out;
  }
  Plan plan;
  try {
    // Not core::yaml::parse: the syntax error's line is wanted as data, and a second document
    // must be refused rather than ignored.
    const std::string source_text(text);
    const YAML::Node doc = YAML::Load(source_text);  // the first document only
    if (doc.IsNull()) {
      c.error(line_of(doc), "",
              "the document is empty; a plan is a mapping with key, title, owner, scope and levels");
    } else if (!doc.IsMap()) {
      c.error(doc, "",
              "the document must be a mapping with key, title, owner, scope and levels, not " +
                  std::string(kind_of(doc)));
    } else {
      read_plan(c, doc, plan);
    }
    std::vector<YAML::Mark> starts = document_starts(source_text, 2);
    if (starts.size() > 1)
      c.error(starts[1].is_null() ? 0 : starts[1].line + 1, "",
              "a second YAML document; a plan file holds one plan");
  } catch (const YAML::DeepRecursion& e) {  // its own message says only "bad file"
    c.error(e.mark.is_null() ? 0 : e.mark.line + 1, "",
            "the document is nested too deeply; a plan needs a few levels of indentation");
  } catch (const YAML::Exception& e) {
    c.error(e.mark.is_null() ? 0 : e.mark.line + 1, "", "not valid YAML: " + e.msg);
  } catch (const std::exception& e) {  // e.g. bad_alloc: refuse the file, keep the process
    c.error(0, "", std::string("cannot read the document: ") + e.what());
  }
  if (c.errors() == 0) out.plan = std::move(plan);
  out.diagnostics = c.take();
  return out;
}

namespace {

struct Unit {
  std::string_view name;
  int64_t ms;
};
// Largest first; a duration writes each at most once, in this order.
constexpr std::array<Unit, 5> kUnits{
    {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};

}  // namespace

std::optional<core::Millis> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t next_unit = 0;  // units before this one are used up
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++digits > 9) return std::nullopt;  // keeps the total far from overflow
      n = n * 10 + (text[i++] - '0');
    }
    if (digits == 0) return std::nullopt;
    size_t u = next_unit;
    while (u < kUnits.size() && text.substr(i, kUnits[u].name.size()) != kUnits[u].name) ++u;
    // "m" must not take the "m" of "ms".
    if (u == 2 && text.substr(i, 2) == "ms") u = 4;
    if (u >= kUnits.size()) return std::nullopt;
    i += kUnits[u].name.size();
    total += n * kUnits[u].ms;
    next_unit = u + 1;
  }
  return core::Millis(total);
}

std::string format_duration(core::Millis d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (const Unit& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + std::string(u.name);
      ms %= u.ms;
    }
  }
  return out;
}

}  // namespace liandong::plans
