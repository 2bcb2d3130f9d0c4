#include "harness/engine/load/thresholds.h"

#include <gtest/gtest.h>

#include "harness/engine/flows/flows.h"
#include "harness/engine/phase_readout.h"
#include "reports/metrics_registry.h"
#include "reports/run_metrics.h"

namespace teeharness::engine {
namespace {

scenario::Threshold Parse(const std::string& metric, const std::string& expression,
                          const std::string& phase = "") {
  Result<scenario::Threshold> t = scenario::ParseThresholdExpression(expression);
  EXPECT_TRUE(t.ok()) << expression;
  scenario::Threshold threshold = *t;
  threshold.metric = metric;
  threshold.phase = phase;
  threshold.key = phase.empty() ? metric : metric + "{phase:" + phase + "}";
  threshold.expression = expression;
  return threshold;
}

// Thresholds see exactly what was recorded into the registry, phase by phase.
TEST(Thresholds, ReadTheRegistryThroughThePhaseReadout) {
  reports::MetricsRegistry registry;
  reports::RunMetrics metrics(registry);
  for (int i = 1; i <= 100; ++i) {
    metrics.request_duration->Histogram({"s", "warm", "chat"})->Observe(i * 0.001);  // 1..100 ms
    metrics.request_duration->Histogram({"s", "ramp", "chat"})->Observe(i * 0.010);  // 10 ms..1 s
  }
  metrics.requests->Counter({"s", "warm", "chat", "200"})->Add(100);
  metrics.requests->Counter({"s", "ramp", "chat", "200"})->Add(97);
  metrics.requests->Counter({"s", "ramp", "chat", "connect_refused"})->Add(3);
  metrics.errors->Counter({"s", "ramp", "connect_refused"})->Add(3);
  metrics.signature_retries->Counter({"s", "ramp"})->Add(20);
  metrics.arrivals->Counter({"s", "ramp"})->Add(110);
  metrics.dropped->Counter({"s", "ramp"})->Add(10);
  metrics.iterations->Counter({"s", "ramp", "succeeded"})->Add(97);
  metrics.iterations->Counter({"s", "ramp", "connect_refused"})->Add(3);
  metrics.checks->Counter({"s", "ramp", "SIG-RECOVER", "fail"})->Add(2);
  metrics.checks->Counter({"s", "ramp", "SIG-RECOVER", "pass"})->Add(95);
  // Another scenario's series in the same registry are not this run's.
  metrics.requests->Counter({"other", "ramp", "chat", "200"})->Add(1000);

  const std::vector<PhaseMeasurements> phases = {ReadPhase(metrics, "s", "warm"),
                                                 ReadPhase(metrics, "s", "ramp")};
  EXPECT_EQ(phases[1].requests, 100u);
  EXPECT_EQ(phases[1].succeeded(), 97u);
  EXPECT_EQ(phases[1].failed(), 3u);
  EXPECT_EQ(phases[1].arrivals, 110u);
  EXPECT_EQ(phases[1].check_failed, 2u);
  EXPECT_EQ(phases[1].retries, 20u);  // apart from errors
  EXPECT_EQ(phases[1].errors, (std::map<std::string, uint64_t>{{"connect_refused", 3}}));
  EXPECT_EQ(phases[0].retries, 0u);

  const std::vector<reports::ThresholdResult> results = EvaluateThresholds(
      {Parse("chat_seconds", "p(99)<0.101", "warm"), Parse("chat_seconds", "p(99)<0.5", "ramp"),
       Parse("chat_seconds", "count==200"), Parse("errors", "rate<0.05"),
       Parse("dropped", "rate<0.05", "ramp"), Parse("check_failures", "count==0"),
       Parse("verify_seconds", "p(99)<1"), Parse("retries", "rate<0.1", "ramp"),
       Parse("retries", "count==20")},
      phases);
  ASSERT_EQ(results.size(), 9u);
  EXPECT_TRUE(results[0].passed) << results[0].observed;  // warm p99 ~ 99 ms
  EXPECT_NEAR(results[0].observed, 0.099, 0.099 / 128);
  EXPECT_FALSE(results[1].passed);  // ramp p99 ~ 990 ms
  EXPECT_NEAR(results[1].observed, 0.99, 0.99 / 128);
  EXPECT_EQ(results[2].observed, 200);
  EXPECT_NEAR(results[3].observed, 3.0 / 200, 1e-12);
  EXPECT_NEAR(results[4].observed, 10.0 / 110, 1e-12);
  EXPECT_FALSE(results[4].passed);
  EXPECT_EQ(results[5].observed, 2);
  EXPECT_FALSE(results[6].has_data);  // nothing verified: a latency bound cannot pass
  EXPECT_FALSE(results[6].passed);
  EXPECT_NEAR(results[7].observed, 20.0 / 100, 1e-12);  // a fraction of the phase's requests
  EXPECT_FALSE(results[7].passed);
  EXPECT_TRUE(results[8].passed) << results[8].observed;
}

}  // namespace
}  // namespace teeharness::engine

