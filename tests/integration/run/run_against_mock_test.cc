// `teeharness run` against the built-in mock, as a real process over HTTP: shipped scenarios pass
// against a correct mock; each fault of the mock fails the check it should, and only those.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/run_report.h"

namespace teeharness {
namespace {

using testing::RunScenario;
using testing::SourceDir;
using Strings = std::vector<std::string>;

std::string Shipped(const std::string& name) { return SourceDir() + "/scenarios/" + name; }

// A shipped scenario and the checks it must pass at least once.
struct ShippedCase {
  std::string file;
  Strings passes;
  bool fetches_signatures = true;  // io.net's come in the completion's headers
};

void PrintTo(const ShippedCase& c, std::ostream* os) { *os << c.file; }

class ShippedScenarios : public ::testing::TestWithParam<ShippedCase> {};

// Against a correct mock with the documented race (each signature served only half of
// expect.signature_ready_ms after the response): exit 0, every check passes, and the 404s before
// each signature appeared are retries, not errors.
TEST_P(ShippedScenarios, PassWithTheSignatureRace) {
  const ShippedCase& c = GetParam();
  std::vector<std::string> args = {Shipped(c.file)};
  for (const std::string& arg : testing::SignatureRaceOverrides(args[0])) args.push_back(arg);
  const auto run = RunScenario(args);
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_TRUE(run.Failed().empty()) << run.report;
  EXPECT_TRUE(run.errors.empty()) << run.report;
  // The conformance scenarios' abort rules leave a correct server alone.
  EXPECT_NE(run.report.find("\"aborted\": false"), std::string::npos) << run.report;
  EXPECT_GT(run.Passed("SIG-ADDRESS") + run.Passed("ATTEST-BIND"), 0u);
  for (const std::string& id : c.passes) EXPECT_GT(run.Passed(id), 0u) << id;
  // Every report's quote is verified to the mock's root (the harness started the mock) with its
  // collateral and reference measurements: every hardware check passes, none is skipped.
  for (const std::string& id : testing::QuoteCheckIds()) {
    EXPECT_GT(run.Passed(id), 0u) << id << run.report;
    EXPECT_EQ(run.Skipped(id), 0u) << id << run.report;
  }
  if (c.fetches_signatures) {
    EXPECT_GT(run.Passed("SIG-READY"), 0u);
    EXPECT_GT(run.retries, 0u) << run.report;
  } else {
    EXPECT_EQ(run.retries, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shipped, ShippedScenarios,
    ::testing::Values(ShippedCase{"smoke.json", {"SIG-TEXT", "NONCE-REJECT", "SIG-UNKNOWN"}},
                      ShippedCase{"conformance-phala.json", {"SIG-TEXT", "NONCE-REJECT"}},
                      // near 2026: gateway and model attestations, both signature kinds
                      ShippedCase{"conformance-near.json", {"SIG-TEXT", "NONCE-REJECT"}},
                      ShippedCase{"conformance-ionet.json", {"NONCE-PAD", "IMAGE-DIGEST"}, false},
                      ShippedCase{"restart.json", {"ADDR-RESTART"}},
                      // 200 different prompts from scenarios/data, each body's own signature
                      ShippedCase{"load-dataset.json", {"SIG-TEXT"}},
                      // a rate sweep past the mock's capacity (sweep_test.cc checks its rows)
                      ShippedCase{"sweep.json", {"SIG-TEXT"}}),
    [](const auto& info) {
      std::string name = info.param.file.substr(0, info.param.file.find('.'));
      for (char& ch : name) ch = ch == '-' ? '_' : ch;
      return name;
    });

// A small scenario with one fault of the mock switched on.
constexpr const char* kFaultScenario = R"({
  "name": "fault",
  "target": { "dialect": "phala" },
  "expect": { "signature_ready_ms": 500 },
  "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4 },
  "phases": [
    { "name": "attest", "flow": "attest", "iterations": 4 },
    { "name": "chat", "flow": "verified_chat", "iterations": 6, "concurrency": 2 },
    { "name": "negative", "flow": "negative" }
  ]
})";

struct FaultCase {
  std::string fault;
  Strings failed;     // exactly these checks fail
  std::string error;  // and this error kind is counted ("" = none)
};

void PrintTo(const FaultCase& c, std::ostream* os) { *os << c.fault; }

class FaultMatrix : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultMatrix, OnlyTheIntendedChecksFail) {
  const FaultCase& c = GetParam();
  testing::TempDir dir;
  const std::string path = dir.Write("fault.json", kFaultScenario);
  const auto run = RunScenario({path, "--set", "mock.faults={\"" + c.fault + "\":1}"});
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  EXPECT_EQ(run.Failed(), c.failed) << run.report;
  if (!c.error.empty()) {
    EXPECT_GT(run.errors.count(c.error) ? run.errors.at(c.error) : 0, 0u);
  }
  // Evidence names what was expected and what came back.
  if (!c.failed.empty()) {
    EXPECT_NE(run.report.find("\"evidence\": [\n"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FaultMatrix,
    ::testing::Values(
        FaultCase{"bad_signature", {"SIG-ADDRESS"}, ""},
        FaultCase{"wrong_address", {"SIG-ADDRESS"}, ""},
        FaultCase{"text_mismatch", {"SIG-TEXT"}, ""},
        FaultCase{"nonce_not_echoed", {"NONCE-ECHO"}, ""},
        FaultCase{"nonce_left_padded", {"NONCE-REJECT"}, ""},
        // A replayed report: its GPUs signed the old nonce too.
        FaultCase{"stale_report", {"GPU-NONCE", "NONCE-BIND", "NONCE-ECHO", "NONCE-FRESH"}, ""},
        FaultCase{"address_flap", {"ADDR-STABLE", "SIG-ADDRESS"}, ""},
        FaultCase{"not_found_200", {"SIG-UNKNOWN"}, ""},
        FaultCase{"error_500", {"ERR-SHAPE", "NONCE-REJECT", "SIG-UNKNOWN"}, "http_500"},
        FaultCase{"error_429", {"SIG-UNKNOWN"}, "http_429"},
        FaultCase{"reset_mid_stream", {}, "reset"},
        // Quote faults: each fails exactly the hardware check that catches it.
        FaultCase{"quote_bad_signature", {"QUOTE-SIG"}, ""},
        FaultCase{"qe_report_bad_signature", {"QUOTE-QE"}, ""},
        FaultCase{"pck_untrusted_root", {"QUOTE-CHAIN"}, ""},
        FaultCase{"pck_revoked", {"QUOTE-CHAIN"}, ""},
        FaultCase{"tcb_out_of_date", {"QUOTE-TCB"}, ""},
        FaultCase{"tcb_revoked", {"QUOTE-TCB"}, ""},
        FaultCase{"collateral_expired", {"QUOTE-TCB"}, ""}, FaultCase{"debug_td", {"TD-ATTR"}, ""},
        FaultCase{"wrong_mrtd", {"TD-MEASURE"}, ""}),
    [](const auto& info) { return info.param.fault; });

// The per-phase figures of a JSON report.
struct PhaseFigures {
  uint64_t retries = 0;
  uint64_t signature_requests = 0;  // latency_seconds.signature.count
  uint64_t succeeded = 0;
  std::map<std::string, uint64_t> failed;
  std::map<std::string, uint64_t> errors;
  int64_t unaccounted = -1;
};

std::map<std::string, PhaseFigures> Phases(const std::string& report) {
  rapidjson::Document doc;
  doc.Parse(report.c_str());
  std::map<std::string, PhaseFigures> phases;
  if (doc.HasParseError() || !doc.IsObject()) return phases;
  for (const auto& phase : doc["phases"].GetArray()) {
    PhaseFigures& f = phases[phase["name"].GetString()];
    if (!phase.HasMember("accounting")) continue;
    f.retries = phase["retries"].GetUint64();
    const auto& latency = phase["latency_seconds"];
    if (latency.HasMember("signature"))
      f.signature_requests = latency["signature"]["count"].GetUint64();
    f.succeeded = phase["accounting"]["succeeded"].GetUint64();
    for (const auto& kind : phase["accounting"]["failed"].GetObject())
      f.failed[kind.name.GetString()] = kind.value.GetUint64();
    for (const auto& kind : phase["errors"].GetObject())
      f.errors[kind.name.GetString()] = kind.value.GetUint64();
    f.unaccounted = phase["accounting"]["unaccounted"].GetInt64();
  }
  return phases;
}

TEST(RunAgainstMock, SignatureRaceIsRetriedNotCountedAsErrors) {
  const std::string phala = Shipped("conformance-phala.json");
  ASSERT_EQ(testing::SignatureReadyMs(phala), 1000);
  testing::TempDir dir;
  const std::string report = dir.path() + "/report.json";
  std::vector<std::string> args = {
      testing::TeeharnessBinary(), "run", phala, "--report-json", report, "--set",
      "mock.signature_delay=500ms"};
  const auto result = testing::RunProcess(args);  // the scenario's own thresholds: errors count==0
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto phases = Phases(testing::ReadFileOrFail(report));
  ASSERT_TRUE(phases.count("verified-chat"));
  const PhaseFigures& chat = phases.at("verified-chat");
  EXPECT_TRUE(chat.errors.empty());
  EXPECT_TRUE(chat.failed.empty());
  EXPECT_EQ(chat.succeeded, 40u);
  EXPECT_EQ(chat.unaccounted, 0);
  // Every signature was fetched after at least one 404 (it appears 500 ms after the response);
  // each fetch was a retry or the one that got it.
  EXPECT_GE(chat.retries, 40u);
  EXPECT_EQ(chat.signature_requests, chat.retries + chat.succeeded);
  // The terminal summary shows them, apart from errors.
  EXPECT_NE(result.out.find("retries signature_404"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("errors http_404"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("errors signature_not_ready"), std::string::npos) << result.out;
}

TEST(RunAgainstMock, SignatureThatNeverAppearsFailsSigReadyAndIsAnError) {
  testing::TempDir dir;
  const std::string path = dir.Write("late.json", kFaultScenario);  // signature_ready_ms 500
  const auto run = RunScenario({path, "--set", "mock.signature_delay=5s"});
  EXPECT_EQ(run.process.exit_code, 1) << run.report;
  EXPECT_EQ(run.Failed(), Strings{"SIG-READY"}) << run.report;
  const auto phases = Phases(run.report);
  ASSERT_TRUE(phases.count("chat"));
  const PhaseFigures& chat = phases.at("chat");
  // One error per signature that never came, and it ended its iteration; the 404s before the
  // deadline were retries, none of them an http_404 error.
  EXPECT_EQ(chat.errors, (std::map<std::string, uint64_t>{{"signature_not_ready", 6}}));
  EXPECT_EQ(chat.failed, (std::map<std::string, uint64_t>{{"signature_not_ready", 6}}));
  EXPECT_EQ(chat.succeeded, 0u);
  EXPECT_EQ(chat.unaccounted, 0);
  EXPECT_GE(chat.retries, 6u);
  EXPECT_EQ(chat.signature_requests, chat.retries + 6);
  EXPECT_EQ(run.errors, (std::map<std::string, uint64_t>{{"signature_not_ready", 6}}));
}

TEST(RunAgainstMock, IonetLeftPaddingFailsNoncePad) {
  testing::TempDir dir;
  const std::string path = dir.Write("ionet.json", R"({
    "name": "ionet-pad", "target": { "dialect": "ionet", "model": "m" },
    "phases": [ { "name": "attest", "flow": "attest", "iterations": 4 } ] })");
  const auto run = RunScenario({path, "--set", "mock.faults=[\"nonce_left_padded\"]"});
  EXPECT_EQ(run.process.exit_code, 1);
  const Strings failed = run.Failed();
  EXPECT_NE(std::find(failed.begin(), failed.end(), "NONCE-PAD"), failed.end()) << run.report;
}

TEST(RunAgainstMock, RetentionWindowMeasuredWithinASecond) {
  const std::string retention = Shipped("retention.json");
  const auto run =
      RunScenario({retention, "--set", "expect.retention_seconds=3", "--set", "mock.retention=3s",
                   "--set", "phases.0.samples=2", "--set", "phases.0.probe_interval=100ms"});
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_EQ(run.Passed("SIG-RETAIN"), 2u);
  EXPECT_EQ(run.Passed("SIG-EXPIRE"), 2u);
  // The measured window (first 404) is reported per phase.
  const size_t at = run.report.find("\"retention_window\"");
  ASSERT_NE(at, std::string::npos) << run.report;
  const size_t p50 = run.report.find("\"p50\": ", at);
  const double window = std::stod(run.report.substr(p50 + 7, 20));
  EXPECT_NEAR(window, 3.0, 1.0);
}

TEST(RunAgainstMock, EarlyExpiryFailsRetention) {
  const auto run = RunScenario({Shipped("retention.json"), "--set", "expect.retention_seconds=2",
                                "--set", "mock.retention=2s", "--set", "phases.0.samples=1",
                                "--set", "mock.faults=[\"early_expiry\"]"});
  EXPECT_EQ(run.process.exit_code, 1);
  EXPECT_EQ(run.Failed(), Strings{"SIG-RETAIN"}) << run.report;
}

TEST(RunAgainstMock, RestartWithEphemeralKeysVersusKeyFile) {
  const std::string restart = Shipped("restart.json");
  // Ephemeral keys: the address changes; stable_until_restart accepts it, re-attested.
  auto run = RunScenario({restart});
  EXPECT_EQ(run.process.exit_code, 0) << run.report;
  EXPECT_GT(run.Passed("ADDR-RESTART"), 0u);
  // A service that promises stable_across_restarts but forgets its key fails ADDR-RESTART.
  run = RunScenario({restart, "--set", "expect.address=stable_across_restarts"});
  EXPECT_EQ(run.process.exit_code, 1);
  EXPECT_EQ(run.Failed(), Strings{"ADDR-RESTART"}) << run.report;
  // With a key file the address survives the restart.
  testing::TempDir dir;
  run = RunScenario({restart, "--set", "expect.address=stable_across_restarts", "--set",
                     "mock.key_file=" + dir.path() + "/keys.json"});
  EXPECT_EQ(run.process.exit_code, 0) << run.report;
}

TEST(RunAgainstMock, ReplicasWithDifferentKeysAreDetected) {
  testing::TempDir dir;
  const std::string path = dir.Write("replicas.json", kFaultScenario);
  const auto run = RunScenario({path, "--set", "mock.replicas=2"});
  EXPECT_EQ(run.process.exit_code, 1);
  const Strings failed = run.Failed();
  EXPECT_NE(std::find(failed.begin(), failed.end(), "ADDR-STABLE"), failed.end());
  EXPECT_NE(run.report.find("replicas with different keys"), std::string::npos);
}

TEST(RunAgainstMock, ApiKeyFromTheEnvironmentIsUsedAndNeverPrinted) {
  testing::TempDir dir;
  const std::string key = "sk-teeharness-secret-4242";
  const std::string path = dir.Write("auth.json", R"({
    "name": "auth", "target": { "dialect": "phala", "api_key_env": "TEE_TEST_KEY" },
    "mock": { "api_key_env": "TEE_TEST_KEY" },
    "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4 },
    "phases": [ { "name": "chat", "flow": "verified_chat", "iterations": 4 },
                { "name": "negative", "flow": "negative" } ] })");
  const auto run = RunScenario({path}, {{"TEE_TEST_KEY", key}});
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_GT(run.Passed("ERR-SHAPE"), 0u);  // the missing-key probe got a shaped 401
  EXPECT_EQ(run.report.find(key), std::string::npos);
  EXPECT_EQ(run.process.out.find(key), std::string::npos);
  EXPECT_EQ(run.process.err.find(key), std::string::npos);
  // Without the variable the run refuses to start, naming the variable but no value.
  const auto missing = RunScenario({path});
  EXPECT_EQ(missing.process.exit_code, 2);
  EXPECT_NE(missing.process.err.find("TEE_TEST_KEY"), std::string::npos);
}

TEST(RunAgainstMock, ScenarioErrorsExitTwoWithFileLineColumn) {
  testing::TempDir dir;
  const std::string path =
      dir.Write("bad.json",
                "{\n  \"name\": \"bad\",\n  \"phases\": [\n    { \"name\": \"a\", "
                "\"flow\": \"attest\", \"concurrency\": 0, \"iterations\": 1 }\n  ]\n}\n");
  const auto run = RunScenario({path});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find(path + ":4:"), std::string::npos) << run.process.err;
  EXPECT_NE(run.process.err.find("phases/0/concurrency"), std::string::npos) << run.process.err;
  const std::string syntax = dir.Write("syntax.json", "{\n  \"name\": \"x\",\n  \"phases\": [\n}");
  const auto bad_syntax = RunScenario({syntax});
  EXPECT_EQ(bad_syntax.process.exit_code, 2);
  EXPECT_NE(bad_syntax.process.err.find(syntax + ":4:1"), std::string::npos)
      << bad_syntax.process.err;
}

TEST(RunAgainstMock, JunitAndTerminalReports) {
  testing::TempDir dir;
  const std::string junit = dir.path() + "/junit.xml";
  std::vector<std::string> args = {testing::TeeharnessBinary(), "run", Shipped("smoke.json"),
                                   "--junit", junit};
  for (const std::string& arg : testing::SignatureRaceOverrides(Shipped("smoke.json")))
    args.push_back(arg);
  const auto result = testing::RunProcess(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("SIG-RECOVER"), std::string::npos);
  EXPECT_NE(result.out.find("PASSED"), std::string::npos);
  const std::string xml = testing::ReadFileOrFail(junit);
  EXPECT_NE(xml.find("<testsuite name=\"smoke.chat\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("failures=\"0\""), std::string::npos);
}

}  // namespace
}  // namespace teeharness

namespace teeharness {
namespace {

TEST(RunAgainstMock, RetryAfterIsHonouredOnlyWhenAskedAndBounded) {
  testing::MockServer mock({"--fault", "error_429"});  // every answer: 429 with Retry-After: 1
  testing::TempDir dir;
  const std::string path = dir.Write("retry.json", R"({
    "name": "retry", "target": { "base_url": ")" + mock.url("") +
                                                       R"(" },
    "phases": [ { "name": "attest", "flow": "attest", "iterations": 1, "honor_retry_after": true } ] })");
  const auto start = std::chrono::steady_clock::now();
  auto run = testing::RunScenario({path});
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(run.errors["http_429"], 4u) << run.report;  // the first try and three retries
  EXPECT_GE(took, std::chrono::seconds(3));             // each waited the advertised second
  run = testing::RunScenario({path, "--set", "phases.0.honor_retry_after=false"});
  EXPECT_EQ(run.errors["http_429"], 1u);
}

}  // namespace
}  // namespace teeharness
