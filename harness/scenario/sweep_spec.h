#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <vector>

#include "harness/scenario/abort_spec.h"
#include "harness/scenario/scenario.h"

namespace teeharness::scenario {

// A `sweep` phase as written (README "Sweeps"): the loads of its steps, how long each runs and
// when to stop early. Value type.
struct SweepPlan {
  bool over_rate = true;      // false: over concurrency (closed model)
  std::vector<double> loads;  // per step, ascending: arrivals/s, or virtual users
  Duration step_duration{0};
  std::vector<Threshold> stop_when;  // unscoped: each is evaluated over one step
};

// The loads of the {from, to, steps, geometric} form: `steps` values from `from` to `to`, evenly
// spaced or (geometric) in a constant ratio. Concurrencies are rounded to whole users and repeats
// dropped. Errors name the field.
Result<std::vector<double>> SweepLoads(double from, double to, uint64_t steps, bool geometric,
                                       bool over_rate);

// Reads the sweep, step_duration and stop_when of the phase object `phase` at `pointer`; reports
// each problem (naming the field) through `problem` and returns nullopt then. The phase must not
// give a load of its own (rate, arrival_rate, stages, concurrency, iterations, duration).
std::optional<SweepPlan> ReadSweepPlan(const rapidjson::Value& phase, const std::string& pointer,
                                       const AbortProblemFn& problem);

// The steps of a sweep: one ordinary phase per load, named BASE/step-N, each a copy of `base` (its
// flow, slo, abort rules, max_in_flight, poisson) with a constant rate for step_duration (over
// rate) or that many users for step_duration (over concurrency), and its SweepStep set.
std::vector<PhaseSpec> ExpandSweep(const PhaseSpec& base, const SweepPlan& plan);

}  // namespace teeharness::scenario
