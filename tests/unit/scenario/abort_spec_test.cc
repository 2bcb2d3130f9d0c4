// The `abort` sections of a scenario: durations that follow request_timeout, the scenario-level
// default with per-phase overrides, and errors with file:line:column.
#include "harness/scenario/abort_spec.h"

#include <gtest/gtest.h>

#include "harness/scenario/loader.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::scenario {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Loaded {
  Result<Scenario> scenario;
  std::vector<std::string> errors;
};

Loaded Load(const std::string& text, const std::vector<Override>& overrides = {}) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", text);
  LoadErrors errors;
  Result<Scenario> s = LoadScenario(path, overrides, &errors);
  for (std::string& message : errors.messages) {
    if (message.rfind(path, 0) == 0) message = message.substr(path.size());
  }
  return {std::move(s), errors.messages};
}

std::string WithAbort(const std::string& scenario_abort, const std::string& phase_abort = "",
                      const std::string& target = R"({ "request_timeout": "3s" })") {
  return R"({ "name": "s", "target": )" + target +
         (scenario_abort.empty() ? "" : ", \"abort\": " + scenario_abort) +
         R"(, "phases": [ { "name": "a", "flow": "attest", "iterations": 2)" +
         (phase_abort.empty() ? "" : ", \"abort\": " + phase_abort) +
         R"( }, { "name": "b", "flow": "attest", "iterations": 2 } ] })";
}

TEST(AbortDuration, PlainSumsAndMultiplesOfTheRequestTimeout) {
  const auto t = seconds(60);
  EXPECT_EQ(*ParseAbortDuration("30s", t), seconds(30));
  EXPECT_EQ(*ParseAbortDuration("request_timeout", t), seconds(60));
  EXPECT_EQ(*ParseAbortDuration("request_timeout+5s", t), seconds(65));
  EXPECT_EQ(*ParseAbortDuration(" request_timeout + 500ms ", t), milliseconds(60500));
  EXPECT_EQ(*ParseAbortDuration("2*request_timeout", t), seconds(120));
  EXPECT_EQ(*ParseAbortDuration("0.5 * request_timeout+1s", t), seconds(31));
  for (const char* bad : {"", "+", "5s+", "request_timeou", "x*request_timeout", "-1s",
                          "request_timeout*2", "2request_timeout"}) {
    EXPECT_FALSE(ParseAbortDuration(bad, t).ok()) << bad;
  }
}

TEST(AbortSpec, ScenarioLevelRulesApplyToEveryPhaseResolvedAgainstRequestTimeout) {
  const Loaded l = Load(WithAbort(R"({
      "errors": ["rate>0.5"], "consecutive_failures": 10,
      "no_success_for": "request_timeout+5s", "after": "request_timeout" })"));
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  for (const PhaseSpec& phase : l.scenario->phases) {
    const AbortRules& r = phase.abort;
    ASSERT_EQ(r.expressions.size(), 1u);
    EXPECT_EQ(r.expressions[0].metric, "errors");
    EXPECT_EQ(r.expressions[0].expression, "rate>0.5");
    EXPECT_EQ(r.consecutive_failures, 10u);
    EXPECT_EQ(r.no_success_for, seconds(8));
    EXPECT_EQ(r.no_success_for_text, "request_timeout+5s");
    EXPECT_EQ(r.after, seconds(3));
    EXPECT_EQ(DescribeAbortRules(r),
              "errors rate>0.5 after 3s; 10 consecutive failures; no success for 8s");
  }
}

TEST(AbortSpec, APhaseReplacesTheKeysItNamesRemovesNullsOrDropsAllWithFalse) {
  const std::string defaults = R"({ "errors": ["rate>0.5"], "consecutive_failures": 10 })";
  Loaded l = Load(WithAbort(defaults, R"({ "consecutive_failures": 3, "errors": null,
                                          "no_success_for": "1m" })"));
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  const AbortRules& a = l.scenario->phases[0].abort;
  EXPECT_TRUE(a.expressions.empty());
  EXPECT_EQ(a.consecutive_failures, 3u);
  EXPECT_EQ(a.no_success_for, seconds(60));
  const AbortRules& b = l.scenario->phases[1].abort;  // no override: the defaults
  EXPECT_EQ(b.expressions.size(), 1u);
  EXPECT_EQ(b.consecutive_failures, 10u);
  EXPECT_FALSE(b.no_success_for);

  l = Load(WithAbort(defaults, "false"));
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  EXPECT_FALSE(l.scenario->phases[0].abort.any());
  EXPECT_TRUE(l.scenario->phases[1].abort.any());

  // Without any `abort`, no rules; --set abort=false turns shipped defaults off.
  l = Load(WithAbort(""));
  ASSERT_TRUE(l.scenario.ok());
  EXPECT_FALSE(l.scenario->phases[0].abort.any());
  l = Load(WithAbort(defaults), {{"abort", "false"}});
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  EXPECT_FALSE(l.scenario->phases[1].abort.any());
  l = Load(WithAbort(defaults), {{"abort.consecutive_failures", "null"}});
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  EXPECT_FALSE(l.scenario->phases[1].abort.consecutive_failures);
  EXPECT_EQ(l.scenario->phases[1].abort.expressions.size(), 1u);
}

