// The harness against servers that attack it (tests/support/hostile_server.h): each attack ends in
// a failure of the right kind, inside the scenario's bounds (timeouts, max_response_bytes), while
// the run goes on to finish with complete, valid reports and every arrival accounted for.
#include "tests/support/hostile_server.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <memory>
#include <string>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

struct Attack {
  std::string mode;
  std::string path;          // what is attacked; everything else reaches the real mock
  std::string failure_kind;  // how every iteration must end ("" = they succeed)
  std::string failed_check;  // a check that must fail with evidence ("" = none required)
};

std::string Name(const ::testing::TestParamInfo<Attack>& info) { return info.param.mode; }
void PrintTo(const Attack& attack, std::ostream* out) {
  *out << attack.mode << " on " << attack.path;
}

class Hostile : public ::testing::TestWithParam<Attack> {};

constexpr int kIterations = 4;

std::string Scenario(const std::string& base_url) {
  return R"({
  "name": "hostile",
  "target": { "base_url": ")" +
         base_url + R"(", "dialect": "phala", "model": "mock/llama-3.1-8b-instruct",
              "request_timeout": "2s", "connect_timeout": "2s", "max_response_bytes": 1048576 },
  "expect": { "signature_ready_ms": 1000 },
  "request": { "messages": [{"role": "user", "content": "hi"}], "max_tokens": 8, "stream": true },
  "phases": [
    { "name": "attacked", "flow": "verified_chat", "iterations": )" +
         std::to_string(kIterations) + R"(, "concurrency": 2 }
  ]
})";
}

TEST_P(Hostile, FailsOfTheRightKindWithinBoundsAndReportsEverything) {
  const Attack& attack = GetParam();
  testing::MockServer mock({"--dialect", "phala"});
  ASSERT_TRUE(mock.started());
  testing::HostileServer server(attack.mode, attack.path, mock.url(""));
  testing::TempDir dir;
  const std::string scenario = dir.Write("hostile.json", Scenario(server.base_url()));
  const std::string report = dir.path() + "/report.json";
  const std::string junit = dir.path() + "/junit.xml";
  const auto start = std::chrono::steady_clock::now();
  const testing::ProcessResult run =
      testing::RunProcess({testing::TeeharnessBinary(), "run", scenario, "--quiet", "--workers",
                           "2", "--report-json", report, "--junit", junit},
                          {}, std::chrono::seconds(120));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(server.attacks(), 0);
  // A finished run: exit 0 or 1 (never a crash, never 2), in bounded time and memory. Every
  // iteration has at most a few 2 s timeouts, whatever the server does.
  ASSERT_FALSE(run.timed_out) << run.err;
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.exit_code << "\n" << run.err;
  EXPECT_LT(seconds, 60) << run.err;
  // A plain build peaks at about 25-30 MB here even with 10 MB bodies and signatures; ASan keeps
  // up to 256 MB of freed memory in quarantine and adds its shadow, so its bound is its own.
  EXPECT_LT(run.max_rss_kb, (kSanitized ? 768 : 128) * 1024)
      << "peak RSS " << run.max_rss_kb << " kB";
  // The report is valid JSON and valid UTF-8 even when the server's bytes were not.
  const std::string text = testing::ReadFileOrFail(report);
  EXPECT_LT(text.size(), 256u * 1024) << "evidence must be bounded";
  rapidjson::Document json;
  json.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  ASSERT_FALSE(json.HasParseError()) << text.substr(0, 2000);
  EXPECT_TRUE(std::ifstream(junit).good());
  const auto& phase = json["phases"][0];
  const auto& accounting = phase["accounting"];
  EXPECT_EQ(accounting["arrivals"].GetUint64(), static_cast<uint64_t>(kIterations));
  EXPECT_EQ(accounting["unaccounted"].GetInt64(), 0) << text;
  if (attack.failure_kind.empty()) {
    EXPECT_EQ(accounting["succeeded"].GetUint64(), static_cast<uint64_t>(kIterations)) << text;
  } else {
    ASSERT_TRUE(accounting["failed"].HasMember(attack.failure_kind.c_str())) << text;
    EXPECT_EQ(accounting["failed"][attack.failure_kind.c_str()].GetUint64(),
              static_cast<uint64_t>(kIterations))
        << text;
    EXPECT_EQ(run.exit_code, 1);  // a phase without one success fails the run
  }
  if (!attack.failed_check.empty()) {
    bool found = false;
    for (const auto& check : json["checks"].GetArray()) {
      if (check["id"].GetString() != attack.failed_check) continue;
      found = check["failed"].GetUint64() > 0 && check["evidence"].Size() > 0;
    }
    EXPECT_TRUE(found) << attack.failed_check << " did not fail with evidence:\n" << text;
  }
}

constexpr const char* kAttest = "/v1/attestation/report";
constexpr const char* kChat = "/v1/chat/completions";
constexpr const char* kSignature = "/v1/signature/";

INSTANTIATE_TEST_SUITE_P(
    Attacks, Hostile,
    ::testing::Values(Attack{"endless_headers", kAttest, "too_large", ""},
                      Attack{"huge_body", kAttest, "too_large", ""},
                      Attack{"huge_declared", kAttest, "too_large", ""},
                      Attack{"endless_stream", kChat, "timeout", ""},
                      Attack{"dribble", kChat, "timeout", ""},
                      Attack{"invalid_utf8", kAttest, "bad_attestation", "ATTEST-SCHEMA"},
                      Attack{"deep_json", kAttest, "bad_attestation", "ATTEST-SCHEMA"},
                      Attack{"huge_numbers", kAttest, "bad_attestation", "ATTEST-SCHEMA"},
                      Attack{"nul_bytes", kAttest, "bad_attestation", "ATTEST-SCHEMA"},
                      Attack{"huge_signature", kSignature, "signature_error_body", "SIG-READY"},
                      Attack{"lying_length", kChat, "timeout", ""},
                      Attack{"short_length", kAttest, "bad_attestation", "ATTEST-SCHEMA"},
                      Attack{"close_mid_body", kChat, "reset", ""}),
    Name);

