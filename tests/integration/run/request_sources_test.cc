// `teeharness run` with the request sources of a scenario (inline, dataset, synthetic) against the
// real mock: many distinct bodies go out, each response's signature verifies over its own
// request's bytes, and the token figures come from the server's usage (or, without it, are
// estimated and say so).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/mock_trust.h"
#include "tests/support/paths.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::RunScenario;

std::string Shipped(const std::string& name) { return testing::SourceDir() + "/scenarios/" + name; }

// The JSON report's phase named `name`.
const rapidjson::Value& Phase(const rapidjson::Document& report, const std::string& name) {
  static const rapidjson::Value kNull;
  for (const auto& phase : report["phases"].GetArray()) {
    if (phase["name"].GetString() == name) return phase;
  }
  ADD_FAILURE() << "no phase " << name;
  return kNull;
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

TEST(RequestSources, ShippedDatasetSendsDistinctBodiesEachVerifiedWithTokenFigures) {
  testing::MockServer mock(
      {"--capacity", "8", "--output-tokens", "uniform:16:64", "--ttft", "5ms", "--itl", "1ms"});
  ASSERT_TRUE(mock.started());
  // The mock runs apart from the harness: its roots and collateral are given explicitly.
  testing::TempDir dir;
  const std::string collateral = dir.Write(
      "collateral.json", testing::HttpRequest("GET", mock.url("/mock/pki/collateral.json")).body);
  std::vector<std::string> args = {Shipped("load-dataset.json"), "--target", mock.url(""), "--set",
                                   "attestation.collateral=" + collateral};
  for (std::string& arg : testing::TrustMockRoots(mock, dir)) args.push_back(std::move(arg));
  for (const std::string& arg : testing::CorrectnessOverrides()) args.push_back(arg);
  const auto run = RunScenario(args);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_TRUE(run.Failed().empty()) << run.report;
  EXPECT_EQ(run.Passed("SIG-TEXT"), 200u);  // every chat's text binds its own request hash
  EXPECT_EQ(run.Passed("SIG-ADDRESS"), 200u);
  // The mock saw (almost) every one of the 200 prompts: the order is a shuffle, and each worker
  // holds one body built ahead that the run's end leaves unsent.
  const rapidjson::Document stats =
      Parse(testing::HttpRequest("GET", mock.url("/admin/stats")).body);
  EXPECT_GE(stats["distinct_chat_bodies"].GetUint64(), 190u);
  EXPECT_LE(stats["distinct_chat_bodies"].GetUint64(), 200u);
  const rapidjson::Document report = Parse(run.report);
  const rapidjson::Value& load = Phase(report, "load");
  EXPECT_GT(load["tokens"]["prompt"].GetUint64(), 200u);
  // Each completion is min(max_tokens, 16..64 drawn): at least 16 of them, at most 64.
  EXPECT_GE(load["tokens"]["completion"].GetUint64(), 200u * 16);
  EXPECT_LE(load["tokens"]["completion"].GetUint64(), 200u * 64);
  EXPECT_EQ(load["tokens"]["estimated"].GetUint64(), 0u);  // the mock sent usage
  EXPECT_GT(load["output_tokens_per_second"].GetDouble(), 0);
  const rapidjson::Value& tpot = load["latency_seconds"]["tpot"];
  EXPECT_EQ(tpot["count"].GetUint64(), 200u);
  // 1 ms a token, a little more under the batch slowdown of none here; loopback adds little.
  EXPECT_GE(tpot["p50"].GetDouble(), 0.0009);
  EXPECT_LT(tpot["p50"].GetDouble(), 0.01);
}

// Against a correct mock every chat of load-dataset.json meets its SLO and verifies: goodput and
// verified goodput agree. When every signature is bad the chats are as fast as before (goodput)
// but none is verified (verified goodput 0), and a verified_goodput threshold fails the run.
TEST(Goodput, VerifiedGoodputCountsOnlyChatsWhoseChecksPassed) {
  std::vector<std::string> args = {Shipped("load-dataset.json"), "--set", "phases.1.duration=2s",
                                   "--set",
                                   R"(thresholds={"verified_goodput{phase:load}":["avg>10"]})"};
  const auto good = RunScenario(args);
  ASSERT_EQ(good.process.exit_code, 0) << good.process.err << good.report;
  const rapidjson::Document report = Parse(good.report);
  const rapidjson::Value& load = Phase(report, "load");
  EXPECT_EQ(load["slo"]["met_verified"].GetUint64(), 100u);
  EXPECT_EQ(load["slo"]["met_unverified"].GetUint64(), 0u);
  EXPECT_GT(load["goodput"].GetDouble(), 40);  // 50/s offered
  EXPECT_DOUBLE_EQ(load["verified_goodput"].GetDouble(), load["goodput"].GetDouble());
  EXPECT_TRUE(Phase(report, "warmup")["goodput"].IsNull());  // no chats, no goodput
  args.insert(args.end(), {"--set", R"(mock.faults={"bad_signature":1})"});
  const auto bad = RunScenario(args);
  EXPECT_EQ(bad.process.exit_code, 1);
  const rapidjson::Document bad_report = Parse(bad.report);
  const rapidjson::Value& bad_load = Phase(bad_report, "load");
  EXPECT_EQ(bad_load["slo"]["met_verified"].GetUint64(), 0u);
  EXPECT_EQ(bad_load["slo"]["met_unverified"].GetUint64(), 100u);
  EXPECT_GT(bad_load["goodput"].GetDouble(), 40);
  EXPECT_EQ(bad_load["verified_goodput"].GetDouble(), 0);
  EXPECT_NE(bad.report.find("\"metric\": \"verified_goodput{phase:load}\""), std::string::npos);
}

// A chat whose own signature checks pass but whose signing key was attested by a report that failed
// a check (here the quote's signature, QUOTE-SIG) is not verified: goodput keeps it, verified
// goodput does not.
TEST(Goodput, ChatsBoundToAFailedAttestationAreNotVerified) {
  const auto run = RunScenario({Shipped("load-dataset.json"), "--set", "phases.1.duration=2s",
                                "--set", R"(mock.faults={"quote_bad_signature":1})"});
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  const rapidjson::Document report = Parse(run.report);
  const rapidjson::Value& load = Phase(report, "load");
  EXPECT_EQ(load["slo"]["met_verified"].GetUint64(), 0u) << run.report;
  EXPECT_EQ(load["slo"]["met_unverified"].GetUint64(), 100u);
  EXPECT_GT(load["goodput"].GetDouble(), 40);
  EXPECT_EQ(load["verified_goodput"].GetDouble(), 0);
}

// Abort rules read the phase so far: per-second figures are over its time until now, so a rule on
// verified goodput trips while the phase runs (here at once: no run reaches a million a second).
TEST(Goodput, AbortRulesSeeTheRatesOfThePhaseSoFar) {
  const auto run =
      RunScenario({Shipped("load-dataset.json"), "--set", "phases.1.duration=30s", "--set",
                   R"(phases.1.abort={"verified_goodput":["avg<1000000"],"after":"1s"})"});
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  const rapidjson::Document report = Parse(run.report);
  EXPECT_TRUE(report["aborted"].GetBool()) << run.report;
  EXPECT_STREQ(report["abort"]["kind"].GetString(), "threshold");
  EXPECT_GT(report["abort"]["observed"].GetDouble(), 0);  // chats did meet the SLO
  EXPECT_LT(Phase(report, "load")["duration_seconds"].GetDouble(), 15);
}

TEST(RequestSources, WithoutUsageCompletionTokensAreEstimatedAndFlagged) {
  std::vector<std::string> args = {Shipped("load-dataset.json"), "--set",
                                   "request.stream_usage=false", "--set", "phases.1.duration=1s"};
  for (const std::string& arg : testing::CorrectnessOverrides()) args.push_back(arg);
  const auto run = RunScenario(args);
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  const rapidjson::Document report = Parse(run.report);
  const rapidjson::Value& tokens = Phase(report, "load")["tokens"];
  EXPECT_GT(tokens["completion"].GetUint64(), 0u);
  EXPECT_EQ(tokens["estimated"].GetUint64(), tokens["completion"].GetUint64());
  EXPECT_EQ(tokens["prompt"].GetUint64(), 0u);  // no usage, no prompt count
}

// One word per token: the mock counts words, so the prompt tokens it reports are the lengths the
// generator drew (20..40 each), and with unique prefixes every body is different.
TEST(RequestSources, SyntheticPromptsHaveTheirDrawnLengths) {
  testing::TempDir dir;
  const std::string path = dir.Write("synthetic.json", R"({
    "name": "synthetic",
    "seed": 3,
    "request": { "stream": true, "max_tokens": 8,
                 "synthetic": { "prompt_tokens": { "dist": "uniform", "min": 20, "max": 40 },
                                "unique_prefix": true } },
    "phases": [ { "name": "chat", "flow": "verified_chat", "iterations": 30, "concurrency": 3 } ],
    "thresholds": { "check_failures": ["count==0"], "errors": ["count==0"],
                    "prompt_tokens": ["count>=600", "count<=1200"] }
  })");
  const auto run = RunScenario({path});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_EQ(run.Passed("SIG-TEXT"), 30u);
  const rapidjson::Document report = Parse(run.report);
  const uint64_t prompt = Phase(report, "chat")["tokens"]["prompt"].GetUint64();
  EXPECT_GE(prompt, 30u * 20);
  EXPECT_LE(prompt, 30u * 40);
}

TEST(RequestSources, ABadDatasetLineStopsTheRunNamingFileLineAndField) {
  testing::TempDir dir;
  dir.Write("p.jsonl",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}\n"
            "{\"messages\":[{\"content\":\"b\"}]}\n");
  const std::string path = dir.Write("s.json", R"({
    "name": "bad-dataset",
    "request": { "dataset": { "path": "p.jsonl" } },
    "phases": [ { "name": "chat", "flow": "verified_chat", "iterations": 1 } ]
  })");
  const auto run = RunScenario({path});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find(dir.path() + "/p.jsonl:2: messages[0].role: missing"),
            std::string::npos)
      << run.process.err;
  // validate reads the dataset through as run does; a good one is summarised.
  const testing::ProcessResult invalid =
      testing::RunProcess({testing::TeeharnessBinary(), "validate", path});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_NE(invalid.err.find("/p.jsonl:2: messages[0].role: missing"), std::string::npos);
  const testing::ProcessResult valid =
      testing::RunProcess({testing::TeeharnessBinary(), "validate", Shipped("load-dataset.json")});
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  EXPECT_NE(valid.out.find("requests: dataset, 200 distinct bodies"), std::string::npos)
      << valid.out;
}

}  // namespace
}  // namespace teeharness
