#include "harness/attestation/verify/quote_verifier.h"

#include <gtest/gtest.h>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/verify/verification_json.h"
#include "tests/unit/attestation/vectors.h"

namespace teeharness::attestation {
namespace {

using testing::kV4At;
using testing::kV5At;
using testing::ReadVector;
using testing::ReadVectorBytes;

Collateral LoadCollateral(const std::string& name) {
  Result<Collateral> c = ParseCollateralJson(ReadVector(name));
  EXPECT_TRUE(c.ok()) << c.error();
  return *c;
}

struct Case {
  crypto::Bytes quote = ReadVectorBytes("tdx/dcap-qvl-v4.quote");
  Collateral collateral = LoadCollateral("tdx/dcap-qvl-v4.collateral.json");
  QuoteVerifyOptions options;
  // The real quote's MRTD, pinned so that TD-MEASURE runs (unpinned it is skipped, and the verdict
  // is then incomplete, never valid).
  Case() {
    options.at = kV4At;
    EXPECT_TRUE(
        ApplyPolicySetting("mrtd=91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604"
                           "a407de03ae6dc5f87f27428b2538873118b7",
                           options.policy)
            .ok());
  }
  QuoteVerification Run() {
    options.collateral = &collateral;
    return VerifyQuote(quote, options);
  }
};

std::string Describe(const QuoteVerification& v) { return VerificationJson(v); }

CheckState StateOf(const QuoteVerification& v, std::string_view id) {
  const CheckResult* c = v.Find(id);
  EXPECT_NE(c, nullptr) << id;
  return c ? c->state : CheckState::kSkip;
}

TEST(QuoteVerifier, TheRealV4QuoteIsUpToDateAtItsTime) {
  Case c;
  const QuoteVerification v = c.Run();
  EXPECT_EQ(v.verdict(), Verdict::kValid) << Describe(v);
  EXPECT_EQ(v.tcb_status, "UpToDate");
  EXPECT_TRUE(v.advisory_ids.empty());
  EXPECT_EQ(v.fmspc, "b0c06f000000");
  EXPECT_EQ(v.tcb_rule, "intel");
  EXPECT_EQ(v.tdx_module_id, "TDX_01");  // TEE_TCB_SVN[1] = 1: the module identity rule applies
  EXPECT_EQ(v.qe_tcb_status, "UpToDate");
  EXPECT_EQ(v.checks.size(), 7u);
  for (const CheckResult& check : v.checks) {
    EXPECT_EQ(check.state, CheckState::kPass) << check.id << ": " << check.reason;
  }
}

TEST(QuoteVerifier, WithoutAPinTheVerdictIsIncompleteNotValid) {
  Case c;
  c.options.policy.pins.clear();
  const QuoteVerification v = c.Run();
  EXPECT_EQ(v.verdict(), Verdict::kIncomplete);
  EXPECT_EQ(StateOf(v, "TD-MEASURE"), CheckState::kSkip);
  EXPECT_EQ(v.Find("TD-MEASURE")->reason, "no measurement pin or minimum given");
}

TEST(QuoteVerifier, TheDcapQvlRuleIsReportedWhenChosen) {
  Case c;
  c.options.dcap_qvl_tcb_rule = true;
  const QuoteVerification v = c.Run();
  EXPECT_EQ(v.tcb_rule, "dcap-qvl");
  EXPECT_TRUE(v.tdx_module_id.empty());
  // All 16 TEE_TCB_SVN bytes (06 01 03 ..) meet the UpToDate level's TDX components (05 00 02 ..).
  EXPECT_EQ(v.tcb_status, "UpToDate") << Describe(v);
}

TEST(QuoteVerifier, TheRealV5QuoteMatchesNoTcbLevel) {
  Case c;
  c.quote = ReadVectorBytes("tdx/dcap-qvl-v5-nomatch.quote");
  c.collateral = LoadCollateral("tdx/dcap-qvl-v5-nomatch.collateral.json");
  c.options.at = kV5At;
  const QuoteVerification v = c.Run();
  EXPECT_EQ(v.verdict(), Verdict::kRejected);
  EXPECT_EQ(StateOf(v, "QUOTE-SIG"), CheckState::kPass);
  EXPECT_EQ(StateOf(v, "QUOTE-CHAIN"), CheckState::kPass) << Describe(v);
  EXPECT_EQ(StateOf(v, "QUOTE-QE"), CheckState::kPass) << Describe(v);
  ASSERT_EQ(StateOf(v, "QUOTE-TCB"), CheckState::kFail);
  EXPECT_NE(v.Find("QUOTE-TCB")->reason.find("no TCB level matches"), std::string::npos)
      << v.Find("QUOTE-TCB")->reason;
}

TEST(QuoteVerifier, OneSecondPastTheCollateralIsRejected) {
  Case c;
  const int64_t not_after = c.Run().collateral_not_after;
  ASSERT_GT(not_after, kV4At);
  c.options.at = not_after;
  EXPECT_EQ(c.Run().verdict(), Verdict::kValid) << Describe(c.Run());
  c.options.at = not_after + 1;
  const QuoteVerification v = c.Run();
  EXPECT_EQ(v.verdict(), Verdict::kRejected) << Describe(v);
}

TEST(QuoteVerifier, WithoutCollateralItIsIncompleteNotValid) {
  const crypto::Bytes quote = ReadVectorBytes("tdx/dcap-qvl-v4.quote");
  QuoteVerifyOptions options;
  options.at = kV4At;
  const QuoteVerification v = VerifyQuote(quote, options);
  EXPECT_EQ(v.verdict(), Verdict::kIncomplete) << Describe(v);
  EXPECT_EQ(StateOf(v, "QUOTE-SIG"), CheckState::kPass);
  EXPECT_EQ(StateOf(v, "QUOTE-CHAIN"), CheckState::kPass);
  EXPECT_EQ(StateOf(v, "QUOTE-QE"), CheckState::kPass);
  EXPECT_EQ(StateOf(v, "QUOTE-TCB"), CheckState::kSkip);
}

// Flipping one byte anywhere that is signed rejects the quote with the check that owns it.
TEST(QuoteVerifier, OneFlippedByteFailsTheRightCheck) {
  struct Flip {
    size_t offset;
    const char* check;
  };
  // header, body, ECDSA signature, attestation key, QE report, QE report signature, QE auth data
  for (const Flip& flip :
       {Flip{30, "QUOTE-SIG"}, Flip{48 + 136, "QUOTE-SIG"}, Flip{636 + 5, "QUOTE-SIG"},
        Flip{636 + 64 + 3, "QUOTE-SIG"}, Flip{636 + 134 + 10, "QUOTE-QE"},
        Flip{636 + 134 + 384 + 7, "QUOTE-QE"}, Flip{636 + 134 + 384 + 64 + 2 + 5, "QUOTE-QE"}}) {
    Case c;
    c.quote[flip.offset] ^= 0x01;
    const QuoteVerification v = c.Run();
    EXPECT_EQ(v.verdict(), Verdict::kRejected) << flip.offset;
    EXPECT_EQ(StateOf(v, flip.check), CheckState::kFail) << flip.offset << " " << Describe(v);
  }
}

TEST(QuoteVerifier, AFlippedPckCertificateByteFailsTheChain) {
  Case c;
  const std::string text(c.quote.begin(), c.quote.end());
  // A base64 character inside the leaf's body: 'A' <-> 'B' keeps it decodable.
  size_t at = text.find("-----BEGIN CERTIFICATE-----") + 28 + 300;
  c.quote[at] = c.quote[at] == 'A' ? 'B' : 'A';
  const QuoteVerification v = c.Run();
  EXPECT_EQ(StateOf(v, "QUOTE-CHAIN"), CheckState::kFail) << Describe(v);
}

TEST(QuoteVerifier, TamperedCollateralFailsItsCheck) {
  {
    Case c;
    const size_t at = c.collateral.tcb_info.find("UpToDate");
    ASSERT_NE(at, std::string::npos);
    c.collateral.tcb_info[at] = 'u';
    EXPECT_EQ(StateOf(c.Run(), "QUOTE-TCB"), CheckState::kFail);
  }
  {
    Case c;
    c.collateral.tcb_info_signature[10] ^= 1;
    EXPECT_EQ(StateOf(c.Run(), "QUOTE-TCB"), CheckState::kFail);
  }
  {
    Case c;
    c.collateral.qe_identity_signature[3] ^= 1;
    EXPECT_EQ(StateOf(c.Run(), "QUOTE-QE"), CheckState::kFail);
  }
  {
    Case c;
    c.collateral.pck_crl[c.collateral.pck_crl.size() - 5] ^= 1;  // inside the CRL's signature
    EXPECT_EQ(StateOf(c.Run(), "QUOTE-CHAIN"), CheckState::kFail);
  }
  {
    Case c;
    c.collateral.root_ca_crl[c.collateral.root_ca_crl.size() - 5] ^= 1;
    EXPECT_EQ(StateOf(c.Run(), "QUOTE-CHAIN"), CheckState::kFail);
  }
}

TEST(QuoteVerifier, AnotherRootIsNotTrusted) {
  Result<pki::Certificate> other =
      pki::Certificate::FromPem(ReadVector("roots/nvidia-device-identity-ca.pem"));
  ASSERT_TRUE(other.ok()) << other.error();
  Case c;
  c.options.trust_root = &*other;
  const QuoteVerification v = c.Run();
  EXPECT_EQ(v.verdict(), Verdict::kRejected);
  EXPECT_EQ(StateOf(v, "QUOTE-CHAIN"), CheckState::kFail);
}

TEST(QuoteVerifier, GarbageIsAFormatRejectionNotACrash) {
  for (size_t size : {0u, 10u, 48u, 631u, 632u, 700u, 2000u}) {
    crypto::Bytes quote = ReadVectorBytes("tdx/dcap-qvl-v4.quote");
    quote.resize(size);
    const QuoteVerification v = VerifyQuote(quote, QuoteVerifyOptions{});
    EXPECT_EQ(v.verdict(), Verdict::kRejected) << size;
    EXPECT_EQ(StateOf(v, "QUOTE-FORMAT"), CheckState::kFail) << size;
    EXPECT_EQ(StateOf(v, "QUOTE-TCB"), CheckState::kSkip) << size;
  }
}

TEST(QuoteVerifier, PolicyDecidesWhichStatusesPass) {
  Case c;
  c.options.policy.accepted_tcb_statuses = {"OutOfDate"};
  const QuoteVerification v = c.Run();
  EXPECT_EQ(StateOf(v, "QUOTE-TCB"), CheckState::kFail);
  EXPECT_EQ(v.tcb_status, "UpToDate");
  Case pinned;
  ASSERT_TRUE(ApplyPolicySetting("mrtd=" + std::string(96, '0'), pinned.options.policy).ok());
  EXPECT_EQ(StateOf(pinned.Run(), "TD-MEASURE"), CheckState::kFail);
  Case evaluation;
  evaluation.options.policy.min_tcb_evaluation_data_number = 1000;
  EXPECT_EQ(evaluation.Run().verdict(), Verdict::kRejected);
}

}  // namespace
}  // namespace teeharness::attestation
