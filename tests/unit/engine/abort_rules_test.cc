// The abort evaluator with time as a parameter: every rule trips exactly when it should, and not a
// moment before (README "Abort rules").
#include "harness/engine/load/abort_rules.h"

#include <gtest/gtest.h>

namespace teeharness::engine {
namespace {

using std::chrono::seconds;
using Rules = scenario::AbortRules;

AbortView At(double phase_seconds, uint64_t consecutive = 0,
             std::optional<double> last_success = std::nullopt,
             const PhaseMeasurements* measurements = nullptr) {
  return {phase_seconds, consecutive, last_success, measurements};
}

// A phase so far: `requests` requests of which `errors` failed (kind timeout).
PhaseMeasurements Phase(uint64_t requests, uint64_t errors) {
  PhaseMeasurements m;
  m.name = "p";
  m.requests = requests;
  if (errors > 0) m.errors["timeout"] = errors;
  return m;
}

TEST(AbortRules, NoRulesNeverTrip) {
  const PhaseMeasurements all_failed = Phase(100, 100);
  EXPECT_FALSE(EvaluateAbort(Rules{}, At(1e6, 1000000, std::nullopt, &all_failed)));
  EXPECT_FALSE(Rules{}.any());
}

TEST(AbortRules, ConsecutiveFailuresTripAtTheNthInARow) {
  Rules rules;
  rules.consecutive_failures = 10;
  EXPECT_FALSE(EvaluateAbort(rules, At(0.5, 9)));
  const std::optional<AbortTrip> trip = EvaluateAbort(rules, At(0.5, 10));
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->kind, "consecutive_failures");
  EXPECT_EQ(trip->condition, "consecutive_failures: 10");
  EXPECT_EQ(trip->observed, 10);
  EXPECT_EQ(trip->at_seconds, 0.5);
  EXPECT_EQ(trip->reason, "10 iterations in a row failed");
}

// A dribbling server never fails fast: nothing completes, and the clock runs from the phase start.
TEST(AbortRules, NoSuccessForCountsFromThePhaseStartWhenNothingCompleted) {
  Rules rules;
  rules.no_success_for = seconds(8);
  rules.no_success_for_text = "request_timeout+5s";
  EXPECT_FALSE(EvaluateAbort(rules, At(7.99)));
  const std::optional<AbortTrip> trip = EvaluateAbort(rules, At(8.0));
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->kind, "no_success_for");
  EXPECT_EQ(trip->condition, "no_success_for: request_timeout+5s = 8s");
  EXPECT_DOUBLE_EQ(trip->observed, 8.0);
  EXPECT_EQ(trip->reason, "no iteration succeeded in the phase's first 8.0 s");
}

TEST(AbortRules, NoSuccessForCountsFromTheLatestSuccess) {
  Rules rules;
  rules.no_success_for = seconds(8);
  EXPECT_FALSE(EvaluateAbort(rules, At(12.0, 0, 5.0)));
  EXPECT_FALSE(EvaluateAbort(rules, At(12.99, 0, 5.0)));
  const std::optional<AbortTrip> trip = EvaluateAbort(rules, At(13.0, 0, 5.0));
  ASSERT_TRUE(trip);
  EXPECT_DOUBLE_EQ(trip->observed, 8.0);
  EXPECT_EQ(trip->condition, "no_success_for: 8s");  // written as a plain duration: shown once
  EXPECT_EQ(trip->reason, "no iteration succeeded for 8.0 s (the last one at 5.0 s)");
}

TEST(AbortRules, ExpressionsWaitForAfter) {
  Rules rules;
  rules.expressions = {{"errors", "rate>0.5"}};
  rules.after = seconds(5);
  rules.after_text = "5s";
  const PhaseMeasurements failing = Phase(10, 9);
  EXPECT_FALSE(EvaluateAbort(rules, At(4.99, 0, std::nullopt, &failing)));
  const std::optional<AbortTrip> trip = EvaluateAbort(rules, At(5.0, 0, std::nullopt, &failing));
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->kind, "threshold");
  EXPECT_EQ(trip->condition, "errors: rate>0.5, after 5s");
  EXPECT_DOUBLE_EQ(trip->observed, 0.9);
  EXPECT_EQ(trip->reason, "errors rate>0.5 held (observed 0.9)");
  // Not read this time (between the once-a-second reads): nothing to judge.
  EXPECT_FALSE(EvaluateAbort(rules, At(6.0)));
}

TEST(AbortRules, ExpressionsTripOnlyWhenTheyHoldOverData) {
  Rules rules;
  rules.expressions = {{"errors", "rate>0.5"}};
  const PhaseMeasurements none = Phase(0, 0);
  const PhaseMeasurements half = Phase(10, 5);
  const PhaseMeasurements most = Phase(10, 6);
  EXPECT_FALSE(EvaluateAbort(rules, At(30, 0, std::nullopt, &none)));  // a rate of nothing
  EXPECT_FALSE(EvaluateAbort(rules, At(30, 0, std::nullopt, &half)));
  EXPECT_TRUE(EvaluateAbort(rules, At(30, 0, std::nullopt, &most)));
}

TEST(AbortRules, LatencyAndCountExpressionsReuseTheThresholdGrammar) {
  Rules rules;
  rules.expressions = {{"check_failures", "count>=3"}, {"chat_seconds", "p(95)>2"}};
  PhaseMeasurements m = Phase(100, 0);
  for (int i = 0; i < 100; ++i) m.latency["chat"].RecordSeconds(0.5);
  EXPECT_FALSE(EvaluateAbort(rules, At(10, 0, std::nullopt, &m)));
  m.check_failed = 3;
  std::optional<AbortTrip> trip = EvaluateAbort(rules, At(10, 0, std::nullopt, &m));
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->condition, "check_failures: count>=3");
  m.check_failed = 0;
  for (int i = 0; i < 100; ++i) m.latency["chat"].RecordSeconds(5);
  trip = EvaluateAbort(rules, At(10, 0, std::nullopt, &m));
  ASSERT_TRUE(trip);
  EXPECT_EQ(trip->condition, "chat_seconds: p(95)>2");
  EXPECT_NEAR(trip->observed, 5, 0.05);
}

TEST(AbortRules, TheFirstRuleInOrderIsTheOneReported) {
  Rules rules;
  rules.consecutive_failures = 3;
  rules.no_success_for = seconds(1);
  rules.expressions = {{"errors", "rate>0.5"}};
  const PhaseMeasurements failing = Phase(10, 10);
  EXPECT_EQ(EvaluateAbort(rules, At(2, 3, std::nullopt, &failing))->kind, "consecutive_failures");
  EXPECT_EQ(EvaluateAbort(rules, At(2, 2, std::nullopt, &failing))->kind, "no_success_for");
  EXPECT_EQ(EvaluateAbort(rules, At(2, 2, 1.5, &failing))->kind, "threshold");
}

}  // namespace
}  // namespace teeharness::engine
