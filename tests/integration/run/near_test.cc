// `teeharness run` in the near dialect against the built-in mock in NEAR's 2026 shape: every
// attestation of a response (the gateway's and the model TEE's) is checked on its own; each
// signature_kind is checked against its own attested key; 200 error_code answers are their own
// failure kinds; the report endpoint's 401 is a negative case; the 2025 shape still passes.
#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/run_report.h"

namespace teeharness {
namespace {

using testing::RunScenario;
using Strings = std::vector<std::string>;

// 3 attestations (each a gateway and a model attestation), then 6 verified chats.
constexpr const char* kNearScenario = R"({
  "name": "near-2026",
  "target": { "dialect": "near", "model": "org/model-1" },
  "expect": { "signature_ready_ms": 2000 },
  "mock": { "dialect": "near" },
  "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4, "stream": true },
  "phases": [
    { "name": "attest", "flow": "attest", "iterations": 3 },
    { "name": "chat", "flow": "verified_chat", "iterations": 6, "concurrency": 2 },
    { "name": "negative", "flow": "negative" }
  ]
})";

testing::RunOutcome RunNear(const Strings& sets,
                            const std::map<std::string, std::string>& env = {}) {
  testing::TempDir dir;
  Strings args = {dir.Write("near.json", kNearScenario)};
  for (const std::string& set : sets) args.insert(args.end(), {"--set", set});
  return RunScenario(args, env);
}

uint64_t Failures(const testing::RunOutcome& run, const std::string& id) {
  const auto it = run.checks.find(id);
  return it == run.checks.end() ? 0 : it->second.second;
}

TEST(Near2026, EveryAttestationOfTheResponseIsChecked) {
  const auto run = RunNear({});
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_TRUE(run.Failed().empty()) << run.report;
  for (const char* id : {"ATTEST-SCHEMA", "NONCE-ECHO", "NONCE-BIND", "ATTEST-BIND"}) {
    EXPECT_EQ(run.Passed(id), 6u) << id;  // 3 responses x (gateway + model)
  }
  EXPECT_EQ(run.Passed("SIG-ADDRESS"), 6u);
  // The same scenario in NEAR's 2025 flat shape: one attestation per response.
  const auto flat = RunNear({"mock.near_version=2025"});
  EXPECT_EQ(flat.process.exit_code, 0) << flat.report;
  EXPECT_EQ(flat.Passed("ATTEST-BIND"), 3u);
  EXPECT_EQ(flat.Passed("SIG-ADDRESS"), 6u);
}

// Each kind verifies against its own attested key (provider_tee: the model attestation over
// model:req:resp; gateway: the gateway attestation over req:resp), with either algorithm.
TEST(Near2026, BothSignatureKindsPassAgainstTheirAttestedKeys) {
  for (const Strings& sets :
       {Strings{"mock.signature_kind=provider_tee"}, Strings{"mock.signature_kind=gateway"},
        Strings{"mock.signature_kind=alternate"},
        Strings{"mock.signature_kind=alternate", "target.signing_algo=ed25519"}}) {
    const auto run = RunNear(sets);
    EXPECT_EQ(run.process.exit_code, 0) << sets.back() << run.report;
    EXPECT_TRUE(run.Failed().empty()) << sets.back() << run.report;
    EXPECT_EQ(run.Passed("SIG-TEXT"), 6u) << sets.back();
    EXPECT_EQ(run.Passed("SIG-ADDRESS"), 6u) << sets.back();
  }
}

struct NearFault {
  std::string fault;
  Strings failed;        // exactly these checks fail
  std::string evidence;  // and their evidence names the attestation
  std::string error;     // this error kind is counted ("" = none)
};

void PrintTo(const NearFault& c, std::ostream* os) { *os << c.fault; }

class Near2026Faults : public ::testing::TestWithParam<NearFault> {};

TEST_P(Near2026Faults, FailOnlyTheirCheckOnTheirAttestation) {
  const NearFault& c = GetParam();
  const auto run = RunNear({"mock.faults=[\"" + c.fault + "\"]"});
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  EXPECT_EQ(run.Failed(), c.failed) << run.report;
  EXPECT_NE(run.report.find(c.evidence), std::string::npos) << run.report;
  if (!c.error.empty()) {
    EXPECT_EQ(run.errors.count(c.error) ? run.errors.at(c.error) : 0, 6u) << run.report;
    EXPECT_EQ(run.Passed("SIG-ADDRESS"), 0u);  // never a pass
    EXPECT_EQ(run.Passed("SIG-READY"), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, Near2026Faults,
    ::testing::Values(
        // The gateway's quote binds another key: the gateway fails, the model attestations pass.
        NearFault{"gateway_wrong_binding", {"ATTEST-BIND"}, "gateway_attestation: nonce ", ""},
        // The model TEE echoes another nonce: only the model attestations fail.
        NearFault{"nonce_not_echoed", {"NONCE-ECHO"}, "model_attestations[0]: sent ", ""},
        // A row signed by the gateway's key but labelled provider_tee: checked against the model
        // attestation's key, it fails.
        NearFault{"wrong_signature_kind", {"SIG-ADDRESS"}, "(model_attestations[0])", ""},
        NearFault{"stream_disconnected",
                  {"SIG-READY"},
                  "error_code STREAM_DISCONNECTED",
                  "stream_disconnected"},
        NearFault{"signature_unsupported",
                  {"SIG-READY"},
                  "error_code SIGNATURE_UNSUPPORTED",
                  "signature_unsupported"}),
    [](const auto& info) { return info.param.fault; });

TEST(Near2026, HalfOfEachAttestationFailsWhereTheFaultIs) {
  const auto gateway = RunNear({"mock.faults=[\"gateway_wrong_binding\"]"});
  EXPECT_EQ(gateway.Passed("ATTEST-BIND"), 3u);  // the model attestations
  EXPECT_EQ(Failures(gateway, "ATTEST-BIND"), 3u);
}

// The other direction: rows signed by the model key but labelled gateway fail against the
// gateway's.
TEST(Near2026, MislabelledGatewayRowsFailAgainstTheGatewayKey) {
  const auto run =
      RunNear({"mock.signature_kind=gateway", "mock.faults=[\"wrong_signature_kind\"]"});
  EXPECT_EQ(run.process.exit_code, 1);
  EXPECT_EQ(run.Failed(), Strings{"SIG-ADDRESS"}) << run.report;
  EXPECT_NE(run.report.find("(gateway_attestation)"), std::string::npos) << run.report;
  EXPECT_EQ(run.Passed("SIG-TEXT"), 6u);  // the two-part text the label implies
}

// The report endpoint wants the key: without it, a 401 in the dialect's error shape.
TEST(Near2026, ReportWithoutTheApiKeyIsANegativeCase) {
  const std::map<std::string, std::string> env = {{"NEAR_RUN_TEST_KEY", "k-near-123"}};
  const auto run =
      RunNear({"target.api_key_env=NEAR_RUN_TEST_KEY", "mock.api_key_env=NEAR_RUN_TEST_KEY"}, env);
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_TRUE(run.Failed().empty()) << run.report;
  // 4 nonce rejects, bad signing_algo, unknown id, chat without the key, report without the key.
  EXPECT_EQ(run.Passed("ERR-SHAPE"), 8u) << run.report;
  EXPECT_EQ(run.report.find("k-near-123"), std::string::npos);
  const auto without_key = RunNear({});
  EXPECT_EQ(without_key.Passed("ERR-SHAPE"), 6u);
}

}  // namespace
}  // namespace teeharness
