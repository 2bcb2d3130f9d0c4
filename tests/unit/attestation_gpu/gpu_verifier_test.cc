#include "harness/attestation/gpu/gpu_verifier.h"

#include <gtest/gtest.h>

#include <thread>

#include "harness/attestation/gpu/gpu_json.h"
#include "harness/attestation/pki/certificate.h"
#include "tests/unit/attestation_gpu/gpu_vectors.h"
#include "tests/unit/attestation_pki/test_pki_util.h"

namespace teeharness::attestation::gpu {
namespace {

using testing::ChainPem;
using testing::EvidenceBytes;
using testing::kGpuAt;
using testing::PemBlocks;
using testing::VectorNonce;

GpuVerifyOptions Options() {
  GpuVerifyOptions options;
  options.at = kGpuAt;
  options.expected_nonce = VectorNonce();
  return options;
}

CheckState StateOf(const GpuVerification& v, std::string_view id) {
  const CheckResult* c = v.Find(id);
  EXPECT_NE(c, nullptr) << id;
  return c ? c->state : CheckState::kSkip;
}

std::string Joined(const std::vector<std::string>& blocks, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < blocks.size(); ++i) out += blocks[i];
  return out;
}

TEST(GpuVerifier, TheRealH100EvidenceVerifiesWithItsNonce) {
  const GpuVerification v = VerifyGpuEvidence(EvidenceBytes(), ChainPem(), Options());
  EXPECT_EQ(StateOf(v, "GPU-SIG"), CheckState::kPass) << GpuVerificationJson(v);
  EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kPass) << GpuVerificationJson(v);
  EXPECT_EQ(StateOf(v, "GPU-NONCE"), CheckState::kPass) << GpuVerificationJson(v);
  EXPECT_EQ(StateOf(v, "GPU-MEASURE"), CheckState::kSkip);
  EXPECT_EQ(v.verdict(), Verdict::kIncomplete);  // RIMs not compared: never "valid"
  EXPECT_EQ(v.nonce, testing::kVectorNonce);
  EXPECT_EQ(v.driver, "550.90.07");
  EXPECT_EQ(v.vbios, "96.00.9F.00.01");
  EXPECT_EQ(v.measurement_blocks, 64u);
  EXPECT_NE(v.Find("GPU-CHAIN")->reason.find("CN=NVIDIA Device Identity CA"), std::string::npos);
  EXPECT_NE(v.Find("GPU-CHAIN")->reason.find("OCSP) not checked: offline"), std::string::npos);
}

TEST(GpuVerifier, ADifferentNonceFailsOnlyGpuNonce) {
  GpuVerifyOptions options = Options();
  options.expected_nonce[31] ^= 1;
  const GpuVerification v = VerifyGpuEvidence(EvidenceBytes(), ChainPem(), options);
  EXPECT_EQ(StateOf(v, "GPU-NONCE"), CheckState::kFail);
  EXPECT_NE(v.Find("GPU-NONCE")->reason.find(testing::kVectorNonce), std::string::npos);
  EXPECT_EQ(StateOf(v, "GPU-SIG"), CheckState::kPass);
  EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kPass);
  EXPECT_EQ(v.verdict(), Verdict::kRejected);
}

TEST(GpuVerifier, NoExpectedNonceSkipsGpuNonce) {
  GpuVerifyOptions options = Options();
  options.expected_nonce.clear();
  const GpuVerification v = VerifyGpuEvidence(EvidenceBytes(), ChainPem(), options);
  EXPECT_EQ(StateOf(v, "GPU-NONCE"), CheckState::kSkip);
}

