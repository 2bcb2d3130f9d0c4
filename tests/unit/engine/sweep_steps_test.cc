#include "harness/engine/load/sweep_steps.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace teeharness::engine {
namespace {

scenario::Threshold Parsed(const std::string& metric, const std::string& expression) {
  scenario::Threshold t = *scenario::ParseThresholdExpression(expression);
  t.metric = metric;
  t.key = metric;
  return t;
}

PhaseMeasurements StepWithErrors(uint64_t requests, uint64_t errors) {
  PhaseMeasurements m;
  m.name = "knee/step-2";
  m.requests = requests;
  if (errors > 0) m.errors["http_503"] = errors;
  m.seconds = 2;
  return m;
}

TEST(StopWhen, HoldsOnlyWhenAnExpressionHoldsOverTheStep) {
  const std::vector<scenario::Threshold> stop = {Parsed("errors", "rate>0.05")};
  EXPECT_EQ(StopWhenHolds(stop, StepWithErrors(100, 5)), "");
  EXPECT_EQ(StopWhenHolds(stop, StepWithErrors(100, 6)), "errors rate>0.05 (observed 0.06)");
  EXPECT_EQ(StopWhenHolds({}, StepWithErrors(100, 100)), "");
}

TEST(StopWhen, ALatencyBoundWithoutObservationsDoesNotStop) {
  const std::vector<scenario::Threshold> stop = {Parsed("time_to_first_token_seconds", "p(95)>2")};
  EXPECT_EQ(StopWhenHolds(stop, StepWithErrors(10, 0)), "");
  PhaseMeasurements slow = StepWithErrors(10, 0);
  for (int i = 0; i < 10; ++i) slow.latency["ttft"].RecordSeconds(3.0);
  EXPECT_NE(StopWhenHolds(stop, slow).find("time_to_first_token_seconds p(95)>2 (observed 3"),
            std::string::npos);
}

reports::PhaseResult Step(uint64_t arrivals, uint64_t met, uint64_t missed) {
  reports::PhaseResult p;
  p.name = "knee/step-1";
  p.arrivals = arrivals;
  p.achieved_rate = arrivals / 2.0;
  p.slo.defined = true;
  p.slo.met_verified = met;
  p.slo.missed = missed;
  p.goodput = met / 2.0;
  p.verified_goodput = met / 2.0;
  p.latency["ttft"] = {met + missed, 0.1, 0.09, 0.2, 0.25, 0.3, 0.4};
  p.errors["http_503"] = arrivals - met - missed;
  return p;
}

TEST(StepRow, CarriesTheFiguresAndJudgesTheSloOnArrivals) {
  const scenario::SweepStep step{"knee", true, 2, 5, {}};
  reports::SweepStepResult row = StepRow(Step(100, 90, 10), step, 50);
  EXPECT_EQ(row.step, 2u);
  EXPECT_EQ(row.offered, 50);
  EXPECT_DOUBLE_EQ(row.goodput, 45);
  EXPECT_DOUBLE_EQ(row.good_fraction, 0.9);
  EXPECT_DOUBLE_EQ(row.ttft_p50, 0.09);
  EXPECT_DOUBLE_EQ(row.ttft_p95, 0.25);
  EXPECT_EQ(row.tpot_p50, -1);  // no observation
  EXPECT_TRUE(row.met_slo);     // exactly 90%
  // Iterations that failed count against the step like SLO misses: 89 of 100 is not enough.
  row = StepRow(Step(100, 89, 0), step, 50);
  EXPECT_EQ(row.errors, 11u);
  EXPECT_FALSE(row.met_slo);
  // An aborted step proves nothing.
  reports::PhaseResult aborted = Step(100, 100, 0);
  aborted.aborted = true;
  EXPECT_FALSE(StepRow(aborted, step, 50).met_slo);
  reports::PhaseResult no_slo = Step(100, 100, 0);
  no_slo.slo = {};
  EXPECT_FALSE(StepRow(no_slo, step, 50).met_slo);
}

reports::SweepResult Sweep(const std::vector<bool>& met, size_t stopped_at = 0) {
  reports::SweepResult sweep;
  for (size_t i = 0; i < met.size(); ++i) {
    reports::SweepStepResult row;
    row.step = i + 1;
    row.offered = 10.0 * (i + 1);
    row.has_slo = true;
    row.met_slo = met[i];
    row.stopped = i + 1 == stopped_at;
    sweep.steps.push_back(row);
  }
  return sweep;
}

TEST(Capacity, HighestStepWithEveryStepBelowWithinTheSlo) {
  reports::SweepResult sweep = Sweep({true, true, true, false, false});
  DecideCapacity(sweep);
  ASSERT_TRUE(sweep.capacity.has_value());
  EXPECT_EQ(sweep.steps[*sweep.capacity].offered, 30);
  // A step above the knee that happens to pass does not raise it.
  sweep = Sweep({true, false, true});
  DecideCapacity(sweep);
  EXPECT_EQ(sweep.capacity, 0u);
  sweep = Sweep({true, true, true});
  DecideCapacity(sweep);
  EXPECT_EQ(sweep.capacity, 2u);
}

TEST(Capacity, AStepThatTrippedStopWhenIsNotWithinIt) {
  reports::SweepResult sweep = Sweep({true, true, true}, 3);
  DecideCapacity(sweep);
  EXPECT_EQ(sweep.capacity, 1u);
  sweep = Sweep({true}, 1);
  DecideCapacity(sweep);
  EXPECT_FALSE(sweep.capacity.has_value());
  EXPECT_EQ(sweep.capacity_note, "stop_when held at the first step");
}

TEST(Capacity, NoneWithoutAnSloOrWhenTheFirstStepMissed) {
  reports::SweepResult sweep = Sweep({false, false});
  DecideCapacity(sweep);
  EXPECT_FALSE(sweep.capacity.has_value());
  EXPECT_EQ(sweep.capacity_note, "the first step already missed the slo");
  sweep = Sweep({true, true});
  for (reports::SweepStepResult& row : sweep.steps) row.has_slo = false;
  DecideCapacity(sweep);
  EXPECT_FALSE(sweep.capacity.has_value());
  EXPECT_NE(sweep.capacity_note.find("no slo"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::engine
