#include "plans/plan.h"

namespace liandong::plans {

const LevelSpec* Plan::find_level(Level level) const {
  for (const LevelSpec& l : levels)
    if (l.level == level) return &l;
  return nullptr;
}

}  // namespace liandong::plans
