// The checks of parse_level.h that need the whole plan.
#include <algorithm>
#include <map>
#include <set>

#include "core/yaml_support.h"
#include "plans/internal/parse_level.h"

namespace liandong::plans::internal {
namespace {

// Reported cycles per level at most; a hostile file could have very many.
constexpr int kMaxCyclesPerLevel = 20;

const Group* find_group(const std::vector<Group>& groups, std::string_view key) {
  for (const Group& g : groups)
    if (g.key == key) return &g;
  return nullptr;
}

std::string level_name(Level l) { return std::string(core::to_string(l)); }

void check_groups(Context& c, const std::vector<Group>& groups, const LevelRead& level) {
  std::vector<std::string> defined;
  for (const Group& g : groups)
    if (core::yaml::is_code(g.key)) defined.push_back(g.key);
  for (size_t i = 0; i < level.spec.groups.size(); ++i) {
    if (find_group(groups, level.spec.groups[i])) continue;
    c.error(level.groups[i].line, level.groups[i].path,
            "working group '" + level.spec.groups[i] + "' is not defined; " +
                (defined.empty() ? std::string("the plan defines none (see the top-level groups)")
                                 : "defined groups: " + joined(defined)));
  }
}

void check_owners(Context& c, const std::vector<Group>& groups, const LevelRead& level) {
  const LevelSpec& s = level.spec;
  if (s.lead.empty()) return;  // the lead is missing or malformed (reported): owners would be noise
  std::vector<std::string> taking_part;
  auto add = [&](const std::string& kind) {
    if (!kind.empty() &&
        std::find(taking_part.begin(), taking_part.end(), kind) == taking_part.end())
      taking_part.push_back(kind);
  };
  add(s.lead);
  for (const Participant& p : s.participants) add(p.agency);
  for (const std::string& key : s.groups) {
    if (const Group* g = find_group(groups, key)) {
      add(g->lead);
      for (const std::string& m : g->members) add(m);
    }
  }
  const std::string name = level_name(s.level);
  for (size_t i = 0; i < s.tasks.size(); ++i) {
    const std::string& owner = s.tasks[i].owner;
    const Where& at = level.tasks[i].owner;
    if (owner.empty()) continue;  // missing or malformed: reported already
    if (find_group(groups, owner)) {
      if (std::find(s.groups.begin(), s.groups.end(), owner) == s.groups.end())
        c.error(at.line, at.path,
                "working group '" + owner + "' is not activated at level " + name + "; add it to " +
                    level.path + ".groups");
      continue;
    }
    if (std::find(taking_part.begin(), taking_part.end(), owner) != taking_part.end()) continue;
    std::string msg = "'" + owner + "' takes no part in level " + name +
                      ": an owner must be the level's lead, a participant, a member of a working "
                      "group the level activates, or such a group";
    std::vector<std::string> allowed = taking_part;
    for (const std::string& g : s.groups) allowed.push_back(g);
    if (!allowed.empty()) msg += " (here: " + joined(allowed) + ")";
    c.error(at.line, at.path, std::move(msg));
  }
}

using KeySet = std::set<std::string_view>;

KeySet task_keys(const LevelSpec& l) {
  KeySet out;
  for (const TaskSpec& t : l.tasks) out.insert(t.key);
  return out;
}

void check_after(Context& c, const std::vector<LevelRead>& levels, const std::vector<KeySet>& keys,
                 size_t li) {
  const LevelRead& level = levels[li];
  const LevelSpec& s = level.spec;
  for (size_t i = 0; i < s.tasks.size(); ++i) {
    const TaskSpec& t = s.tasks[i];
    for (size_t j = 0; j < t.depends_on.size(); ++j) {
      const std::string& dep = t.depends_on[j];
      if (keys[li].contains(dep)) continue;
      const Where& at = level.tasks[i].after[j];
      const LevelRead* other = nullptr;
      for (size_t k = 0; k < levels.size() && !other; ++k)
        if (k != li && keys[k].contains(dep)) other = &levels[k];
      if (other)
        c.error(at.line, at.path,
                "'" + dep + "' is a task of level " + level_name(other->spec.level) +
                    ", not of level " + level_name(s.level) +
                    "; a task may wait only for tasks of its own level");
      else
        c.error(at.line, at.path, "no task '" + dep + "' at level " + level_name(s.level));
    }
  }
}

// Depth-first search without recursion (a hostile file may chain thousands of tasks).
void check_cycles(Context& c, const LevelRead& level) {
  const auto& tasks = level.spec.tasks;
  const size_t n = tasks.size();
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < n; ++i) index.emplace(tasks[i].key, i);
  std::vector<std::vector<std::pair<size_t, size_t>>> edges(n);  // (task, after entry)
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < tasks[i].depends_on.size(); ++j)
      if (auto it = index.find(tasks[i].depends_on[j]); it != index.end())
        edges[i].push_back({it->second, j});

  enum : uint8_t { kNew, kOnPath, kDone };
  std::vector<uint8_t> state(n, kNew);
  std::vector<size_t> depth(n, 0);
  int reported = 0;
  for (size_t start = 0; start < n; ++start) {
    if (state[start] != kNew) continue;
    std::vector<std::pair<size_t, size_t>> stack{{start, 0}};  // (task, next edge)
    state[start] = kOnPath;
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      if (next == edges[v].size()) {
        state[v] = kDone;
        stack.pop_back();
        continue;
      }
      auto [w, entry] = edges[v][next++];
      if (state[w] == kNew) {
        state[w] = kOnPath;
        depth[w] = stack.size();
        stack.push_back({w, 0});
      } else if (state[w] == kOnPath && reported < kMaxCyclesPerLevel) {
        // v waits for w, which waits (through the path) for v.
        std::string cycle = tasks[v].key;
        for (size_t k = depth[w]; k < stack.size(); ++k) cycle += " → " + tasks[stack[k].first].key;
        const Where& at = level.tasks[v].after[entry];
        c.error(at.line, at.path, "dependency cycle " + cycle + " (each waits for the next)");
        ++reported;
      }
    }
  }
}

void check_same_task(Context& c, const std::vector<LevelRead>& levels) {
  std::map<std::string, std::pair<const LevelRead*, size_t>> first;
  for (const LevelRead& l : levels) {
    for (size_t i = 0; i < l.spec.tasks.size(); ++i) {
      const TaskSpec& t = l.spec.tasks[i];
      auto [it, inserted] = first.emplace(t.key, std::pair{&l, i});
      if (inserted) continue;
      const auto& [fl, fi] = it->second;
      const TaskSpec& ft = fl->spec.tasks[fi];
      if (ft.owner == t.owner || ft.owner.empty() || t.owner.empty()) continue;
      c.warning(l.tasks[i].owner.line, l.tasks[i].owner.path,
                "task '" + t.key + "' is owned by '" + t.owner + "' here but by '" + ft.owner +
                    "' at level " + level_name(fl->spec.level) + " (line " +
                    std::to_string(fl->tasks[fi].key.line) +
                    "); a task key names the same task at every level");
    }
  }
}

}  // namespace

void check_references(Context& c, const std::vector<Group>& groups,
                      const std::vector<LevelRead>& levels) {
  std::vector<KeySet> keys;
  for (const LevelRead& level : levels) keys.push_back(task_keys(level.spec));
  for (size_t i = 0; i < levels.size(); ++i) {
    check_groups(c, groups, levels[i]);
    check_owners(c, groups, levels[i]);
    check_after(c, levels, keys, i);
    check_cycles(c, levels[i]);
  }
  check_same_task(c, levels);
}

}  // namespace liandong::plans::internal
