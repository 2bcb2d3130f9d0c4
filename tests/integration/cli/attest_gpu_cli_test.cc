// `teeharness attest gpu` as users and other tools run it: the real binary on the real H100
// evidence, the exit codes and the stable --json object.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
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
