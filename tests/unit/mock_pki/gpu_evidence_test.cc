// The mock's GPU evidence: real SPDM structures signed by its P-384 device PKI, which the GPU
// verifier accepts with the mock's root, and each GPU fault failing exactly its check.
#include "mocks/gpu_evidence.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "harness/attestation/gpu/gpu_verifier.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/crypto/hex.h"
#include "mocks/attestation_builder.h"
#include "mocks/pki/gpu_pki.h"
#include "mocks/pki/pki_routes.h"
#include "mocks/pki/process_pki.h"
#include "mocks/signer_keys.h"

namespace teeharness::mocks {
namespace {

using attestation::CheckState;

const std::string kNonce = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

struct MockGpu {
  pki::MockGpuPki gpu_pki = *pki::MockGpuPki::Create();
  attestation::pki::Certificate root = *attestation::pki::Certificate::FromPem(gpu_pki.RootPem());
  attestation::gpu::GpuVerifyOptions options;
  MockGpu() {
    options.at = 1735689600;
    options.expected_nonce = *crypto::DecodeHex(kNonce);
    options.trust_root = &root;
  }
  attestation::gpu::GpuVerification Verify(const GpuFaults& faults, int index = 0) const {
    const MockGpuEvidence e = BuildGpuEvidence(gpu_pki, index, *crypto::DecodeHex(kNonce), faults);
    return attestation::gpu::VerifyGpuEvidence(e.evidence, e.chain_pem, options);
  }
};

std::string States(const attestation::gpu::GpuVerification& v) {
  std::string out;
  for (const auto& c : v.checks) {
    out += c.id + "=" + std::string(attestation::CheckStateName(c.state)) + " ";
  }
  return out;
}

TEST(MockGpuEvidence, VerifiesWithTheMockRootAndCarriesVersions) {
  MockGpu s;
  const attestation::gpu::GpuVerification v = s.Verify({});
  EXPECT_EQ(States(v), "GPU-SIG=pass GPU-CHAIN=pass GPU-NONCE=pass GPU-MEASURE=skip ")
      << v.checks[0].reason << " / " << v.checks[1].reason;
  EXPECT_EQ(v.nonce, kNonce);
  EXPECT_EQ(v.driver, kMockGpuDriver);
  EXPECT_EQ(v.vbios, "96.00.9F.00.01");
  EXPECT_EQ(v.measurement_blocks, 8u);
  // NVIDIA's real root does not accept the mock's chain.
  attestation::gpu::GpuVerifyOptions nvidia = s.options;
  nvidia.trust_root = nullptr;
  const MockGpuEvidence e = BuildGpuEvidence(s.gpu_pki, 0, *crypto::DecodeHex(kNonce), {});
  EXPECT_EQ(
      attestation::gpu::VerifyGpuEvidence(e.evidence, e.chain_pem, nvidia).Find("GPU-CHAIN")->state,
      CheckState::kFail);
}

TEST(MockGpuEvidence, EachFaultFailsExactlyItsCheck) {
  MockGpu s;
  EXPECT_EQ(States(s.Verify({true, false, false})),
            "GPU-SIG=fail GPU-CHAIN=pass GPU-NONCE=pass GPU-MEASURE=skip ");
  EXPECT_EQ(States(s.Verify({false, true, false})),
            "GPU-SIG=pass GPU-CHAIN=pass GPU-NONCE=fail GPU-MEASURE=skip ");
  EXPECT_EQ(States(s.Verify({false, false, true})),
            "GPU-SIG=pass GPU-CHAIN=fail GPU-NONCE=pass GPU-MEASURE=skip ");
}

TEST(MockGpuEvidence, AReportsPayloadVerifiesForEveryGpu) {
  const KeyPair keys = KeyPair::Generate();
  ReportInputs in;
  in.keys = &keys;
  in.nonce_hex = kNonce;
  in.echoed_nonce = kNonce;
  in.gpus = 8;
  rapidjson::Document report;
  report.Parse(BuildProxyReport(in, false).c_str());
  ASSERT_TRUE(report.HasMember("nvidia_payload"));
  const attestation::pki::Certificate root =
      *attestation::pki::Certificate::FromPem(pki::ProcessMockGpuPki().RootPem());
  attestation::gpu::GpuVerifyOptions options;
  options.at = 1735689600;
  options.expected_nonce = *crypto::DecodeHex(kNonce);
  options.trust_root = &root;
  options.policy.expected_count = 8;
  const attestation::gpu::NvidiaPayloadVerification v =
      attestation::gpu::VerifyNvidiaPayload(report["nvidia_payload"].GetString(), options);
  ASSERT_EQ(v.gpus.size(), 8u) << v.problem;
  for (const attestation::CheckResult& c : v.Checks()) {
    EXPECT_EQ(c.state, c.id == "GPU-MEASURE" ? CheckState::kSkip : CheckState::kPass)
        << c.id << ": " << c.reason;
  }
}

TEST(MockGpuEvidence, TheRootIsServed) {
  const std::optional<MockReply> reply =
      pki::HandlePkiRequest(pki::ProcessMockPki(), "GET", "/mock/pki/nvidia-root.pem");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200u);
  EXPECT_EQ(reply->body, pki::ProcessMockGpuPki().RootPem());
  EXPECT_NE(reply->body.find("BEGIN CERTIFICATE"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::mocks
