#include "harness/scenario/sweep_spec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/scenario/loader.h"
#include "tests/support/files.h"

namespace teeharness::scenario {
namespace {

struct Loaded {
  Result<Scenario> scenario;
  std::vector<std::string> errors;
};

// A scenario with one sweep phase (its members given as JSON text) between two others.
Loaded LoadSweep(const std::string& members) {
  testing::TempDir dir;
  const std::string text = R"({"name": "s", "request": {"messages": [{"role": "user",
    "content": "hi"}], "stream": true}, "slo": {"ttft": "1s"},
    "phases": [{"name": "warm", "flow": "attest", "iterations": 1},
               {"name": "knee", "flow": "verified_chat", )" +
                           members + R"(},
               {"name": "after", "flow": "attest", "iterations": 1}]})";
  const std::string path = dir.Write("s.json", text);
  LoadErrors errors;
  Result<Scenario> s = LoadScenario(path, {}, &errors);
  for (std::string& message : errors.messages) {
    if (message.rfind(path, 0) == 0) message = message.substr(path.size());
  }
  return {std::move(s), errors.messages};
}

TEST(SweepLoads, LinearAndGeometricEndExactlyAtTo) {
  EXPECT_EQ(*SweepLoads(10, 50, 5, false, true), (std::vector<double>{10, 20, 30, 40, 50}));
  const std::vector<double> g = *SweepLoads(10, 160, 5, true, true);
  ASSERT_EQ(g.size(), 5u);
  for (size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(g[i], 10 << i, 1e-9) << i;
  EXPECT_EQ(g.back(), 160);
}

TEST(SweepLoads, ConcurrenciesAreWholeAndRepeatsDropped) {
  // 1, 1.41, 2, 2.83, 4 rounds to 1, 1, 2, 3, 4: the repeated 1 is one step.
  EXPECT_EQ(*SweepLoads(1, 4, 5, true, false), (std::vector<double>{1, 2, 3, 4}));
}

TEST(SweepLoads, BadRangesNameTheField) {
  EXPECT_EQ(SweepLoads(0, 10, 3, false, true).error(), "from: must be positive");
  EXPECT_EQ(SweepLoads(5, -1, 3, false, true).error(), "to: must be positive");
  EXPECT_EQ(SweepLoads(10, 10, 3, false, true).error(),
            "from: must be less than to (a sweep goes up)");
  EXPECT_EQ(SweepLoads(1, 10, 1, false, true).error(), "steps: at least 2 (from and to)");
  EXPECT_EQ(SweepLoads(1, 1e18, 3, false, false).error(), "to: at most 1000000 users");
}

TEST(SweepExpansion, RatesBecomeConsecutiveOpenSteps) {
  Loaded l = LoadSweep(R"("sweep": {"rates": [5, 10, 20]}, "step_duration": "3s",
                          "max_in_flight": 50, "poisson": true,
                          "stop_when": {"errors": ["rate>0.05"]})");
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  const std::vector<PhaseSpec>& phases = l.scenario->phases;
  ASSERT_EQ(phases.size(), 5u);
  EXPECT_EQ(phases[0].name, "warm");
  EXPECT_EQ(phases[4].name, "after");
  for (size_t i = 1; i <= 3; ++i) {
    const PhaseSpec& step = phases[i];
    EXPECT_EQ(step.name, "knee/step-" + std::to_string(i));
    EXPECT_EQ(step.flow, "verified_chat");
    ASSERT_TRUE(step.open());
    ASSERT_EQ(step.stages.size(), 1u);
    const double rate = 5 << (i - 1);
    EXPECT_EQ(step.stages[0].from, rate);
    EXPECT_EQ(step.stages[0].to, rate);
    EXPECT_EQ(step.stages[0].over, std::chrono::seconds(3));
    EXPECT_EQ(step.max_in_flight, 50u);
    EXPECT_TRUE(step.poisson);
    EXPECT_TRUE(step.slo.ttft.has_value());  // the scenario's slo reaches every step
    ASSERT_TRUE(step.sweep.has_value());
    EXPECT_EQ(step.sweep->sweep, "knee");
    EXPECT_TRUE(step.sweep->over_rate);
    EXPECT_EQ(step.sweep->index, i);
    EXPECT_EQ(step.sweep->count, 3u);
    ASSERT_EQ(step.sweep->stop_when.size(), 1u);
    EXPECT_EQ(step.sweep->stop_when[0].metric, "errors");
    EXPECT_EQ(step.sweep->stop_when[0].aggregate, Aggregate::kRate);
  }
  EXPECT_FALSE(phases[0].sweep.has_value());
}

TEST(SweepExpansion, ConcurrenciesBecomeClosedStepsOfTheStepDuration) {
  Loaded l = LoadSweep(R"("sweep": {"from": 2, "to": 8, "steps": 3, "geometric": true,
                          "over": "concurrency"}, "step_duration": "1s")");
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  const std::vector<PhaseSpec>& phases = l.scenario->phases;
  ASSERT_EQ(phases.size(), 5u);
  const unsigned users[] = {2, 4, 8};
  for (size_t i = 0; i < 3; ++i) {
    const PhaseSpec& step = phases[i + 1];
    EXPECT_FALSE(step.open());
    EXPECT_EQ(step.concurrency, users[i]);
    EXPECT_EQ(step.duration, std::chrono::seconds(1));
    EXPECT_FALSE(step.iterations.has_value());
    EXPECT_FALSE(step.sweep->over_rate);
  }
}