TEST(AbortSpec, ProblemsNameTheKeyAndItsPosition) {
  struct Case {
    std::string scenario_abort, phase_abort, message;
  };
  const Case cases[] = {
      {R"({ "latency": ["p(95)>1"] })", "", "abort/latency: unknown key \"latency\""},
      {R"({ "errors": ["rate>>0.5"] })", "", "abort/errors: 'rate>>0.5'"},
      {R"({ "errors": "rate>0.5" })", "", "abort/errors: must satisfy type"},
      {R"({ "no_success_for": "soon" })", "", "abort/no_success_for: expected a duration"},
      {R"({ "no_success_for": "0s" })", "", "abort/no_success_for: must be positive"},
      {R"({ "consecutive_failures": 0 })", "", "abort/consecutive_failures: must satisfy minimum"},
      {"true", "", "abort: give the rules as an object"},
      {"", R"({ "after": "later" })", "phases/0/abort/after: expected a duration"},
      {"", "true", "phases/0/abort: give the rules as an object"},
  };
  for (const Case& c : cases) {
    const Loaded l = Load(WithAbort(c.scenario_abort, c.phase_abort));
    ASSERT_FALSE(l.scenario.ok()) << c.message;
    ASSERT_EQ(l.errors.size(), 1u) << c.message << ": " << ::testing::PrintToString(l.errors);
    EXPECT_NE(l.errors[0].find(c.message), std::string::npos) << l.errors[0];
    EXPECT_EQ(l.errors[0].rfind(":", 0), 0u) << l.errors[0];  // ":LINE:COLUMN: ..."
  }
}

TEST(AbortSpec, ARetentionProbeCannotInheritANoSuccessForShorterThanItsWindow) {
  const std::string text = R"({ "name": "s", "expect": { "retention_seconds": 300 },
    "abort": { "no_success_for": "request_timeout+5s" },
    "phases": [ { "name": "r", "flow": "retention_probe" } ] })";
  Loaded l = Load(text);
  ASSERT_FALSE(l.scenario.ok());
  EXPECT_NE(l.errors[0].find("phases/0: abort.no_success_for (65s) is shorter than "
                             "expect.retention_seconds (5m)"),
            std::string::npos)
      << l.errors[0];
  l = Load(text, {{"phases.0.abort", R"({"no_success_for": null})"}});
  EXPECT_TRUE(l.scenario.ok()) << l.errors[0];
}

// The shipped conformance scenarios carry the rules the README promises, and they follow
// --set target.request_timeout.
TEST(AbortSpec, ShippedConformanceScenariosCarryDefaultsThatFollowTheRequestTimeout) {
  for (const char* name :
       {"conformance-phala.json", "conformance-near.json", "conformance-ionet.json"}) {
    LoadErrors errors;
    Result<Scenario> s = LoadScenario(testing::SourceDir() + "/scenarios/" + name,
                                      {{"target.request_timeout", "3s"}}, &errors);
    ASSERT_TRUE(s.ok()) << name << ": " << (errors.messages.empty() ? "" : errors.messages[0]);
    for (const PhaseSpec& phase : s->phases) {
      EXPECT_EQ(phase.abort.no_success_for, seconds(8)) << name << " " << phase.name;
      EXPECT_EQ(phase.abort.consecutive_failures, 10u);
      EXPECT_EQ(phase.abort.after, seconds(3));
      ASSERT_EQ(phase.abort.expressions.size(), 1u);
      EXPECT_EQ(phase.abort.expressions[0].expression, "rate>0.5");
    }
  }
}

}  // namespace
}  // namespace teeharness::scenario