namespace teeharness::engine {
namespace {

// Token figures: tpot from its histogram, token counts, and output tokens per second over the
// phases' time.
TEST(Thresholds, TokenMetrics) {
  reports::MetricsRegistry registry;
  reports::RunMetrics metrics(registry);
  for (int i = 1; i <= 100; ++i) metrics.tpot->Histogram({"s", "load"})->Observe(i * 0.0001);
  metrics.tokens->Counter({"s", "load", "prompt"})->Add(5000);
  metrics.tokens->Counter({"s", "load", "completion"})->Add(2000);
  metrics.estimated_tokens->Counter({"s", "load"})->Add(500);
  metrics.request_duration->Histogram({"s", "load", "chat"})->Observe(0.1);  // it sent chats
  metrics.tokens->Counter({"s", "attest", "prompt"});  // a phase without chats: not in the rates
  PhaseMeasurements load = ReadPhase(metrics, "s", "load");
  PhaseMeasurements attest = ReadPhase(metrics, "s", "attest");
  attest.seconds = 100;
  EXPECT_EQ(load.prompt_tokens, 5000u);
  EXPECT_EQ(load.completion_tokens, 2000u);
  EXPECT_EQ(load.estimated_tokens, 500u);
  ASSERT_TRUE(load.latency.count("tpot"));
  load.seconds = 4;
  const std::vector<reports::ThresholdResult> results = EvaluateThresholds(
      {Parse("time_per_output_token_seconds", "p(95)<0.02"),
       Parse("output_tokens_per_second", "avg>400"), Parse("output_tokens_per_second", "avg>600"),
       Parse("completion_tokens", "count>=2000"), Parse("prompt_tokens", "rate>1000")},
      {load, attest});
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].passed);
  EXPECT_NEAR(results[0].observed, 0.0095, 0.001);
  EXPECT_TRUE(results[1].passed);
  EXPECT_DOUBLE_EQ(results[1].observed, 500);  // 2000 tokens in 4 s
  EXPECT_FALSE(results[2].passed);
  EXPECT_TRUE(results[3].passed);
  EXPECT_TRUE(results[4].passed);  // 1250 prompt tokens a second
  EXPECT_DOUBLE_EQ(results[4].observed, 1250);
  // A phase with no time has no rate to judge: it fails rather than passes.
  load.seconds = 0;
  EXPECT_FALSE(
      EvaluateThresholds({Parse("output_tokens_per_second", "avg>0")}, {load})[0].has_data);
}

// Goodput counts the chats that met the SLO per second of the phases that have one; verified
// goodput only those whose checks passed too.
TEST(Thresholds, GoodputAndVerifiedGoodput) {
  reports::MetricsRegistry registry;
  reports::RunMetrics metrics(registry);
  metrics.slo->Counter({"s", "load", "met_verified"})->Add(80);
  metrics.slo->Counter({"s", "load", "met_unverified"})->Add(20);
  metrics.slo->Counter({"s", "load", "missed"})->Add(50);
  PhaseMeasurements load = ReadPhase(metrics, "s", "load");
  EXPECT_EQ(load.slo_met_verified, 80u);
  EXPECT_EQ(load.slo_met_unverified, 20u);
  EXPECT_EQ(load.slo_missed, 50u);
  load.seconds = 10;
  load.has_slo = true;
  PhaseMeasurements other;  // no SLO: not part of any goodput
  other.name = "warm";
  other.seconds = 90;
  const auto results =
      EvaluateThresholds({Parse("goodput", "avg>=10"), Parse("verified_goodput", "avg>=10"),
                          Parse("verified_goodput", "p(50)>7.9")},
                         {load, other});
  EXPECT_DOUBLE_EQ(results[0].observed, 10);
  EXPECT_TRUE(results[0].passed);
  EXPECT_DOUBLE_EQ(results[1].observed, 8);
  EXPECT_FALSE(results[1].passed);
  EXPECT_TRUE(results[2].passed);  // one value whatever the aggregate
  // No phase with an SLO: no data, so the threshold fails.
  EXPECT_FALSE(EvaluateThresholds({Parse("goodput", "avg>=0")}, {other})[0].has_data);
}

TEST(Slo, EveryBoundGivenMustHold) {
  using std::chrono::milliseconds;
  scenario::SloSpec slo;
  EXPECT_TRUE(MeetsSlo(slo, std::nullopt, std::nullopt, 99));  // no bounds
  slo.ttft = milliseconds(500);
  slo.tpot = milliseconds(50);
  slo.e2e = milliseconds(2000);
  EXPECT_TRUE(MeetsSlo(slo, 0.5, 0.05, 2.0));  // at the bounds
  EXPECT_FALSE(MeetsSlo(slo, 0.51, 0.01, 1.0));
  EXPECT_FALSE(MeetsSlo(slo, 0.1, 0.051, 1.0));
  EXPECT_FALSE(MeetsSlo(slo, 0.1, 0.01, 2.1));
  EXPECT_FALSE(MeetsSlo(slo, std::nullopt, 0.01, 1.0));  // no first token: TTFT not shown
  EXPECT_TRUE(MeetsSlo(slo, 0.1, std::nullopt, 1.0));    // one token: no TPOT to exceed
}

}  // namespace
}  // namespace teeharness::engine
