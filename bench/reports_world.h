// bench/run reports: the generated history — deterministic incident facts over three years in the
// counties of Zhaoqing (4412xx) and Foshan (4406xx), with the shared categories and the default
// types of src/taxonomy/default_types.yaml. See bench/README.md "reports" for the mix.
#pragma once

#include <cstdint>
#include <vector>

#include "stats/fact.h"

namespace liandong::bench {

// 2023-12-01T00:00+08:00 … 2026-12-01T00:00+08:00, the span the facts are opened in.
constexpr int64_t kHistoryBeginMs = 1'701'360'000'000;
constexpr int64_t kHistoryEndMs = 1'796'054'400'000;

std::vector<stats::Fact> generate_facts(size_t n, uint64_t seed);

}  // namespace liandong::bench