TEST(GpuVerifier, OneFlippedByteInTheMeasurementsOrSignatureFailsGpuSig) {
  const crypto::Bytes original = EvidenceBytes();
  // The request nonce, a measurement value, the responder nonce, the opaque data (driver
  // version text), and r and s of the signature.
  for (size_t offset :
       {size_t{10}, size_t{37 + 8 + 4 + 3 + 60}, size_t{37 + 8 + 3520 + 5},
        size_t{37 + 8 + 3520 + 34 + 200}, original.size() - 90, original.size() - 1}) {
    crypto::Bytes bytes = original;
    bytes[offset] ^= 0x01;
    const GpuVerification v = VerifyGpuEvidence(bytes, ChainPem(), Options());
    EXPECT_EQ(StateOf(v, "GPU-SIG"), CheckState::kFail) << offset;
    EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kPass) << offset;
  }
}

TEST(GpuVerifier, AChainWhoseRootIsReplacedFailsGpuChain) {
  using namespace pki::testing;
  const std::vector<std::string> blocks = PemBlocks(ChainPem());
  ASSERT_EQ(blocks.size(), 5u);
  Key key = NewKey("P-384");
  CertSpec spec;
  spec.subject_cn = spec.issuer_cn = "NVIDIA Device Identity CA";
  spec.ca = true;
  Result<pki::Certificate> fake =
      pki::Certificate::FromDer(MakeCertDer(spec, key.get(), key.get()));
  ASSERT_TRUE(fake.ok()) << fake.error();
  std::string pem = Joined(blocks, 4) + testing::ToPem(fake->der());
  GpuVerification v = VerifyGpuEvidence(EvidenceBytes(), pem, Options());
  EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kFail);
  // Trusting the impostor instead does not help: it did not sign NVIDIA's intermediate.
  GpuVerifyOptions options = Options();
  options.trust_root = &*fake;
  v = VerifyGpuEvidence(EvidenceBytes(), pem, options);
  EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kFail);
  v = VerifyGpuEvidence(EvidenceBytes(), ChainPem(), options);
  EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kFail);
}

TEST(GpuVerifier, ATruncatedChainFailsGpuChain) {
  const std::vector<std::string> blocks = PemBlocks(ChainPem());
  for (size_t keep : {1, 2, 3}) {
    const GpuVerification v = VerifyGpuEvidence(EvidenceBytes(), Joined(blocks, keep), Options());
    EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kFail) << keep;
    EXPECT_EQ(StateOf(v, "GPU-SIG"), CheckState::kPass) << keep;  // the leaf key still signs
  }
  const GpuVerification none = VerifyGpuEvidence(EvidenceBytes(), "", Options());
  EXPECT_EQ(StateOf(none, "GPU-CHAIN"), CheckState::kFail);
  EXPECT_EQ(StateOf(none, "GPU-SIG"), CheckState::kSkip);
}

TEST(GpuVerifier, ACertificateNotYetValidFailsGpuChain) {
  GpuVerifyOptions options = Options();
  options.at = 1646092799;  // 2022-02-28T23:59:59Z: before the Provisioner ICA's notBefore
  const GpuVerification v = VerifyGpuEvidence(EvidenceBytes(), ChainPem(), options);
  EXPECT_EQ(StateOf(v, "GPU-CHAIN"), CheckState::kFail);
}

TEST(GpuVerifier, MalformedEvidenceFailsGpuSigAndSkipsTheRest) {
  const crypto::Bytes junk = {0x11, 0xe0, 0x01};
  const GpuVerification v = VerifyGpuEvidence(junk, ChainPem(), Options());
  EXPECT_EQ(StateOf(v, "GPU-SIG"), CheckState::kFail);
  EXPECT_NE(v.Find("GPU-SIG")->reason.find("offset 0"), std::string::npos);
  EXPECT_EQ(StateOf(v, "GPU-NONCE"), CheckState::kSkip);
  EXPECT_EQ(v.verdict(), Verdict::kRejected);
}

TEST(GpuVerifier, AWarmCacheGivesTheSameResultsAndIsThreadSafe) {
  GpuChainCache cache;
  GpuVerifyOptions options = Options();
  options.cache = &cache;
  const crypto::Bytes bytes = EvidenceBytes();
  const std::string pem = ChainPem();
  const GpuVerification cold = VerifyGpuEvidence(bytes, pem, options);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        const GpuVerification warm = VerifyGpuEvidence(bytes, pem, options);
        EXPECT_EQ(GpuVerificationJson(warm), GpuVerificationJson(cold));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_GE(cache.verdicts().hits(), 20u);
  // A cached verdict is still bounded by time.
  options.at = 1646092799;
  EXPECT_EQ(StateOf(VerifyGpuEvidence(bytes, pem, options), "GPU-CHAIN"), CheckState::kFail);
}

