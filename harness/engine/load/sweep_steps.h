#pragma once

#include <string>
#include <vector>

#include "harness/engine/phase_readout.h"
#include "harness/scenario/scenario.h"
#include "reports/run_result.h"

namespace teeharness::engine {

// The rules of a sweep (README "Sweeps"): when a step ends it early, when a step met the SLO, and
// which step is the capacity. Pure functions, thread-safe.

// A step met the SLO when at least this fraction of its arrivals (started + dropped) completed
// meeting it: failed iterations, dropped arrivals and SLO misses all count against it.
inline constexpr double kSweepGoodFraction = 0.9;

// The stop_when expressions that hold over `step` (one step's measurements), joined with "; " as
// "errors rate>0.05 (observed 0.31)"; empty when none does. An expression without data (no chats,
// no SLO) does not hold: it cannot say the step broke anything.
std::string StopWhenHolds(const std::vector<scenario::Threshold>& stop_when,
                          const PhaseMeasurements& step);

// The row of a finished step: its load, what it achieved and whether it met the SLO (has_slo,
// ran to its end, good_fraction >= kSweepGoodFraction).
reports::SweepStepResult StepRow(const reports::PhaseResult& phase, const scenario::SweepStep& step,
                                 double offered);

// Sets `sweep.capacity`: the highest step such that it and every step below it met the SLO and
// none of them tripped stop_when (a noisy step above the knee that happens to pass does not raise
// it). None, with capacity_note, when there is no SLO or the first step already missed.
void DecideCapacity(reports::SweepResult& sweep);

}  // namespace teeharness::engine
