#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/engine/run_state.h"
#include "harness/scenario/scenario.h"
#include "reports/run_result.h"

namespace teeharness::engine {

// What a phase measured, for thresholds: merged worker metrics plus the workload's counters.
struct PhaseMeasurements {
  std::string name;
  WorkerMetrics metrics;
  reports::LatencyHistogram schedule_lag;
  uint64_t scheduled = 0;
  uint64_t dropped = 0;
  uint64_t check_passed = 0;
  uint64_t check_failed = 0;
};

// Evaluates every threshold over the whole run or its phase scope, from the same histograms and
// counters the reports show. Thread-safe (pure).
std::vector<reports::ThresholdResult> EvaluateThresholds(
    const std::vector<scenario::Threshold>& thresholds,
    const std::vector<PhaseMeasurements>& phases);

}  // namespace teeharness::engine