TEST(NvidiaPayload, EveryGpuIsVerifiedRawOrHexText) {
  for (bool hex : {false, true}) {
    GpuVerifyOptions options = Options();
    options.policy.expected_count = 8;
    const NvidiaPayloadVerification v = VerifyNvidiaPayload(testing::PayloadJson(8, hex), options);
    ASSERT_TRUE(v.problem.empty()) << v.problem;
    ASSERT_EQ(v.gpus.size(), 8u);
    EXPECT_EQ(v.arch, "HOPPER");
    EXPECT_EQ(v.gpus[7].index, 7u);
    for (const CheckResult& c : v.Checks()) {
      EXPECT_EQ(c.state, c.id == "GPU-MEASURE" ? CheckState::kSkip : CheckState::kPass)
          << c.id << ": " << c.reason;
    }
  }
}

TEST(NvidiaPayload, TheWrongCountAndABadEntryAreNamed) {
  GpuVerifyOptions options = Options();
  options.policy.expected_count = 2;
  NvidiaPayloadVerification v = VerifyNvidiaPayload(testing::PayloadJson(1), options);
  EXPECT_EQ(v.count.state, CheckState::kFail);
  EXPECT_EQ(v.count.reason, "1 GPU evidence; expected 2");
  options.policy.expected_count.reset();
  std::string payload = testing::PayloadJson(2);
  payload.replace(payload.rfind("\"evidence\":\"") + 12, 4, "!!!!");
  v = VerifyNvidiaPayload(payload, options);
  ASSERT_EQ(v.gpus.size(), 2u);
  const std::vector<CheckResult> checks = v.Checks();
  EXPECT_EQ(checks[0].id, "GPU-SIG");
  EXPECT_EQ(checks[0].state, CheckState::kFail);
  EXPECT_EQ(checks[0].reason.rfind("GPU 1: evidence_list[1].evidence is not base64", 0), 0u)
      << checks[0].reason;
  EXPECT_EQ(checks.back().id, "GPU-COUNT");
  EXPECT_EQ(checks.back().state, CheckState::kSkip);
}

TEST(NvidiaPayload, AnEmptyEvidenceListFailsGpuSigOnce) {
  const std::vector<CheckResult> checks =
      VerifyNvidiaPayload("{\"evidence_list\":[]}", Options()).Checks();
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[0].state, CheckState::kFail);
  EXPECT_EQ(checks[0].reason, "no GPU evidence in the report");
  for (size_t i = 1; i < checks.size(); ++i) EXPECT_EQ(checks[i].state, CheckState::kSkip);
}

TEST(NvidiaPayload, NotJsonOrNoEvidenceIsARejection) {
  for (const char* text : {"", "[]", "{\"nonce\":\"00\"}", "{\"evidence_list\":[]}"}) {
    const NvidiaPayloadVerification v = VerifyNvidiaPayload(text, Options());
    EXPECT_EQ(v.verdict(), Verdict::kRejected) << text;
  }
}

TEST(GpuPolicy, IonetPadsShortNoncesOthersDoNot) {
  EXPECT_EQ(crypto::EncodeHex(*ExpectedGpuNonce(protocol::Dialect::kIonet, "abcd")),
            "abcd" + std::string(60, '0'));
  EXPECT_FALSE(ExpectedGpuNonce(protocol::Dialect::kPhala, "abcd").ok());
  EXPECT_EQ(crypto::EncodeHex(*ExpectedGpuNonce(protocol::Dialect::kNear, testing::kVectorNonce)),
            testing::kVectorNonce);
}

}  // namespace
}  // namespace teeharness::attestation::gpu
