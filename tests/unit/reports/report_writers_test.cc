#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>

#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/terminal_report.h"

namespace teeharness::reports {
namespace {

RunResult SampleRun() {
  RunResult run;
  run.tool_version = "0.1.0";
  run.libcurl_version = "7.88.1";
  run.scenario_name = "smoke";
  run.scenario_sha256 = std::string(64, 'a');
  run.target_url = "http://127.0.0.1:1234";
  run.dialect = "phala";
  run.builtin_mock = true;
  PhaseResult phase;
  phase.name = "conformance";
  phase.kind = "verified_chat";
  phase.duration_seconds = 2.5;
  phase.requests = 60;
  phase.iterations = 20;
  phase.achieved_rate = 8;
  phase.latency["chat"] = LatencySummary{20, 0.01, 0.009, 0.012, 0.013, 0.02, 0.03};
  phase.errors["http_500"] = 2;
  phase.retries = 7;
  phase.checks.push_back({"SIG-TEXT", 18, 2, {"chat <a&b> \"x\"", "second"}});
  phase.checks.push_back({"SIG-RECOVER", 20, 0, {}});
  run.phases.push_back(phase);
  run.phases.push_back(phase);
  run.phases[1].name = "again";
  run.checks = MergeCheckTallies(run.phases, 3);
  run.thresholds.push_back({"chat_seconds", "p(95)<2", 0.013, true, true});
  run.thresholds.push_back({"check_failures", "count==0", 4, true, false});
  run.exit_code = 1;
  return run;
}

TEST(TokenFigures, InJsonAndTerminalWithTheEstimatedShare) {
  RunResult run = SampleRun();
  run.phases[0].tokens = {1200, 3400, 400};
  run.phases[0].output_tokens_per_second = 1360;
  run.phases[0].latency["tpot"] = LatencySummary{20, 0.002, 0.002, 0.003, 0.003, 0.004, 0.005};
  rapidjson::Document doc;
  doc.Parse(RenderJsonReport(run).c_str());
  const auto& phase = doc["phases"][0];
  EXPECT_EQ(phase["tokens"]["prompt"].GetUint64(), 1200u);
  EXPECT_EQ(phase["tokens"]["completion"].GetUint64(), 3400u);
  EXPECT_EQ(phase["tokens"]["estimated"].GetUint64(), 400u);
  EXPECT_DOUBLE_EQ(phase["output_tokens_per_second"].GetDouble(), 1360);
  EXPECT_DOUBLE_EQ(phase["latency_seconds"]["tpot"]["p90"].GetDouble(), 0.003);
  EXPECT_EQ(doc["phases"][1]["tokens"]["completion"].GetUint64(), 0u);
  const std::string text = RenderTerminalSummary(run);
  EXPECT_NE(text.find("tokens prompt 1200  completion 3400 (400 estimated from chunks: no usage)  "
                      "output 1360.0 tokens/s"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  tpot "), std::string::npos);
  // A phase without tokens (attest, say) has no token line.
  run.phases.resize(1);
  run.phases[0].tokens = {};
  EXPECT_EQ(RenderTerminalSummary(run).find("tokens prompt"), std::string::npos);
}

TEST(Goodput, InJsonAndTerminalOnlyForAPhaseWithAnSlo) {
  RunResult run = SampleRun();
  run.phases[0].slo = {true, 0.5, -1, 2, 80, 20, 50};
  run.phases[0].goodput = 10;
  run.phases[0].verified_goodput = 8;
  rapidjson::Document doc;
  doc.Parse(RenderJsonReport(run).c_str());
  const auto& phase = doc["phases"][0];
  EXPECT_DOUBLE_EQ(phase["slo"]["ttft"].GetDouble(), 0.5);
  EXPECT_TRUE(phase["slo"]["tpot"].IsNull());
  EXPECT_EQ(phase["slo"]["met_verified"].GetUint64(), 80u);
  EXPECT_EQ(phase["slo"]["missed"].GetUint64(), 50u);
  EXPECT_DOUBLE_EQ(phase["goodput"].GetDouble(), 10);
  EXPECT_DOUBLE_EQ(phase["verified_goodput"].GetDouble(), 8);
  EXPECT_TRUE(doc["phases"][1]["slo"].IsNull());
  EXPECT_TRUE(doc["phases"][1]["goodput"].IsNull());
  const std::string text = RenderTerminalSummary(run);
  EXPECT_NE(text.find("slo ttft<=0.5s e2e<=2s: met 100 of 150 (verified 80)  goodput 10.0/s  "
                      "verified goodput 8.0/s"),
            std::string::npos)
      << text;
}

TEST(MergeCheckTallies, SumsAndBoundsEvidence) {
  const RunResult run = SampleRun();
  ASSERT_EQ(run.checks.size(), 2u);
  EXPECT_EQ(run.checks[0].id, "SIG-TEXT");
  EXPECT_EQ(run.checks[0].passed, 36u);
  EXPECT_EQ(run.checks[0].failed, 4u);
  EXPECT_EQ(run.checks[0].evidence.size(), 3u);
  EXPECT_EQ(run.check_failures(), 4u);
}

TEST(JsonReport, ValidJsonWithTheDocumentedFields) {
  RunResult run = SampleRun();
  run.phases[0].latency["chat"].p99 = std::nan("");  // must not break the document
  const std::string text = RenderJsonReport(run);
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << text;
  EXPECT_EQ(doc["schema_version"].GetInt(), 2);
  EXPECT_STREQ(doc["tool"]["libcurl"].GetString(), "7.88.1");
  EXPECT_STREQ(doc["scenario"]["name"].GetString(), "smoke");
  EXPECT_EQ(doc["phases"].Size(), 2u);
  const auto& phase = doc["phases"][0];
  EXPECT_STREQ(phase["name"].GetString(), "conformance");
  EXPECT_EQ(phase["requests"].GetUint64(), 60u);
  EXPECT_DOUBLE_EQ(phase["rate"].GetDouble(), 8.0);
  EXPECT_EQ(phase["dropped"].GetUint64(), 0u);
  EXPECT_EQ(phase["retries"].GetUint64(), 7u);  // apart from errors and from the accounting
  EXPECT_EQ(phase["errors"].MemberCount(), 1u);
  EXPECT_FALSE(phase["accounting"].HasMember("retries"));
  EXPECT_TRUE(phase["latency_seconds"]["chat"]["p99"].IsNull());
  EXPECT_DOUBLE_EQ(phase["latency_seconds"]["chat"]["p95"].GetDouble(), 0.013);
  EXPECT_EQ(doc["checks"][0]["failed"].GetUint64(), 4u);
  EXPECT_STREQ(doc["checks"][0]["evidence"][0].GetString(), "chat <a&b> \"x\"");
  EXPECT_FALSE(doc["thresholds"][1]["passed"].GetBool());
  EXPECT_EQ(doc["exit_code"].GetInt(), 1);
}

TEST(JunitReport, OneTestcasePerCheckPerPhaseWithEscapedEvidence) {
  const std::string xml = RenderJunitReport(SampleRun());
  EXPECT_NE(xml.find("<testsuites name=\"smoke\" tests=\"6\" failures=\"3\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"smoke.conformance\" tests=\"2\" failures=\"1\""),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"SIG-TEXT\""), std::string::npos);
  EXPECT_NE(xml.find("chat &lt;a&amp;b&gt; &quot;x&quot;"), std::string::npos);
  EXPECT_EQ(xml.find("<a&b>"), std::string::npos);
  EXPECT_NE(xml.find("check_failures count==0"), std::string::npos);
}

TEST(XmlEscape, DropsControlCharacters) {
  EXPECT_EQ(XmlEscape(std::string("a\x01"
                                  "b\tc\0d",
                                  7)),
            "ab\tcd");
}

TEST(TerminalSummary, ShowsPhasesChecksThresholdsAndVerdict) {
  const std::string text = RenderTerminalSummary(SampleRun());
  EXPECT_NE(text.find("phase conformance"), std::string::npos) << text;
  EXPECT_NE(text.find("SIG-TEXT"), std::string::npos);
  EXPECT_NE(text.find("first: chat <a&b>"), std::string::npos);
  EXPECT_NE(text.find("BREACHED"), std::string::npos);
  EXPECT_NE(text.find("FAILED"), std::string::npos);
  EXPECT_NE(text.find("errors http_500"), std::string::npos);
  EXPECT_NE(text.find("retries signature_404"), std::string::npos);
  RunResult quiet = SampleRun();
  for (PhaseResult& phase : quiet.phases) phase.retries = 0;
  EXPECT_EQ(RenderTerminalSummary(quiet).find("retries"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::reports

namespace teeharness::reports {
namespace {

// A check that could not run is skipped in every output, never passed.
TEST(RequestsOut, JsonAndTerminalReportTheLinesAndTheDropped) {
  RunResult run = SampleRun();
  rapidjson::Document doc;
  doc.Parse(RenderJsonReport(run).c_str());
  EXPECT_TRUE(doc["requests_out"].IsNull());  // without --requests-out
  EXPECT_EQ(RenderTerminalSummary(run).find("requests-out"), std::string::npos);
  run.requests_out = RequestLogSummary{"/tmp/r.jsonl", 120, 3, false};
  doc.Parse(RenderJsonReport(run).c_str());
  ASSERT_TRUE(doc["requests_out"].IsObject());
  EXPECT_STREQ(doc["requests_out"]["path"].GetString(), "/tmp/r.jsonl");
  EXPECT_EQ(doc["requests_out"]["lines"].GetUint64(), 120u);
  EXPECT_EQ(doc["requests_out"]["dropped"].GetUint64(), 3u);
  EXPECT_FALSE(doc["requests_out"]["write_failed"].GetBool());
  EXPECT_NE(RenderTerminalSummary(run).find(
                "requests-out /tmp/r.jsonl: 120 lines, 3 DROPPED (the writer's queue was full)"),
            std::string::npos)
      << RenderTerminalSummary(run);
}

TEST(SkippedChecks, AreTheirOwnStateInJsonJunitAndTerminal) {
  RunResult run = SampleRun();
  CheckTally skipped{"QUOTE-TCB", 0, 0, {}, 3, "no collateral: TCB status not evaluated"};
  run.phases[0].checks.push_back(skipped);
  run.checks = MergeCheckTallies(run.phases, 3);
  rapidjson::Document doc;
  doc.Parse(RenderJsonReport(run).c_str());
  ASSERT_FALSE(doc.HasParseError());
  const auto& last = doc["checks"][doc["checks"].Size() - 1];
  EXPECT_STREQ(last["id"].GetString(), "QUOTE-TCB");
  EXPECT_EQ(last["passed"].GetUint64(), 0u);
  EXPECT_EQ(last["skipped"].GetUint64(), 3u);
  EXPECT_STREQ(last["skip_reason"].GetString(), "no collateral: TCB status not evaluated");
  EXPECT_EQ(doc["checks"][0]["skipped"].GetUint64(), 0u);
  const std::string xml = RenderJunitReport(run);
  EXPECT_NE(xml.find("<skipped message=\"no collateral: TCB status not evaluated\"/>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("skipped=\"1\""), std::string::npos) << xml;
  const std::string text = RenderTerminalSummary(run);
  EXPECT_NE(text.find("SKIPPED"), std::string::npos) << text;
  EXPECT_NE(text.find("skipped: no collateral"), std::string::npos) << text;
}

}  // namespace
}  // namespace teeharness::reports

namespace teeharness::reports {
namespace {

RunResult AbortedRun() {
  RunResult run = SampleRun();
  run.phases[1].aborted = true;
  run.aborted = true;
  run.abort = {"again",
               "no_success_for",
               "no_success_for: request_timeout+5s = 65s",
               65.0,
               65.0,
               "no iteration succeeded in the phase's first 65.0 s",
               5.0};
  return run;
}

// An aborted run says so in every report: which rule, in which phase, and why.
TEST(AbortedRun, JsonMarksTheRunAndThePhaseAndNamesTheRule) {
  rapidjson::Document doc;
  doc.Parse(RenderJsonReport(AbortedRun()).c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_TRUE(doc["aborted"].GetBool());
  EXPECT_FALSE(doc["interrupted"].GetBool());
  const auto& abort = doc["abort"];
  EXPECT_STREQ(abort["phase"].GetString(), "again");
  EXPECT_STREQ(abort["kind"].GetString(), "no_success_for");
  EXPECT_STREQ(abort["condition"].GetString(), "no_success_for: request_timeout+5s = 65s");
  EXPECT_EQ(abort["observed"].GetDouble(), 65.0);
  EXPECT_EQ(abort["at_seconds"].GetDouble(), 65.0);
  EXPECT_STREQ(abort["reason"].GetString(), "no iteration succeeded in the phase's first 65.0 s");
  EXPECT_EQ(abort["grace_seconds"].GetDouble(), 5.0);
  EXPECT_FALSE(doc["phases"][0]["aborted"].GetBool());
  EXPECT_TRUE(doc["phases"][1]["aborted"].GetBool());
  // Not aborted: the fields are there, false and null.
  doc.Parse(RenderJsonReport(SampleRun()).c_str());
  EXPECT_FALSE(doc["aborted"].GetBool());
  EXPECT_TRUE(doc["abort"].IsNull());
  EXPECT_FALSE(doc["phases"][0]["aborted"].GetBool());
}

TEST(AbortedRun, JunitFailsATestcaseOfTheAbortedPhase) {
  const std::string xml = RenderJunitReport(AbortedRun());
  EXPECT_NE(xml.find("<testsuites name=\"smoke\" tests=\"7\" failures=\"4\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"smoke.again\" tests=\"3\" failures=\"2\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"smoke.again\" name=\"ABORTED\">\n      <failure "
                     "message=\"aborted in phase again after 65.0s: no iteration succeeded in the "
                     "phase&apos;s first 65.0 s\">no_success_for: request_timeout+5s = 65s"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<property name=\"aborted\""), std::string::npos);
  EXPECT_EQ(RenderJunitReport(SampleRun()).find("ABORTED"), std::string::npos);
  // Aborted before any phase (a start-up request failed): a suite of its own.
  RunResult early = SampleRun();
  early.phases.clear();
  early.aborted = true;
  early.abort = {"", "start_up", "io.net model lookup (GET /v1/models)",
                 0,  0.1,        "GET /v1/models failed (connect_refused)",
                 0};
  const std::string start_up = RenderJunitReport(early);
  EXPECT_NE(start_up.find("<testsuite name=\"smoke.abort\" tests=\"1\" failures=\"1\">"),
            std::string::npos)
      << start_up;
  EXPECT_NE(start_up.find("aborted before the first phase"), std::string::npos) << start_up;
}

TEST(AbortedRun, TerminalSaysItInOneLine) {
  const std::string text = RenderTerminalSummary(AbortedRun());
  EXPECT_NE(text.find("\nABORTED in phase again after 65.0s: no iteration succeeded in the "
                      "phase's first 65.0 s (abort rule no_success_for: request_timeout+5s = "
                      "65s)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nABORTED in "), std::string::npos);  // the verdict
  EXPECT_NE(text.find("  ABORTED\n"), std::string::npos);    // the phase line
  EXPECT_EQ(RenderTerminalSummary(SampleRun()).find("ABORTED"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::reports

namespace teeharness::reports {
namespace {

SweepResult SampleSweep() {
  SweepResult sweep;
  sweep.name = "knee";
  sweep.over = "rate";
  sweep.planned_steps = 5;
  for (size_t i = 0; i < 3; ++i) {
    SweepStepResult row;
    row.phase = "knee/step-" + std::to_string(i + 1);
    row.step = i + 1;
    row.offered = 10.0 * (i + 1);
    row.achieved_rate = 9.5 * (i + 1);
    row.has_slo = true;
    row.goodput = i < 2 ? row.achieved_rate : 4;
    row.verified_goodput = row.goodput;
    row.good_fraction = i < 2 ? 1 : 0.2;
    row.ttft_p50 = 0.02;
    row.ttft_p95 = i < 2 ? 0.03 : 0.7;
    row.output_tokens_per_second = 160.0 * (i + 1);
    row.arrivals = 20 * (i + 1);
    row.errors = i;
    row.met_slo = i < 2;
    sweep.steps.push_back(row);
  }
  sweep.steps[2].stopped = true;
  sweep.steps[2].stop_reason = "time_to_first_token_seconds p(95)>0.5 (observed 0.7)";
  sweep.stopped_at = 3;
  sweep.capacity = 1;
  return sweep;
}

TEST(Sweeps, JsonHasARowPerStepTheCapacityAndTheStop) {
  RunResult run = SampleRun();
  run.sweeps.push_back(SampleSweep());
  rapidjson::Document doc;
  doc.Parse(RenderJsonReport(run).c_str());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_TRUE(doc["sweeps"].IsArray());
  const auto& sweep = doc["sweeps"][0];
  EXPECT_STREQ(sweep["name"].GetString(), "knee");
  EXPECT_STREQ(sweep["over"].GetString(), "rate");
  EXPECT_EQ(sweep["planned_steps"].GetUint64(), 5u);
  ASSERT_EQ(sweep["steps"].Size(), 3u);
  const auto& last = sweep["steps"][2];
  EXPECT_EQ(last["step"].GetUint64(), 3u);
  EXPECT_STREQ(last["phase"].GetString(), "knee/step-3");
  EXPECT_DOUBLE_EQ(last["offered"].GetDouble(), 30);
  EXPECT_DOUBLE_EQ(last["goodput"].GetDouble(), 4);
  EXPECT_DOUBLE_EQ(last["ttft_p95"].GetDouble(), 0.7);
  EXPECT_TRUE(last["tpot_p50"].IsNull());
  EXPECT_FALSE(last["met_slo"].GetBool());
  EXPECT_TRUE(last["stopped"].GetBool());
  EXPECT_NE(std::string(last["stop_reason"].GetString()).find("p(95)>0.5"), std::string::npos);
  EXPECT_TRUE(sweep["steps"][0]["stop_reason"].IsNull());
  EXPECT_EQ(sweep["capacity"]["step"].GetUint64(), 2u);
  EXPECT_DOUBLE_EQ(sweep["capacity"]["offered"].GetDouble(), 20);
  EXPECT_TRUE(sweep["capacity_note"].IsNull());
  EXPECT_EQ(sweep["stopped_at"].GetUint64(), 3u);
  // Without an SLO the goodput figures are null, not zero.
  run.sweeps[0].steps[0].has_slo = false;
  doc.Parse(RenderJsonReport(run).c_str());
  EXPECT_TRUE(doc["sweeps"][0]["steps"][0]["goodput"].IsNull());
  EXPECT_TRUE(doc["sweeps"][0]["steps"][0]["met_slo"].IsNull());
  // No sweep: an empty array.
  doc.Parse(RenderJsonReport(SampleRun()).c_str());
  EXPECT_EQ(doc["sweeps"].Size(), 0u);
}

TEST(Sweeps, TerminalTableAfterThePhases) {
  RunResult run = SampleRun();
  run.sweeps.push_back(SampleSweep());
  std::string text = RenderTerminalSummary(run);
  const size_t table = text.find("sweep knee over rate: 3 of 5 steps, stopped after step 3\n");
  ASSERT_NE(table, std::string::npos) << text;
  EXPECT_GT(table, text.find("phase again"));
  EXPECT_NE(text.find("     2      20.0      19.0      19.0      19.0     20.00     30.00         -"
                      "     320.0       1  met 100%\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("MISSED 20%  STOP: time_to_first_token_seconds p(95)>0.5"),
            std::string::npos);
  EXPECT_NE(text.find("  capacity: step 2, 20 arrivals/s\n"), std::string::npos);
  run.sweeps[0].capacity.reset();
  run.sweeps[0].capacity_note = "the first step already missed the slo";
  text = RenderTerminalSummary(run);
  EXPECT_NE(text.find("  capacity: none (the first step already missed the slo)\n"),
            std::string::npos);
  // Over concurrency the load is whole users.
  run.sweeps[0].over = "concurrency";
  run.sweeps[0].capacity = 0;
  text = RenderTerminalSummary(run);
  EXPECT_NE(text.find("  step     users      it/s"), std::string::npos) << text;
  EXPECT_NE(text.find("     2        20      19.0 "), std::string::npos) << text;
  EXPECT_NE(text.find("  capacity: step 1, 10 users\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace teeharness::reports
