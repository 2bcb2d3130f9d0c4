// `teeharness attest gpu` as users and other tools run it: the real binary on the real H100
// evidence, the exit codes and the stable --json object.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>

#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "mocks/gpu_evidence.h"
#include "mocks/pki/rim_writer.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::ProcessResult;
using testing::RunProcess;
using testing::TeeharnessBinary;
using testing::VectorsDir;

const std::string kNonce = "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb";

std::string Gpu(const std::string& name) { return VectorsDir() + "/attestation/gpu/" + name; }

ProcessResult AttestGpu(std::vector<std::string> args) {
  args.insert(args.begin(), {TeeharnessBinary(), "attest", "gpu"});
  return RunProcess(args);
}

std::vector<std::string> Args(const std::string& evidence, const std::string& chain,
                              const std::string& nonce = kNonce) {
  return {"--evidence", evidence, "--certchain", chain,
          "--nonce",    nonce,    "--at",        "2025-01-01T00:00:00Z"};
}

std::string ResultOf(const rapidjson::Document& doc, const std::string& id) {
  for (const auto& check : doc["checks"].GetArray()) {
    if (id == check["id"].GetString()) return check["result"].GetString();
  }
  return "missing";
}

TEST(AttestGpuCli, TheRealH100EvidenceVerifiesAndIsIncompleteWithoutRims) {
  std::vector<std::string> args =
      Args(Gpu("nvtrust-h100.evidence.hex"), Gpu("nvtrust-h100.certchain.pem"));
  args.push_back("--json");
  const ProcessResult r = AttestGpu(args);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_STREQ(doc["verdict"].GetString(), "incomplete");
  EXPECT_EQ(ResultOf(doc, "GPU-SIG"), "pass");
  EXPECT_EQ(ResultOf(doc, "GPU-CHAIN"), "pass");
  EXPECT_EQ(ResultOf(doc, "GPU-NONCE"), "pass");
  EXPECT_EQ(ResultOf(doc, "GPU-MEASURE"), "skip");
  ASSERT_EQ(doc["gpus"].Size(), 1u);
  const auto& gpu = doc["gpus"][0];
  EXPECT_EQ(gpu["index"].GetUint(), 0u);
  EXPECT_EQ(std::string(gpu["nonce"].GetString()), kNonce);
  EXPECT_STREQ(gpu["driver"].GetString(), "550.90.07");
  EXPECT_STREQ(gpu["vbios"].GetString(), "96.00.9F.00.01");
  EXPECT_EQ(gpu["checks"].Size(), 4u);
}

TEST(AttestGpuCli, RawAndBase64EvidenceAndBase64ChainAreDetected) {
  const std::string hex = testing::ReadFileOrFail(Gpu("nvtrust-h100.evidence.hex"));
  const crypto::Bytes raw = *crypto::DecodeHex(hex.substr(0, hex.find_last_not_of("\r\n") + 1));
  const std::string chain = testing::ReadFileOrFail(Gpu("nvtrust-h100.certchain.pem"));
  testing::TempDir dir;
  const std::string raw_file = dir.Write("e.bin", std::string(raw.begin(), raw.end()));
  const std::string b64_file = dir.Write("e.b64", crypto::EncodeBase64(raw) + "\n");
  const std::string b64_hex = dir.Write("h.b64", crypto::EncodeBase64(crypto::AsBytes(hex)));
  const std::string chain_b64 = dir.Write("c.b64", crypto::EncodeBase64(crypto::AsBytes(chain)));
  for (const std::string& evidence : {raw_file, b64_file, b64_hex}) {
    const ProcessResult r = AttestGpu(Args(evidence, chain_b64));
    EXPECT_EQ(r.exit_code, 3) << evidence << r.out << r.err;
    EXPECT_NE(r.out.find("GPU-SIG      pass"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("driver 550.90.07, vbios 96.00.9F.00.01, 64 measurement blocks"),
              std::string::npos)
        << r.out;
  }
}

TEST(AttestGpuCli, RejectionsExitOne) {
  // Another nonce: GPU-NONCE fails.
  ProcessResult r = AttestGpu(Args(Gpu("nvtrust-h100.evidence.hex"),
                                   Gpu("nvtrust-h100.certchain.pem"), std::string(64, 'a')));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("GPU-NONCE    fail"), std::string::npos) << r.out;
  // The Intel root as the trust anchor: GPU-CHAIN fails.
  std::vector<std::string> args =
      Args(Gpu("nvtrust-h100.evidence.hex"), Gpu("nvtrust-h100.certchain.pem"));
  args.insert(args.end(),
              {"--trust-root", VectorsDir() + "/attestation/roots/intel-sgx-root-ca.pem"});
  r = AttestGpu(args);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("GPU-CHAIN    fail"), std::string::npos) << r.out;
  // Malformed evidence from a server is a rejection, not a usage error.
  testing::TempDir dir;
  r = AttestGpu(Args(dir.Write("junk", "11e0ff"), Gpu("nvtrust-h100.certchain.pem")));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("offset 0"), std::string::npos) << r.out;
}

