// `teeharness attest verify --report` on a report of the real mock process: the quote, every GPU
// and the dstack event log and compose are verified together, with the mock's served roots.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::HttpRequest;
using testing::MockServer;

const std::string kNonce(64, 'e');

// Every check's result by id, and the exit code, of `attest verify --report` on the mock's report.
std::map<std::string, std::string> VerifyMockReport(
    const std::vector<std::string>& mock_args, int* exit_code, rapidjson::Document* json = nullptr,
    const std::vector<std::string>& verify_args = {}, std::string* err = nullptr,
    bool with_rims = false) {
  MockServer mock(mock_args);
  EXPECT_TRUE(mock.started());
  testing::TempDir dir;
  const std::string report = dir.Write(
      "report.json", HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + kNonce)).body);
  const std::string root =
      dir.Write("root.pem", HttpRequest("GET", mock.url("/mock/pki/root.pem")).body);
  const std::string collateral =
      dir.Write("collateral.json", HttpRequest("GET", mock.url("/mock/pki/collateral.json")).body);
  const std::string gpu_root =
      dir.Write("nvidia.pem", HttpRequest("GET", mock.url("/mock/pki/nvidia-root.pem")).body);
  std::vector<std::string> args = {testing::TeeharnessBinary(),
                                   "attest",
                                   "verify",
                                   "--report",
                                   report,
                                   "--collateral",
                                   collateral,
                                   "--trust-root",
                                   root,
                                   "--gpu-trust-root",
                                   gpu_root,
                                   "--nonce",
                                   kNonce,
                                   "--json"};
  args.insert(args.end(), verify_args.begin(), verify_args.end());
  if (with_rims) {  // the RIMs the mock serves, to the RIM root it serves
    std::filesystem::create_directories(dir.path() + "/rims");
    for (const char* name : {"driver.swidtag", "vbios.swidtag"}) {
      dir.Write(std::string("rims/") + name,
                HttpRequest("GET", mock.url(std::string("/mock/pki/rims/") + name)).body);
    }
    args.insert(args.end(),
                {"--rims", dir.path() + "/rims", "--rim-trust-root",
                 dir.Write("rim-root.pem",
                           HttpRequest("GET", mock.url("/mock/pki/nvidia-rim-root.pem")).body)});
  }
  const testing::ProcessResult r = testing::RunProcess(args);
  *exit_code = r.exit_code;
  if (err != nullptr) *err = r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  std::map<std::string, std::string> results;
  if (doc.HasParseError() || !doc.HasMember("checks")) return results;
  for (const auto& c : doc["checks"].GetArray()) {
    results[c["id"].GetString()] = c["result"].GetString();
  }
  if (json != nullptr) json->Swap(doc);
  return results;
}

TEST(AttestReportHardware, TheMocksReportVerifiesQuoteGpusAndWorkload) {
  int exit_code = -1;
  rapidjson::Document json;
  std::map<std::string, std::string> r = VerifyMockReport({"--gpus", "4"}, &exit_code, &json);
  ASSERT_TRUE(json.IsObject());
  ASSERT_EQ(json["gpus"].Size(), 4u);
  EXPECT_EQ(json["gpus"][3]["index"].GetUint(), 3u);
  EXPECT_EQ(std::string(json["gpus"][0]["nonce"].GetString()), kNonce);
  EXPECT_STREQ(json["gpus"][0]["driver"].GetString(), "550.90.07");
  EXPECT_STREQ(json["gpus"][0]["vbios"].GetString(), "96.00.9F.00.01");
  EXPECT_EQ(json["gpus"][0]["checks"].Size(), 4u);
  EXPECT_STREQ(json["dstack"]["key_provider"].GetString(), "none");
  EXPECT_EQ(std::string(json["dstack"]["compose_hash"].GetString()).size(), 64u);
  EXPECT_EQ(std::string(json["dstack"]["instance_id"].GetString()).size(), 40u);
  for (const char* id : {"QUOTE-SIG", "QUOTE-CHAIN", "QUOTE-TCB", "GPU-SIG", "GPU-CHAIN",
                         "GPU-NONCE", "EVENTLOG-REPLAY", "COMPOSE-HASH", "NONCE-BIND"}) {
    EXPECT_EQ(r[id], "pass") << id;
  }
  EXPECT_EQ(r["GPU-MEASURE"], "skip");
  EXPECT_EQ(r["GPU-COUNT"], "skip");  // no expected count on the command line
  EXPECT_EQ(exit_code, 3);            // incomplete: skips, no failure
}

