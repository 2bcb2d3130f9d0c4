#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/engine/phase_readout.h"
#include "harness/scenario/scenario.h"
#include "reports/run_result.h"

namespace teeharness::engine {

// Evaluates every threshold over the whole run or its phase scope, from the measurements read back
// from the metrics registry (the same numbers the reports and /metrics show). Thread-safe (pure).
std::vector<reports::ThresholdResult> EvaluateThresholds(
    const std::vector<scenario::Threshold>& thresholds,
    const std::vector<PhaseMeasurements>& phases);

}  // namespace teeharness::engine
