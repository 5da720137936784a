// The human text of a level change (Chinese), one place for every detector.
#pragma once

#include <string>

#include "monitoring/detectors.h"
#include "monitoring/rules.h"

namespace liandong::monitoring::internal {

// firing: why the detector justifies a level now; otherwise why it no longer does.
// Threshold: `score` is the signed multiple, `limit` S, `value` C.
std::string reason_zh(DetectorKind k, bool firing, const SeriesLabel& label, double value,
                      double score, double limit);

// "1.4" for 1.4, "1.43" for 1.4321, "12" for 12.0: two decimals at most, no trailing zeros.
std::string two_decimals(double v);

}  // namespace liandong::monitoring::internal