// --rims: the GPUs' measurements against the mock's signed RIMs; its fault fails GPU-MEASURE alone.
TEST(AttestReportHardware, RimsFromTheMockPassGpuMeasureAndItsFaultFailsIt) {
  int exit_code = -1;
  rapidjson::Document json;
  std::map<std::string, std::string> r =
      VerifyMockReport({"--gpus", "2"}, &exit_code, &json, {}, nullptr, /*with_rims=*/true);
  EXPECT_EQ(r["GPU-MEASURE"], "pass");
  ASSERT_TRUE(json.IsObject());
  EXPECT_EQ(json["gpus"][1]["rims"]["matched"].GetUint(), 8u);
  EXPECT_EQ(exit_code, 3);  // GPU-COUNT skipped, and GPU OCSP is never queried offline
  r = VerifyMockReport({"--gpus", "2", "--fault", "gpu_wrong_measurement"}, &exit_code, nullptr, {},
                       nullptr, /*with_rims=*/true);
  EXPECT_EQ(r["GPU-MEASURE"], "fail");
  EXPECT_EQ(r["GPU-SIG"], "pass");
  EXPECT_EQ(exit_code, 1);
}

// NEAR 2026: one attestation of the envelope at a time, the model TEE's with its GPUs, the
// gateway's (a CPU-only TEE) with its GPU checks skipped; without a choice, a usage error naming
// the choices.
TEST(AttestReportHardware, Near2026VerifiesTheChosenAttestation) {
  int exit_code = -1;
  std::map<std::string, std::string> model = VerifyMockReport(
      {"--dialect", "near"}, &exit_code, nullptr, {"--dialect", "near", "--attestation", "model"});
  for (const char* id : {"QUOTE-SIG", "QUOTE-CHAIN", "GPU-SIG", "GPU-NONCE", "EVENTLOG-REPLAY",
                         "COMPOSE-HASH", "NONCE-BIND", "ATTEST-BIND", "ATTEST-SCHEMA"}) {
    EXPECT_EQ(model[id], "pass") << id;
  }
  EXPECT_EQ(exit_code, 3);  // GPU-MEASURE, GPU-COUNT skipped
  std::map<std::string, std::string> gateway =
      VerifyMockReport({"--dialect", "near"}, &exit_code, nullptr,
                       {"--dialect", "near", "--attestation", "gateway"});
  for (const char* id : {"QUOTE-SIG", "EVENTLOG-REPLAY", "NONCE-BIND", "ATTEST-BIND"}) {
    EXPECT_EQ(gateway[id], "pass") << id;
  }
  EXPECT_EQ(gateway["GPU-SIG"], "skip");  // CPU-only
  std::string err;
  VerifyMockReport({"--dialect", "near"}, &exit_code, nullptr, {"--dialect", "near"}, &err);
  EXPECT_EQ(exit_code, 2);
  EXPECT_NE(err.find("choose one with --attestation gateway or model:0"), std::string::npos) << err;
  VerifyMockReport({"--dialect", "near"}, &exit_code, nullptr,
                   {"--dialect", "near", "--attestation", "model:3"}, &err);
  EXPECT_EQ(exit_code, 2);
  EXPECT_NE(err.find("holds 1 model attestation(s)"), std::string::npos) << err;
}

TEST(AttestReportHardware, FaultsFailTheirChecks) {
  const std::pair<const char*, const char*> matrix[] = {{"gpu_wrong_nonce", "GPU-NONCE"},
                                                        {"event_log_mismatch", "EVENTLOG-REPLAY"},
                                                        {"compose_mismatch", "COMPOSE-HASH"}};
  for (const auto& [fault, check] : matrix) {
    int exit_code = -1;
    std::map<std::string, std::string> r = VerifyMockReport({"--fault", fault}, &exit_code);
    EXPECT_EQ(exit_code, 1) << fault;
    for (const auto& [id, result] : r) {
      EXPECT_EQ(result, id == check ? "fail" : (result == "skip" ? "skip" : "pass"))
          << fault << " " << id;
    }
    EXPECT_EQ(r[check], "fail") << fault;
  }
}

}  // namespace
}  // namespace teeharness
