// Abort rules (README "Abort rules") end to end: each kind of rule trips against a real mock, the
// run stops sending, reports are written marked aborted with the rule and the phase, and the exit
// code is 1; `after` holds threshold expressions back; a phase-level `abort` overrides the
// scenario's; the shipped defaults leave a healthy run alone.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <string>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

struct Aborted {
  testing::ProcessResult process;
  double seconds = 0;
  rapidjson::Document json;
  std::string text;
  std::string junit;

  const rapidjson::Value& Abort() const { return json["abort"]; }
  const rapidjson::Value* Phase(const std::string& name) const {
    for (const auto& phase : json["phases"].GetArray()) {
      if (phase["name"].GetString() == name) return &phase;
    }
    return nullptr;
  }
};

// Runs `teeharness run` with `args` after the scenario; reads both reports.
Aborted RunAborting(const std::string& scenario, std::vector<std::string> args = {}) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", scenario);
  const std::string report = dir.path() + "/report.json";
  const std::string junit = dir.path() + "/junit.xml";
  std::vector<std::string> argv = {testing::TeeharnessBinary(),
                                   "run",
                                   path,
                                   "--workers",
                                   "2",
                                   "--report-json",
                                   report,
                                   "--junit",
                                   junit};
  argv.insert(argv.end(), args.begin(), args.end());
  Aborted out;
  const auto start = std::chrono::steady_clock::now();
  out.process = testing::RunProcess(argv, {}, std::chrono::seconds(60));
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.text = testing::ReadFileOrFail(report);
  out.json.Parse(out.text.c_str());
  if (out.json.HasParseError() || !out.json.IsObject()) {
    ADD_FAILURE() << "no JSON report: " << out.process.err;
    out.json.Parse(R"({"aborted": false, "abort": null, "phases": []})");
  }
  out.junit = testing::ReadFileOrFail(junit);
  return out;
}

std::string Scenario(const std::string& mock_url, const std::string& abort,
                     const std::string& phases, const std::string& target_extra = "") {
  return R"({ "name": "abort", "target": { "base_url": ")" + mock_url +
         R"(", "dialect": "phala" )" + target_extra + R"( },
    "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4 },
    "abort": )" +
         abort + R"(, "phases": [ )" + phases + " ] }";
}

void ExpectAbortedIn(const Aborted& run, const std::string& phase, const std::string& kind) {
  EXPECT_EQ(run.process.exit_code, 1) << run.process.out << run.process.err;
  ASSERT_TRUE(run.json["aborted"].GetBool()) << run.text;
  ASSERT_TRUE(run.Abort().IsObject()) << run.text;
  EXPECT_EQ(std::string(run.Abort()["phase"].GetString()), phase) << run.text;
  EXPECT_EQ(std::string(run.Abort()["kind"].GetString()), kind) << run.text;
  EXPECT_FALSE(run.json["interrupted"].GetBool());
  const rapidjson::Value* p = run.Phase(phase);
  ASSERT_NE(p, nullptr) << run.text;
  EXPECT_TRUE((*p)["aborted"].GetBool());
  EXPECT_EQ((*p)["accounting"]["unaccounted"].GetInt64(), 0) << run.text;
  EXPECT_EQ(run.Phase("never"), nullptr) << "a phase after the abort ran:\n" << run.text;
  EXPECT_NE(run.junit.find("name=\"ABORTED\""), std::string::npos) << run.junit;
  EXPECT_NE(run.process.out.find("ABORTED in phase " + phase + " after"), std::string::npos)
      << run.process.out;
}

constexpr const char* kNever = R"({ "name": "never", "flow": "attest", "iterations": 1 })";

// Every attestation answered 500 at once: ten failures in a row trip within a poll (50 ms), long
// before the phase's 100,000 iterations.
TEST(Abort, ConsecutiveFailuresStopTheRunAtOnce) {
  testing::MockServer mock({"--dialect", "phala", "--fault", "error_500"});
  ASSERT_TRUE(mock.started());
  const Aborted run = RunAborting(Scenario(mock.url(""), R"({ "consecutive_failures": 10 })",
                                           R"({ "name": "failing", "flow": "attest",
                                        "iterations": 100000, "concurrency": 2 }, )" +
                                               std::string(kNever)));
  ExpectAbortedIn(run, "failing", "consecutive_failures");
  EXPECT_EQ(std::string(run.Abort()["condition"].GetString()), "consecutive_failures: 10");
  EXPECT_GE(run.Abort()["observed"].GetDouble(), 10);
  EXPECT_LT(run.Abort()["at_seconds"].GetDouble(), 1.0);
  EXPECT_LT((*run.Phase("failing"))["accounting"]["arrivals"].GetUint64(), 100000u);
  EXPECT_LT(run.seconds, 10);
}