// Thresholds and abort rules see the steps: a {phase:} scope names a step, and the sweep
// phase's own abort rules (read by its index in the file) reach each of its steps.
TEST(SweepExpansion, ThresholdsScopeStepsAndAbortRulesReachThem) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", R"({"name": "s",
    "phases": [{"name": "knee", "flow": "verified_chat", "sweep": {"rates": [1, 2]},
                "step_duration": "1s", "abort": {"consecutive_failures": 3}},
               {"name": "after", "flow": "attest", "iterations": 1}],
    "thresholds": {"chat_seconds{phase:knee/step-2}": ["p(95)<1"]}})");
  LoadErrors errors;
  Result<Scenario> s = LoadScenario(path, {}, &errors);
  ASSERT_TRUE(s.ok()) << errors.messages[0];
  ASSERT_EQ(s->phases.size(), 3u);
  EXPECT_EQ(s->phases[0].abort.consecutive_failures, 3u);
  EXPECT_EQ(s->phases[1].abort.consecutive_failures, 3u);
  EXPECT_FALSE(s->phases[2].abort.consecutive_failures.has_value());
  EXPECT_EQ(s->thresholds[0].phase, "knee/step-2");
}

struct BadSweep {
  std::string members;
  std::string error;  // the start of the first message, after file:line:col:
};

void PrintTo(const BadSweep& c, std::ostream* os) { *os << c.members; }

class SweepConfigErrors : public ::testing::TestWithParam<BadSweep> {};

TEST_P(SweepConfigErrors, NameTheField) {
  Loaded l = LoadSweep(GetParam().members);
  ASSERT_FALSE(l.scenario.ok());
  ASSERT_FALSE(l.errors.empty());
  const std::string& message = l.errors[0];
  EXPECT_NE(message.find(GetParam().error), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Sweep, SweepConfigErrors,
    ::testing::Values(
        BadSweep{R"("sweep": {"rates": []}, "step_duration": "1s")",
                 "phases/1/sweep/rates: give at least one value"},
        BadSweep{R"("sweep": {"rates": [1], "concurrencies": [1]}, "step_duration": "1s")",
                 "phases/1/sweep: give only one of rates, concurrencies or from/to/steps"},
        BadSweep{R"("sweep": {}, "step_duration": "1s")",
                 "phases/1/sweep: needs one of rates, concurrencies or from/to/steps"},
        BadSweep{R"("sweep": {"from": 1, "to": 9, "steps": 1}, "step_duration": "1s")",
                 "phases/1/sweep/steps: at least 2"},
        BadSweep{R"("sweep": {"from": 9, "to": 9, "steps": 3}, "step_duration": "1s")",
                 "phases/1/sweep/from: must be less than to"},
        BadSweep{R"("sweep": {"from": 1, "to": 9}, "step_duration": "1s")",
                 "phases/1/sweep/steps: missing"},
        BadSweep{R"("sweep": {"rates": [5, 0]}, "step_duration": "1s")",
                 "phases/1/sweep/rates/1: must be a positive number"},
        BadSweep{R"("sweep": {"rates": [5, 4]}, "step_duration": "1s")",
                 "phases/1/sweep/rates/1: must be greater than the value before it"},
        BadSweep{R"("sweep": {"concurrencies": [1.5]}, "step_duration": "1s")",
                 "phases/1/sweep/concurrencies/0: a concurrency is a whole number"},
        BadSweep{R"("sweep": {"rates": [1], "over": "rate"}, "step_duration": "1s")",
                 "phases/1/sweep/over: only with from/to/steps"},
        BadSweep{R"("sweep": {"rates": [1]}, "over": "rate", "step_duration": "1s")",
                 "phases/1/over: unknown key \"over\""},
        BadSweep{R"("sweep": {"rates": [1]})", "phases/1: a sweep needs \"step_duration\""},
        BadSweep{R"("sweep": {"rates": [1]}, "step_duration": "0s")",
                 "phases/1/step_duration: must be positive"},
        BadSweep{R"("sweep": {"rates": [1]}, "step_duration": "1s", "rate": 5)",
                 "phases/1/rate: a sweep sets each step's load itself"},
        BadSweep{R"("sweep": {"rates": [1]}, "step_duration": "1s",
                    "stop_when": {"ttft_seconds": ["p(95)>2"]})",
                 "phases/1/stop_when/ttft_seconds: unknown metric"},
        BadSweep{R"("sweep": {"rates": [1]}, "step_duration": "1s",
                    "stop_when": {"errors": ["rate"]})",
                 "phases/1/stop_when/errors: 'rate': no comparator"},
        BadSweep{R"("iterations": 1, "step_duration": "1s")",
                 "phases/1/step_duration: only in a sweep phase"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

TEST(SweepConfig, AStepNameTakenByAnotherPhaseIsAnError) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", R"({"name": "s",
    "phases": [{"name": "knee", "flow": "attest", "sweep": {"rates": [1, 2]},
                "step_duration": "1s"},
               {"name": "knee/step-2", "flow": "attest", "iterations": 1}]})");
  LoadErrors errors;
  ASSERT_FALSE(LoadScenario(path, {}, &errors).ok());
  EXPECT_NE(errors.messages[0].find("phases/0/name: the sweep's step \"knee/step-2\""),
            std::string::npos)
      << errors.messages[0];
}

}  // namespace
}  // namespace teeharness::scenario
