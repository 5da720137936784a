// fuzz_plan_yaml: the input as a plan file (plans::parse_plan, as POST /api/v1/plans and
// `liandong plan validate` read it). It must answer diagnostics that each name a message, or a plan
// that survives its JSON form unchanged and whose activation functions keep their promises (every
// task of a level in task_order once; a step between two levels adds exactly what the new level
// has and the old lacked); never a crash, a hang or a yaml-cpp exception let out.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "plans/activation.h"
#include "plans/parse.h"
#include "plans/plan_json.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_plan_yaml: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace liandong::plans;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Parsed parsed = parse_plan(text, "fuzz.yaml");
  for (const auto& d : parsed.diagnostics)
    if (d.message.empty() || d.text().empty()) fail("a diagnostic without a message");
  if (!parsed.ok()) {
    if (parsed.errors() == 0) fail("no plan and no error");
    return 0;
  }
  if (parsed.errors() != 0) fail("a plan with errors");
  const Plan& plan = *parsed.plan;
  auto back = plan_from_json(to_json(plan));
  if (!back) fail("the JSON form of a valid plan does not read back");
  if (!(*back == plan)) fail("the JSON form of a valid plan reads back different");
  for (const auto& level : plan.levels) {
    auto order = task_order(level);
    std::set<std::string> keys(order.begin(), order.end());
    if (order.size() != level.tasks.size() || keys.size() != order.size()) fail("task_order lost or repeated a task");
    for (const auto& from : plan.levels) {
      Step s = step(plan, from.level, level.level);
      std::set<std::string> added;
      for (const auto* t : s.add_tasks) added.insert(t->key);
      for (const auto& t : level.tasks) {
        bool in_from = false;
        for (const auto& f : from.tasks) in_from = in_from || f.key == t.key;
        if (in_from == (added.count(t.key) == 1)) fail("a step added a task the old level had, or missed a new one");
      }
    }
  }
  return 0;
}