// --rims: mock evidence and RIMs signed in the test (the writer the mock serves its RIMs with).
class AttestGpuRims : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.path() + "/rims");
    dir_.Write("rims/driver.swidtag", rims_.driver);
    dir_.Write("rims/vbios.swidtag", rims_.vbios);
    root_ = dir_.Write("rim-root.pem", pki_.RimRootPem());
    chain_ = dir_.Write("chain.pem", pki_.ChainPem());
  }
  std::vector<std::string> Args(const mocks::GpuFaults& faults, std::vector<std::string> more) {
    const mocks::MockGpuEvidence e =
        mocks::BuildGpuEvidence(pki_, 0, *crypto::DecodeHex(kNonce), faults);
    const std::string evidence =
        dir_.Write("evidence.bin", std::string(e.evidence.begin(), e.evidence.end()));
    std::vector<std::string> args = {"--evidence",   evidence,
                                     "--certchain",  chain_,
                                     "--nonce",      kNonce,
                                     "--at",         "2025-01-01T00:00:00Z",
                                     "--trust-root", dir_.Write("root.pem", pki_.RootPem())};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  testing::TempDir dir_;
  mocks::pki::MockGpuPki pki_ = *mocks::pki::MockGpuPki::Create();
  mocks::pki::MockRims rims_ = *mocks::pki::BuildMockRims(pki_);
  std::string root_, chain_;
};

TEST_F(AttestGpuRims, MatchingMeasurementsPassButOcspKeepsItIncomplete) {
  const ProcessResult r =
      AttestGpu(Args({}, {"--rims", dir_.path() + "/rims", "--rim-trust-root", root_, "--json"}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_STREQ(doc["verdict"].GetString(), "incomplete");
  for (const char* id : {"GPU-SIG", "GPU-CHAIN", "GPU-NONCE", "GPU-MEASURE"}) {
    EXPECT_EQ(ResultOf(doc, id), "pass") << id << r.out;
  }
  EXPECT_NE(std::string(doc["revocation"].GetString()).find("OCSP"), std::string::npos);
  const auto& rims = doc["gpus"][0]["rims"];
  ASSERT_TRUE(rims.IsObject()) << r.out;
  EXPECT_STREQ(rims["driver"]["version"].GetString(), "550.90.07");
  EXPECT_STREQ(rims["driver"]["file"].GetString(), "driver.swidtag");
  EXPECT_STREQ(rims["vbios"]["tag_id"].GetString(), "teeharness-mock-vbios-96.00.9F.00.01");
  EXPECT_EQ(rims["matched"].GetUint(), 8u);
  EXPECT_EQ(rims["mismatched"].GetUint(), 0u);
}

TEST_F(AttestGpuRims, AWrongMeasurementOrAMissingVersionIsRejected) {
  mocks::GpuFaults wrong;
  wrong.wrong_measurement = true;
  ProcessResult r =
      AttestGpu(Args(wrong, {"--rims", dir_.path() + "/rims", "--rim-trust-root", root_}));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("GPU-MEASURE  fail 1 of 8 active measurements differ"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("index 2 (VBIOS): found"), std::string::npos) << r.out;
  std::filesystem::remove(dir_.path() + "/rims/vbios.swidtag");
  r = AttestGpu(Args({}, {"--rims", dir_.path() + "/rims", "--rim-trust-root", root_}));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("no VBIOS RIM for VBIOS 96.00.9F.00.01: 1 RIM(s) in"), std::string::npos)
      << r.out;
}

TEST_F(AttestGpuRims, BadRimInputIsAUsageError) {
  const std::string rims = dir_.path() + "/rims";
  ProcessResult r = AttestGpu(Args({}, {"--rims", rims}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs --rim-trust-root"), std::string::npos) << r.err;
  const mocks::pki::MockGpuPki other = *mocks::pki::MockGpuPki::Create();
  r = AttestGpu(
      Args({}, {"--rims", rims, "--rim-trust-root", dir_.Write("other.pem", other.RimRootPem())}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("driver.swidtag: signing chain"), std::string::npos) << r.err;
  r = AttestGpu(Args({}, {"--rims", "/nonexistent/rims", "--rim-trust-root", root_}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/rims: not a directory"), std::string::npos) << r.err;
  dir_.Write("rims/driver.swidtag", "<!DOCTYPE x []><x/>");
  r = AttestGpu(Args({}, {"--rims", rims, "--rim-trust-root", root_}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("driver.swidtag: has a DOCTYPE"), std::string::npos) << r.err;
}

TEST(AttestGpuCli, UsageErrorsExitTwo) {
  EXPECT_EQ(AttestGpu({"--evidence", Gpu("nvtrust-h100.evidence.hex")}).exit_code, 2);
  EXPECT_EQ(
      AttestGpu(Args(Gpu("nvtrust-h100.evidence.hex"), Gpu("nvtrust-h100.certchain.pem"), "abcd"))
          .exit_code,
      2);
  EXPECT_EQ(AttestGpu(Args("/nonexistent", Gpu("nvtrust-h100.certchain.pem"))).exit_code, 2);
  EXPECT_EQ(AttestGpu({"--evidence", Gpu("nvtrust-h100.evidence.hex"), "--certchain",
                       Gpu("nvtrust-h100.certchain.pem"), "--nonce", kNonce, "--at", "yesterday"})
                .exit_code,
            2);
  EXPECT_EQ(AttestGpu({"--help"}).exit_code, 0);
}

}  // namespace
}  // namespace teeharness
