#include "harness/engine/load/sweep_steps.h"

#include <cstdio>

#include "harness/engine/load/thresholds.h"

namespace teeharness::engine {

std::string StopWhenHolds(const std::vector<scenario::Threshold>& stop_when,
                          const PhaseMeasurements& step) {
  std::vector<scenario::Threshold> scoped = stop_when;
  for (scenario::Threshold& t : scoped) t.phase = step.name;
  std::string held;
  for (const reports::ThresholdResult& r : EvaluateThresholds(scoped, {step})) {
    // EvaluateThresholds' `passed` is "has data and the expression holds": here, the stop.
    if (!r.passed) continue;
    char observed[32];
    std::snprintf(observed, sizeof(observed), "%g", r.observed);
    held +=
        (held.empty() ? "" : "; ") + r.metric + " " + r.expression + " (observed " + observed + ")";
  }
  return held;
}

reports::SweepStepResult StepRow(const reports::PhaseResult& phase, const scenario::SweepStep& step,
                                 double offered) {
  reports::SweepStepResult row;
  row.phase = phase.name;
  row.step = step.index;
  row.offered = offered;
  row.achieved_rate = phase.achieved_rate;
  row.has_slo = phase.slo.defined;
  row.goodput = phase.goodput;
  row.verified_goodput = phase.verified_goodput;
  row.arrivals = phase.arrivals;
  const uint64_t met = phase.slo.met_verified + phase.slo.met_unverified;
  row.good_fraction = phase.arrivals > 0 ? static_cast<double>(met) / phase.arrivals : 0;
  if (const auto it = phase.latency.find("ttft"); it != phase.latency.end() && it->second.count) {
    row.ttft_p50 = it->second.p50;
    row.ttft_p95 = it->second.p95;
  }
  if (const auto it = phase.latency.find("tpot"); it != phase.latency.end() && it->second.count) {
    row.tpot_p50 = it->second.p50;
  }
  row.output_tokens_per_second = phase.output_tokens_per_second;
  for (const auto& [kind, count] : phase.errors) row.errors += count;
  row.met_slo = row.has_slo && !phase.interrupted && !phase.aborted && phase.arrivals > 0 &&
                row.good_fraction >= kSweepGoodFraction;
  return row;
}

void DecideCapacity(reports::SweepResult& sweep) {
  sweep.capacity.reset();
  sweep.capacity_note.clear();
  if (sweep.steps.empty()) {
    sweep.capacity_note = "no step ran";
    return;
  }
  if (!sweep.steps.front().has_slo) {
    sweep.capacity_note = "no slo: capacity is the highest step within one";
    return;
  }
  for (size_t i = 0; i < sweep.steps.size(); ++i) {
    const reports::SweepStepResult& row = sweep.steps[i];
    if (!row.met_slo || row.stopped) break;
    sweep.capacity = i;
  }
  if (!sweep.capacity) {
    const reports::SweepStepResult& first = sweep.steps.front();
    sweep.capacity_note = first.stopped ? "stop_when held at the first step"
                                        : "the first step already missed the slo";
  }
}

}  // namespace teeharness::engine