// The shipped conformance scenario, unchanged but for where it points and a short request_timeout,
// against endpoints that are dead, hung or dribbling: its own abort rules end every run within
// 2 x request_timeout + 10 s, exit 1, with reports that say which rule tripped in which phase.
// (The shipped default request_timeout is 60 s; the rules scale with it, so 3 s checks the same
// rules against a bound of 16 s instead of 130 s.)
struct DeadEnd {
  std::string mode;   // a HostileServer mode, or "refused" (nothing listens on the port)
  std::string path;   // what is attacked; everything else reaches the real mock
  std::string phase;  // where the run must be aborted
};

std::string DeadEndName(const ::testing::TestParamInfo<DeadEnd>& info) { return info.param.mode; }
void PrintTo(const DeadEnd& dead, std::ostream* out) { *out << dead.mode << " on " << dead.path; }

class HostileConformance : public ::testing::TestWithParam<DeadEnd> {};

constexpr int kRequestTimeoutSeconds = 3;

TEST_P(HostileConformance, ShippedAbortRulesEndTheRunWithinTheBoundAndSayWhy) {
  const DeadEnd& dead = GetParam();
  testing::MockServer mock({"--dialect", "phala"});
  ASSERT_TRUE(mock.started());
  std::unique_ptr<testing::HostileServer> server;
  std::string target = "http://127.0.0.1:" + std::to_string(testing::FreePort());
  if (dead.mode != "refused") {
    server = std::make_unique<testing::HostileServer>(dead.mode, dead.path, mock.url(""));
    target = server->base_url();
  }
  testing::TempDir dir;
  const std::string report = dir.path() + "/report.json";
  const std::string junit = dir.path() + "/junit.xml";
  const auto start = std::chrono::steady_clock::now();
  const testing::ProcessResult run = testing::RunProcess(
      {testing::TeeharnessBinary(), "run",
       testing::SourceDir() + "/scenarios/conformance-phala.json", "--target", target, "--set",
       "target.request_timeout=" + std::to_string(kRequestTimeoutSeconds) + "s", "--report-json",
       report, "--junit", junit},
      {}, std::chrono::seconds(90));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(run.timed_out) << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_LT(seconds, 2 * kRequestTimeoutSeconds + 10) << run.out << run.err;
  if (server) {
    EXPECT_GT(server->attacks(), 0);
  }
  EXPECT_LT(run.max_rss_kb, 600 * 1024) << "peak RSS " << run.max_rss_kb << " kB";
  // The terminal says so in one line: aborted, in which phase, and why.
  EXPECT_NE(run.out.find("ABORTED in phase " + dead.phase + " after"), std::string::npos)
      << run.out;
  // The JSON report: marked aborted, with the rule, the phase and the reason.
  const std::string text = testing::ReadFileOrFail(report);
  rapidjson::Document json;
  json.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  ASSERT_FALSE(json.HasParseError()) << text.substr(0, 2000);
  EXPECT_TRUE(json["aborted"].GetBool()) << text;
  ASSERT_TRUE(json["abort"].IsObject()) << text;
  const auto& abort = json["abort"];
  EXPECT_EQ(std::string(abort["phase"].GetString()), dead.phase) << text;
  const std::string kind = abort["kind"].GetString();
  EXPECT_TRUE(kind == "threshold" || kind == "consecutive_failures" || kind == "no_success_for")
      << kind;
  EXPECT_FALSE(std::string(abort["condition"].GetString()).empty());
  EXPECT_FALSE(std::string(abort["reason"].GetString()).empty());
  EXPECT_FALSE(json["interrupted"].GetBool());
  EXPECT_EQ(json["exit_code"].GetInt(), 1);
  // The aborted phase is the last one run, every arrival in it accounted for; later ones never ran.
  const auto& phases = json["phases"];
  ASSERT_GT(phases.Size(), 0u);
  const auto& last = phases[phases.Size() - 1];
  EXPECT_EQ(std::string(last["name"].GetString()), dead.phase);
  EXPECT_TRUE(last["aborted"].GetBool());
  EXPECT_EQ(last["accounting"]["unaccounted"].GetInt64(), 0) << text;
  for (const auto& phase : phases.GetArray()) {
    EXPECT_NE(std::string(phase["name"].GetString()), "negative");
  }
  // JUnit: the abort is a failed testcase of that phase, with the reason.
  const std::string xml = testing::ReadFileOrFail(junit);
  EXPECT_NE(xml.find("name=\"ABORTED\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("aborted in phase " + dead.phase), std::string::npos) << xml;
}

INSTANTIATE_TEST_SUITE_P(ShippedConformance, HostileConformance,
                         ::testing::Values(DeadEnd{"endless_headers", "/", "attest"},
                                           DeadEnd{"endless_stream", kChat, "verified-chat"},
                                           DeadEnd{"dribble", "/", "attest"},
                                           DeadEnd{"huge_body", "/", "attest"},
                                           DeadEnd{"lying_length", kChat, "verified-chat"},
                                           DeadEnd{"garbage", "/", "attest"},
                                           DeadEnd{"silent", kSignature, "verified-chat"},
                                           DeadEnd{"refused", "", "attest"}),
                         DeadEndName);

}  // namespace
}  // namespace teeharness
