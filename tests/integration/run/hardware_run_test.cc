// Quote verification inside `teeharness run`: every report's quote against the trust the scenario
// gives, the built-in mock trusted only when the harness started it, policy from the scenario, and
// attestation.verify false as visible skips.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mocks/pki/rim_writer.h"
#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/mock_trust.h"
#include "tests/support/paths.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::QuoteCheckIds;
using testing::ReportCheckIds;
using testing::RunScenario;
using testing::TrustMockRoots;

constexpr const char* kScenario = R"({
  "name": "hardware",
  "target": { "dialect": "phala" },
  "expect": { "signature_ready_ms": 2000 },
  "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4 },
  "phases": [
    { "name": "attest", "flow": "attest", "iterations": 3 },
    { "name": "chat", "flow": "verified_chat", "iterations": 2 }
  ]
})";

// The terminal summary of a run (RunScenario runs --quiet).
std::string Terminal(std::vector<std::string> args) {
  args.insert(args.begin(), {testing::TeeharnessBinary(), "run"});
  return testing::RunProcess(args).out;
}

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  return doc;
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(HardwareRun, BuiltinMockQuotesPassEveryHardwareCheckAndAreSummarised) {
  testing::TempDir dir;
  const auto run = RunScenario({dir.Write("s.json", kScenario)});
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  for (const std::string& id : QuoteCheckIds()) {
    EXPECT_EQ(run.Passed(id), 3u) << id << run.report;  // one report per attestation
    EXPECT_EQ(run.Skipped(id), 0u) << id;
  }
  const rapidjson::Document doc = Json(run.report);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("attestation")) << run.report;
  const auto& a = doc["attestation"];
  EXPECT_TRUE(a["verify"].GetBool());
  EXPECT_EQ(a["quotes_verified"].GetUint64(), 3u);
  EXPECT_EQ(a["verdicts"]["valid"].GetUint64(), 3u);
  EXPECT_EQ(a["tcb_status"]["UpToDate"].GetUint64(), 3u);
  EXPECT_EQ(std::string(a["fmspc"][0].GetString()), "00906ed50000");
  // The measurements the quotes carried: the mock image's, one set, in every quote.
  ASSERT_EQ(a["measurements"].Size(), 1u) << run.report;
  EXPECT_EQ(a["measurements"][0]["quotes"].GetUint64(), 3u);
  EXPECT_EQ(std::string(a["measurements"][0]["mrtd"].GetString()).size(), 96u);
  EXPECT_EQ(std::string(a["measurements"][0]["rtmr3"].GetString()).size(), 96u);
  EXPECT_NE(std::string(a["trust_root"].GetString()).find("teeharness mock SGX Root CA"),
            std::string::npos);
  const auto shown = Terminal({dir.path() + "/s.json"});
  EXPECT_NE(shown.find("quotes verified 3 (valid 3); TCB UpToDate 3"), std::string::npos) << shown;
}

TEST(HardwareRun, OutOfDateTcbPassesOnlyWhenTheScenarioAcceptsIt) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const auto strict = RunScenario({path, "--set", "mock.faults=[\"tcb_out_of_date\"]"});
  EXPECT_EQ(strict.process.exit_code, 1);
  EXPECT_EQ(strict.Failed(), std::vector<std::string>{"QUOTE-TCB"}) << strict.report;
  EXPECT_NE(strict.report.find("OutOfDate"), std::string::npos);
  const auto relaxed = RunScenario({path, "--set", "mock.faults=[\"tcb_out_of_date\"]", "--set",
                                    "expect.tcb_status=[\"UpToDate\",\"OutOfDate\"]"});
  EXPECT_EQ(relaxed.process.exit_code, 0) << relaxed.report;
  EXPECT_EQ(relaxed.Passed("QUOTE-TCB"), 3u);
  EXPECT_NE(relaxed.report.find("\"OutOfDate\": 3"), std::string::npos) << relaxed.report;
}