// Nothing ever completes (every answer is 30 s late, request_timeout is 10 s): no_success_for
// counts from the phase start, trips at 2 s with no iteration finished, and the requests in
// flight get the grace (5 s, shorter than request_timeout) and are then cut, not waited out.
// /metrics counts the abort.
TEST(Abort, NoSuccessForCountsFromThePhaseStartAndCutsWhatIsInFlight) {
  testing::MockServer mock({"--dialect", "phala", "--fault", "slow", "--slow-delay", "30s"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const std::string path = dir.Write(
      "s.json",
      Scenario(
          mock.url(""), R"({ "no_success_for": "2s" })",
          R"({ "name": "hung", "flow": "verified_chat", "iterations": 100, "concurrency": 3 }, )" +
              std::string(kNever),
          R"(, "request_timeout": "10s")"));
  const std::string report = dir.path() + "/report.json";
  const std::string err = dir.path() + "/stderr";
  const std::string out = dir.path() + "/stdout";
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid =
      testing::SpawnProcess({testing::TeeharnessBinary(), "run", path, "--report-json", report,
                             "--metrics-listen", "127.0.0.1:0", "--linger", "30s"},
                            err, out);
  ASSERT_GT(pid, 0);
  int port = 0;
  ASSERT_TRUE(testing::WaitFor([&] { return (port = testing::MetricsPortFrom(err)) > 0; },
                               std::chrono::seconds(20)));
  ASSERT_TRUE(
      testing::WaitFor([&] { return std::ifstream(report).good(); }, std::chrono::seconds(30)));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The run is over (it lingers for the scrape): the collateral pre-flight (one attestation,
  // bounded at 4 s, which this server never answers), then trip at 2 s + 5 s grace, then cut.
  EXPECT_LT(seconds, 13.5);
  const std::string metrics =
      testing::HttpRequest("GET", "http://127.0.0.1:" + std::to_string(port) + "/metrics").body;
  EXPECT_EQ(testing::StopProcess(pid), 1);
  EXPECT_NE(
      metrics.find(
          R"(teeharness_aborts_total{scenario="abort",phase="hung",condition="no_success_for"} 1)"),
      std::string::npos)
      << metrics;
  EXPECT_NE(
      metrics.find(
          R"(teeharness_aborts_total{scenario="abort",phase="hung",condition="threshold"} 0)"),
      std::string::npos)
      << metrics;
  rapidjson::Document json = testing::ReadJsonOrFail(report);
  ASSERT_TRUE(json["aborted"].GetBool());
  const auto& abort = json["abort"];
  EXPECT_EQ(std::string(abort["kind"].GetString()), "no_success_for");
  EXPECT_EQ(std::string(abort["condition"].GetString()), "no_success_for: 2s");
  EXPECT_EQ(std::string(abort["reason"].GetString()),
            "no iteration succeeded in the phase's first 2.0 s");
  EXPECT_GE(abort["at_seconds"].GetDouble(), 2.0);
  EXPECT_LT(abort["at_seconds"].GetDouble(), 2.5);
  EXPECT_EQ(abort["grace_seconds"].GetDouble(), 5.0);
  const auto& phase = json["phases"][0];
  EXPECT_TRUE(phase["aborted"].GetBool());
  // The three attestations in flight were cut ("aborted"), not timed out: nothing else happened.
  const auto& accounting = phase["accounting"];
  EXPECT_EQ(accounting["arrivals"].GetUint64(), 3u);
  EXPECT_EQ(accounting["succeeded"].GetUint64(), 0u);
  ASSERT_TRUE(accounting["failed"].HasMember("aborted")) << testing::ReadFileOrFail(report);
  EXPECT_EQ(accounting["failed"]["aborted"].GetUint64(), 3u);
  EXPECT_EQ(accounting["unaccounted"].GetInt64(), 0);
  EXPECT_EQ(json["phases"].Size(), 1u);
  EXPECT_NE(testing::ReadFileOrFail(err).find("ABORTING in phase hung"), std::string::npos);
}

// Every attestation fails at once, but the expression may only trip once the phase is 2 s old.
TEST(Abort, ThresholdExpressionsWaitForAfter) {
  testing::MockServer mock({"--dialect", "phala", "--fault", "error_500"});
  ASSERT_TRUE(mock.started());
  const Aborted run = RunAborting(
      Scenario(mock.url(""), R"({ "errors": ["rate>0.5"], "after": "2s" })",
               R"({ "name": "failing", "flow": "attest", "duration": "30s", "concurrency": 1 }, )" +
                   std::string(kNever)));
  ExpectAbortedIn(run, "failing", "threshold");
  EXPECT_EQ(std::string(run.Abort()["condition"].GetString()), "errors: rate>0.5, after 2s");
  // Every request failed (read live, the two counters may be a request apart).
  EXPECT_NEAR(run.Abort()["observed"].GetDouble(), 1.0, 0.01);
  EXPECT_GE(run.Abort()["at_seconds"].GetDouble(), 2.0);
  EXPECT_LT(run.Abort()["at_seconds"].GetDouble(), 3.5);
  // Long before it was allowed to trip, the rate was already 1.
  EXPECT_GT((*run.Phase("failing"))["requests"].GetUint64(), 50u);
  EXPECT_LT(run.seconds, 15);
}

// A phase's "abort": false runs to its end however it fails; the next phase inherits the
// scenario's rules and is aborted.
TEST(Abort, APhaseOverrideReplacesTheScenarioRules) {
  testing::MockServer mock({"--dialect", "phala", "--fault", "error_500"});
  ASSERT_TRUE(mock.started());
  const Aborted run = RunAborting(
      Scenario(mock.url(""), R"({ "consecutive_failures": 3 })",
               R"({ "name": "tolerated", "flow": "attest", "iterations": 20, "abort": false },
         { "name": "guarded", "flow": "attest", "iterations": 100000 }, )" +
                   std::string(kNever)));
  ExpectAbortedIn(run, "guarded", "consecutive_failures");
  const rapidjson::Value* tolerated = run.Phase("tolerated");
  ASSERT_NE(tolerated, nullptr);
  EXPECT_FALSE((*tolerated)["aborted"].GetBool());
  EXPECT_EQ((*tolerated)["accounting"]["failed"]["http_500"].GetUint64(), 20u);
}

// A retention probe waits out its window between requests: once the cut is made, its next probe is
// refused and the iteration ends ("aborted") instead of holding the phase open for the window.
TEST(Abort, TheCutAlsoEndsIterationsWaitingBetweenRequests) {
  testing::MockServer mock({"--dialect", "phala"});
  ASSERT_TRUE(mock.started());
  const Aborted run =
      RunAborting(Scenario(mock.url(""), R"({ "requests": ["count>=2"] })",
                           R"({ "name": "window", "flow": "retention_probe", "samples": 2,
                    "probe_interval": "200ms" }, )" +
                               std::string(kNever),
                           R"(, "request_timeout": "2s")"));
  ExpectAbortedIn(run, "window", "threshold");
  const auto& accounting = (*run.Phase("window"))["accounting"];
  ASSERT_TRUE(accounting["failed"].HasMember("aborted")) << run.text;
  EXPECT_EQ(accounting["failed"]["aborted"].GetUint64(), 2u) << run.text;
  EXPECT_EQ(run.Abort()["grace_seconds"].GetDouble(), 2.0);  // request_timeout: shorter than 5 s
  EXPECT_LT(run.seconds, 7);  // trip at 1 s, 2 s of grace, then cut (the window is 300 s)
}

