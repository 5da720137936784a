#include "plans/activation.h"

#include <algorithm>
#include <queue>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/jurisdiction.h"

namespace liandong::plans {
namespace {

// Plan::find_level's lookup, kept here so that activation depends only on the plan's data.
const LevelSpec* level_of(const Plan& plan, Level level) {
  for (const auto& l : plan.levels)
    if (l.level == level) return &l;
  return nullptr;
}

// A scope code covers the incident's code when they are equal or the incident lies below it. A code
// that is not six digits covers only itself (the validator refuses such codes in plans).
bool covers(std::string_view scope_code, std::string_view incident_code) {
  if (scope_code == incident_code) return true;
  auto scope = core::JurisdictionCode::parse(scope_code);
  auto incident = core::JurisdictionCode::parse(incident_code);
  if (!scope || !incident) return false;
  return incident->within(*scope);
}

// red 0 (gravest) … blue 3; nullopt for "" or an unknown code.
std::optional<size_t> warning_rank(std::string_view level) {
  auto table = core::warning_levels();
  auto it = std::find(table.begin(), table.end(), level);
  if (level.empty() || it == table.end()) return std::nullopt;
  return static_cast<size_t>(it - table.begin());
}

bool holds(const Criteria& when, const Facts& facts) {
  if (facts.confirmed_grade && std::find(when.grades.begin(), when.grades.end(),
                                         *facts.confirmed_grade) != when.grades.end())
    return true;
  for (const auto& t : when.thresholds)
    if (taxonomy::value_of(facts.figures, t.figure) >= t.at_least) return true;
  auto wanted = warning_rank(when.warning_level);
  auto in_force = warning_rank(facts.warning_level);
  return wanted && in_force && *in_force <= *wanted;
}

template <typename T>
bool listed_or_empty(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool in_scope(const Plan& plan, const Facts& facts) {
  const Scope& s = plan.scope;
  if (!listed_or_empty(s.categories, facts.category)) return false;
  if (!listed_or_empty(s.types, facts.type)) return false;
  if (s.jurisdictions.empty()) return true;
  return std::any_of(s.jurisdictions.begin(), s.jurisdictions.end(),
                     [&](const std::string& code) { return covers(code, facts.jurisdiction); });
}

bool graver(Level a, Level b) { return static_cast<int>(a) < static_cast<int>(b); }

std::optional<Level> select_level(const Plan& plan, const Facts& facts) {
  std::optional<Level> best;
  for (const auto& l : plan.levels)
    if (holds(l.when, facts) && (!best || graver(l.level, *best))) best = l.level;
  return best;
}

Step step(const Plan& plan, std::optional<Level> from, Level to) {
  Step out;
  const LevelSpec* next = level_of(plan, to);
  if (next == nullptr) return out;
  const LevelSpec* prev = from ? level_of(plan, *from) : nullptr;

  std::set<std::string_view> prev_keys, next_keys;
  std::set<std::pair<std::string_view, std::string_view>> prev_reports;
  if (prev != nullptr) {
    for (const auto& t : prev->tasks) prev_keys.insert(t.key);
    for (const auto& r : prev->reports) prev_reports.emplace(r.type, r.recipient_level);
  }
  for (const auto& t : next->tasks) next_keys.insert(t.key);

  for (const auto& t : next->tasks)
    if (!prev_keys.contains(t.key)) out.add_tasks.push_back(&t);
  if (prev != nullptr) {
    std::set<std::string_view> stood_down;
    for (const auto& t : prev->tasks)
      if (!next_keys.contains(t.key) && stood_down.insert(t.key).second)
        out.stand_down_tasks.push_back(t.key);
  }
  for (const auto& n : next->notifications) out.notify.push_back(&n);
  for (const auto& r : next->reports)
    if (!prev_reports.contains({r.type, r.recipient_level})) out.add_reports.push_back(&r);
  out.forces = next->forces;
  return out;
}

std::vector<std::string> task_order(const LevelSpec& level) {
  const auto& tasks = level.tasks;
  const size_t n = tasks.size();
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < n; ++i) index.emplace(tasks[i].key, i);  // the first of a repeated key

  std::vector<std::vector<size_t>> dependents(n);
  std::vector<size_t> waiting(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (const auto& dep : tasks[i].depends_on) {
      auto it = index.find(dep);
      if (it == index.end()) continue;  // not a task of this level: nothing to wait for
      dependents[it->second].push_back(i);
      ++waiting[i];
    }
  }

  // Kahn's algorithm taking the earliest ready task in plan order, so that the plan's order is kept
  // wherever the dependencies allow it.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(i);
  std::vector<bool> done(n, false);
  std::vector<std::string> order;
  order.reserve(n);
  size_t next_unfinished = 0;
  while (order.size() < n) {
    size_t i;
    if (!ready.empty()) {
      i = ready.top();
      ready.pop();
      if (done[i]) continue;
    } else {
      // A cycle (the validator refuses them): break it at its earliest task rather than drop tasks.
      while (done[next_unfinished]) ++next_unfinished;
      i = next_unfinished;
    }
    done[i] = true;
    order.push_back(tasks[i].key);
    for (size_t d : dependents[i])
      if (--waiting[d] == 0 && !done[d]) ready.push(d);
  }
  return order;
}

}  // namespace liandong::plans