// NEAR 2026: the gateway's and the model's quotes are both verified; a quote fault fails its check
// in both, and nothing else.
TEST(HardwareRun, Near2026VerifiesTheGatewayAndTheModelQuote) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const auto healthy = RunScenario({path, "--set", "target.dialect=near"});
  EXPECT_EQ(healthy.process.exit_code, 0) << healthy.process.err << healthy.report;
  for (const std::string& id : QuoteCheckIds()) {
    EXPECT_EQ(healthy.Passed(id), 6u) << id << healthy.report;  // 3 responses x 2 attestations
  }
  // Both TEEs' event logs replay (the gateway's comes as a string holding JSON); only the model
  // TEE has GPUs: the gateway's GPU checks are skipped, saying it is CPU-only.
  EXPECT_EQ(healthy.Passed("EVENTLOG-REPLAY"), 6u) << healthy.report;
  EXPECT_EQ(healthy.Passed("COMPOSE-HASH"), 6u);
  EXPECT_EQ(healthy.Passed("GPU-SIG"), 3u);
  EXPECT_EQ(healthy.Skipped("GPU-SIG"), 3u);
  EXPECT_NE(healthy.report.find("a CPU-only attestation"), std::string::npos);
  // The JSON names the keys: the gateway's, the model TEE's, and which one the chats bind to.
  const rapidjson::Document doc = Json(healthy.report);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("identity")) << healthy.report;
  const auto& identity = doc["identity"];
  EXPECT_FALSE(std::string(identity["gateway_address"].GetString()).empty());
  ASSERT_EQ(identity["model_addresses"].Size(), 1u);
  EXPECT_STREQ(identity["signing_address"].GetString(), identity["model_addresses"][0].GetString());
  EXPECT_EQ(doc["signing_address_changes"].GetUint64(), 0u);
  const auto faulty = RunScenario(
      {path, "--set", "target.dialect=near", "--set", "mock.faults=[\"quote_bad_signature\"]"});
  EXPECT_EQ(faulty.process.exit_code, 1);
  EXPECT_EQ(faulty.Failed(), std::vector<std::string>{"QUOTE-SIG"}) << faulty.report;
  EXPECT_EQ(faulty.checks.at("QUOTE-SIG").second, 6u);
  EXPECT_NE(faulty.report.find("gateway_attestation: attestation (nonce"), std::string::npos);
}

TEST(HardwareRun, ScenarioPinsReplaceTheMockReference) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const auto run =
      RunScenario({path, "--set", "expect.tdx.mrtd=" + std::string(96, '0')});  // not the image
  EXPECT_EQ(run.process.exit_code, 1);
  EXPECT_EQ(run.Failed(), std::vector<std::string>{"TD-MEASURE"}) << run.report;
}

TEST(HardwareRun, VerifyFalseSkipsEveryHardwareCheckVisibly) {
  testing::TempDir dir;
  const auto run =
      RunScenario({dir.Write("s.json", kScenario), "--set", "attestation.verify=false"});
  EXPECT_EQ(run.process.exit_code, 0) << run.report;  // skips alone do not fail a run
  for (const std::string& id : Concat(QuoteCheckIds(), ReportCheckIds())) {
    EXPECT_EQ(run.Passed(id), 0u) << id;
    EXPECT_EQ(run.Skipped(id), 3u) << id;
  }
  EXPECT_NE(run.report.find("disabled by the scenario"), std::string::npos);
  const auto shown = Terminal({dir.path() + "/s.json", "--set", "attestation.verify=false"});
  EXPECT_NE(shown.find("hardware NOT verified"), std::string::npos) << shown;
}