// The shipped defaults with a short request_timeout (the hostile tests' 3 s: after 3 s,
// no_success_for 8 s) leave a correct server with the signature race alone.
TEST(Abort, ShippedDefaultsDoNotAbortAHealthyRunWithTheSignatureRace) {
  const std::string phala = testing::SourceDir() + "/scenarios/conformance-phala.json";
  std::vector<std::string> args = {phala, "--set", "target.request_timeout=3s"};
  for (const std::string& arg : testing::SignatureRaceOverrides(phala)) args.push_back(arg);
  const testing::RunOutcome run = testing::RunScenario(args);
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_NE(run.report.find("\"aborted\": false"), std::string::npos) << run.report;
  EXPECT_NE(run.report.find("\"abort\": null"), std::string::npos) << run.report;
  EXPECT_GT(run.retries, 0u);
}

// io.net looks its model up before the first phase: a dead endpoint still gets reports that say
// why, and exit 1 (something was sent; not a usage error).
TEST(Abort, AFailedStartUpRequestIsReportedLikeAnAbort) {
  testing::TempDir dir;
  const std::string report = dir.path() + "/report.json";
  const std::string junit = dir.path() + "/junit.xml";
  const testing::ProcessResult run =
      testing::RunProcess({testing::TeeharnessBinary(), "run",
                           testing::SourceDir() + "/scenarios/conformance-ionet.json", "--target",
                           "http://127.0.0.1:" + std::to_string(testing::FreePort()),
                           "--report-json", report, "--junit", junit});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("ABORTED before the first phase"), std::string::npos) << run.out;
  rapidjson::Document json = testing::ReadJsonOrFail(report);
  ASSERT_TRUE(json["aborted"].GetBool());
  EXPECT_EQ(std::string(json["abort"]["kind"].GetString()), "start_up");
  EXPECT_EQ(std::string(json["abort"]["phase"].GetString()), "");
  EXPECT_NE(std::string(json["abort"]["reason"].GetString()).find("/v1/models"), std::string::npos);
  EXPECT_EQ(json["phases"].Size(), 0u);
  EXPECT_NE(testing::ReadFileOrFail(junit).find("aborted before the first phase"),
            std::string::npos);
}

}  // namespace
}  // namespace teeharness