// Against a target the harness did not start, the mock's root is not trusted: its quotes fail
// QUOTE-CHAIN against Intel's root, and pass once the scenario names the root and the collateral.
TEST(HardwareRun, OtherTargetsAreTrustedOnlyWithTheScenarioRoots) {
  testing::MockServer mock({"--dialect", "phala"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const auto untrusted = RunScenario({path, "--target", mock.url("")});
  EXPECT_EQ(untrusted.process.exit_code, 1);
  EXPECT_GT(untrusted.checks.at("QUOTE-CHAIN").second, 0u) << untrusted.report;
  EXPECT_NE(untrusted.report.find("Intel SGX Root CA"), std::string::npos);
  EXPECT_GT(untrusted.Skipped("QUOTE-TCB"), 0u);  // no collateral was given
  // The mock's GPUs are not NVIDIA's either.
  EXPECT_GT(untrusted.checks.at("GPU-CHAIN").second, 0u) << untrusted.report;
  EXPECT_NE(untrusted.report.find("NVIDIA Device Identity CA"), std::string::npos);

  const std::string collateral = dir.Write(
      "collateral.json", testing::HttpRequest("GET", mock.url("/mock/pki/collateral.json")).body);
  const auto trusted = RunScenario(Concat(
      {path, "--target", mock.url(""), "--collateral", collateral}, TrustMockRoots(mock, dir)));
  EXPECT_EQ(trusted.process.exit_code, 0) << trusted.process.err << trusted.report;
  for (const char* id :
       {"QUOTE-FORMAT", "QUOTE-SIG", "QUOTE-CHAIN", "QUOTE-QE", "QUOTE-TCB", "TD-ATTR", "GPU-SIG",
        "GPU-CHAIN", "GPU-NONCE", "EVENTLOG-REPLAY", "COMPOSE-HASH"}) {
    EXPECT_EQ(trusted.Passed(id), 3u) << id << trusted.report;
  }
  // No pin was given and the mock's reference is not trusted from a target the harness did not
  // start: TD-MEASURE is skipped, saying so.
  EXPECT_EQ(trusted.Skipped("TD-MEASURE"), 3u);
}

// Collateral from a PCS URL (the mock's PCS routes): fetched over HTTP once before the first phase,
// kept in $XDG_CACHE_HOME/teeharness/collateral, and read from there by the next run.
TEST(HardwareRun, CollateralFetchedFromAPcsThenFromTheDiskCache) {
  testing::MockServer mock({"--dialect", "phala"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const std::vector<std::string> args = Concat(
      {path, "--target", mock.url(""), "--collateral", mock.url("")}, TrustMockRoots(mock, dir));
  const std::map<std::string, std::string> env = {{"XDG_CACHE_HOME", dir.path() + "/cache"}};
  for (const bool from_cache : {false, true}) {
    const auto run = RunScenario(args, env);
    EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
    EXPECT_EQ(run.Passed("QUOTE-TCB"), 3u) << run.report;
    EXPECT_EQ(run.Skipped("QUOTE-TCB"), 0u) << run.report;
    const rapidjson::Document doc = Json(run.report);
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("attestation"));
    EXPECT_EQ(doc["attestation"]["collateral_fetches"].GetUint64(), from_cache ? 0u : 1u);
    EXPECT_EQ(doc["attestation"]["collateral_disk_hits"].GetUint64(), from_cache ? 1u : 0u);
  }
}

// A PCS that cannot serve the platform: QUOTE-TCB is skipped naming the URL and status, never
// passed, and the run goes on.
TEST(HardwareRun, CollateralFetchFailureSkipsTheTcbCheckNamingTheUrl) {
  testing::MockServer mock({"--dialect", "phala"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const auto run = RunScenario(Concat({dir.Write("s.json", kScenario), "--target", mock.url(""),
                                       "--collateral", mock.url("/nothing-here")},
                                      TrustMockRoots(mock, dir)),
                               {{"XDG_CACHE_HOME", dir.path() + "/cache"}});
  EXPECT_EQ(run.process.exit_code, 0) << run.report;  // skips alone do not fail the run
  EXPECT_EQ(run.Passed("QUOTE-TCB"), 0u);
  EXPECT_EQ(run.Skipped("QUOTE-TCB"), 3u);
  EXPECT_NE(run.report.find("collateral unavailable: GET " + mock.url("/nothing-here")),
            std::string::npos)
      << run.report;
  EXPECT_NE(run.report.find("404"), std::string::npos);
}

// Issue 12's conformance run: 8 mock GPUs per report, every GPU and dstack check passing and none
// skipped (GPU-MEASURE against the mock's own signed RIMs), and what the reports showed in the
// JSON summary.
TEST(HardwareRun, EightGpusPassEveryGpuAndDstackCheck) {
  testing::TempDir dir;
  const auto run = RunScenario(
      {dir.Write("s.json", kScenario), "--set", "mock.gpus=8", "--set", "expect.gpus=8"});
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  for (const std::string& id : ReportCheckIds()) {
    EXPECT_EQ(run.Passed(id), 3u) << id << run.report;
    EXPECT_EQ(run.Skipped(id), 0u) << id << run.report;
  }
  const rapidjson::Document doc = Json(run.report);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("attestation")) << run.report;
  const auto& gpus = doc["attestation"]["gpus"];
  EXPECT_EQ(gpus["reports"].GetUint64(), 3u);
  ASSERT_TRUE(gpus["rims"].IsString()) << run.report;
  EXPECT_EQ(std::string(gpus["rims"].GetString()),
            "the built-in mock's /mock/pki/rims/: 2 RIM(s): driver 550.90.07, VBIOS "
            "96.00.9F.00.01");
  EXPECT_NE(std::string(gpus["trust_root"].GetString()).find("mock NVIDIA Device Identity CA"),
            std::string::npos);
  ASSERT_EQ(gpus["firmware"].Size(), 1u) << run.report;
  EXPECT_EQ(gpus["firmware"][0]["evidences"].GetUint64(), 24u);
  EXPECT_FALSE(std::string(gpus["firmware"][0]["driver"].GetString()).empty());
  const auto& apps = doc["attestation"]["dstack"]["apps"];
  ASSERT_EQ(apps.Size(), 1u) << run.report;
  EXPECT_EQ(apps[0]["reports"].GetUint64(), 3u);
  EXPECT_EQ(std::string(apps[0]["compose_hash"].GetString()).size(), 64u);
  EXPECT_EQ(doc["attestation"]["dstack"]["verdicts"]["valid"].GetUint64(), 3u);
}

// Each of the mock's GPU and dstack faults fails exactly its check, report after report.
TEST(HardwareRun, EachGpuAndDstackFaultFailsExactlyItsCheck) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const std::vector<std::pair<std::string, std::string>> faults = {
      {"gpu_bad_signature", "GPU-SIG"},          {"gpu_wrong_nonce", "GPU-NONCE"},
      {"gpu_untrusted_chain", "GPU-CHAIN"},      {"gpu_wrong_measurement", "GPU-MEASURE"},
      {"event_log_mismatch", "EVENTLOG-REPLAY"}, {"compose_mismatch", "COMPOSE-HASH"}};
  for (const auto& [fault, check] : faults) {
    const auto run = RunScenario({path, "--set", "mock.faults=[\"" + fault + "\"]"});
    EXPECT_EQ(run.process.exit_code, 1) << fault;
    EXPECT_EQ(run.Failed(), std::vector<std::string>{check}) << fault << run.report;
    EXPECT_EQ(run.checks.at(check).second, 3u) << fault;  // every report
  }
}

// expect.gpus and expect.dstack hold every report: a wrong count fails GPU-COUNT, a wrong pin
// COMPOSE-HASH naming the field; a RIM folder that does not exist is the user's error.
TEST(HardwareRun, GpuCountAndDstackPinsFromTheScenario) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const auto count = RunScenario({path, "--set", "mock.gpus=2", "--set", "expect.gpus=8"});
  EXPECT_EQ(count.Failed(), std::vector<std::string>{"GPU-COUNT"}) << count.report;
  const auto pin = RunScenario({path, "--set", "expect.dstack={\"key_provider\":\"kms\"}"});
  EXPECT_EQ(pin.Failed(), std::vector<std::string>{"COMPOSE-HASH"}) << pin.report;
  EXPECT_NE(pin.report.find("expect.dstack pins kms"), std::string::npos) << pin.report;
  const auto rims = RunScenario({path, "--set", "expect.gpu_rims=/nonexistent/rims"});
  EXPECT_EQ(rims.process.exit_code, 2);
  EXPECT_NE(rims.process.err.find("expect/gpu_rims: not a folder"), std::string::npos)
      << rims.process.err;
}

// expect.gpu_rims: a folder of RIMs signed by a RIM root the scenario names. The mock's GPUs
// measure the same for every mock process, so RIMs this test signs with its own RIM PKI hold them.
TEST(HardwareRun, ScenarioRimsAreVerifiedAtStartAndCompared) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", kScenario);
  const mocks::pki::MockGpuPki pki = *mocks::pki::MockGpuPki::Create();
  const mocks::pki::MockRims rims = *mocks::pki::BuildMockRims(pki);
  const std::string root = dir.Write("rim-root.pem", pki.RimRootPem());
  const std::string roots = "attestation.gpu_rim_trust_roots=[\"" + root + "\"]";
  std::filesystem::create_directories(dir.path() + "/rims");
  dir.Write("rims/driver.swidtag", rims.driver);
  dir.Write("rims/vbios.swidtag", rims.vbios);
  const std::string folder = "expect.gpu_rims=" + dir.path() + "/rims";
  const auto good = RunScenario({path, "--set", folder, "--set", roots});
  EXPECT_EQ(good.process.exit_code, 0) << good.process.err << good.report;
  EXPECT_EQ(good.Passed("GPU-MEASURE"), 3u) << good.report;
  // Without a RIM root: a usage error saying one is needed.
  const auto rootless = RunScenario({path, "--set", folder});
  EXPECT_EQ(rootless.process.exit_code, 2);
  EXPECT_NE(rootless.process.err.find("needs a RIM trust root"), std::string::npos)
      << rootless.process.err;
  // Only the driver RIM: GPU-MEASURE fails naming the VBIOS version and the folder.
  std::filesystem::remove(dir.path() + "/rims/vbios.swidtag");
  const auto partial = RunScenario({path, "--set", folder, "--set", roots});
  EXPECT_EQ(partial.process.exit_code, 1);
  EXPECT_EQ(partial.Failed(), std::vector<std::string>{"GPU-MEASURE"}) << partial.report;
  EXPECT_NE(partial.report.find("no VBIOS RIM for VBIOS 96.00.9F.00.01: 1 RIM(s) in"),
            std::string::npos)
      << partial.report;
  // A RIM whose signed content was edited: a usage error naming the file and why.
  std::string edited = rims.vbios;
  edited.replace(edited.find("active=\"True\""), 13, "active=\"False\"");
  dir.Write("rims/vbios.swidtag", edited);
  const auto bad = RunScenario({path, "--set", folder, "--set", roots});
  EXPECT_EQ(bad.process.exit_code, 2);
  EXPECT_NE(bad.process.err.find("vbios.swidtag: the sha384 digest"), std::string::npos)
      << bad.process.err;
}

TEST(HardwareRun, UnreadableTrustRootIsAUsageError) {
  testing::TempDir dir;
  const auto run = RunScenario({dir.Write("s.json", kScenario), "--set",
                                "attestation.trust_roots=[\"/nonexistent/root.pem\"]"});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find("attestation.trust_roots: cannot read /nonexistent/root.pem"),
            std::string::npos)
      << run.process.err;
}

}  // namespace
}  // namespace teeharness
