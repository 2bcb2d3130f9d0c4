#include "harness/checks/near_checks.h"

#include <gtest/gtest.h>

namespace teeharness::checks {
namespace {

const std::string kGateway(64, 'e');
const std::string kModelA = "0x1111111111111111111111111111111111111111";
const std::string kModelB = "0x2222222222222222222222222222222222222222";

AttestedKeys Near2026() { return {kModelA, kGateway, {kModelA, kModelB}}; }

TEST(NearChecks, ProviderTeeBindsToTheModelAttestationItClaims) {
  const SignerBinding b =
      BindSigner("provider_tee", "0x2222222222222222222222222222222222222222", Near2026());
  EXPECT_EQ(b.attested_address, kModelB);
  EXPECT_EQ(b.label, "model_attestations[1]");
  EXPECT_TRUE(b.model_attestation);
  EXPECT_FALSE(b.gateway);
  // Case and 0x do not matter; an unknown claim falls back to the first model attestation, which
  // SIG-ADDRESS then compares with the real signer.
  EXPECT_EQ(BindSigner("provider_tee", "2222222222222222222222222222222222222222", Near2026())
                .attested_address,
            kModelB);
  EXPECT_EQ(BindSigner("provider_tee", "0xdead", Near2026()).attested_address, kModelA);
  // Absent kind (older rows) is provider_tee.
  EXPECT_EQ(BindSigner("", kModelB, Near2026()).attested_address, kModelB);
}

TEST(NearChecks, GatewayBindsToTheGatewayAttestationOverTheTwoPartText) {
  const SignerBinding b = BindSigner("gateway", kModelA, Near2026());
  EXPECT_EQ(b.attested_address, kGateway);  // whatever the signature claims
  EXPECT_EQ(b.label, "gateway_attestation");
  EXPECT_TRUE(b.gateway);
  EXPECT_FALSE(b.model_attestation);
}

TEST(NearChecks, KindsWithoutAnAttestedKeyExplainWhy) {
  const AttestedKeys flat{kModelA, "", {}};  // NEAR 2025 / phala: one report, no gateway
  EXPECT_EQ(BindSigner("provider_tee", "", flat).attested_address, kModelA);
  SignerBinding b = BindSigner("gateway", "", flat);
  EXPECT_TRUE(b.attested_address.empty());
  EXPECT_NE(b.problem.find("no gateway attestation"), std::string::npos);
  b = BindSigner("provider_tee", "", AttestedKeys{kGateway, kGateway, {}});
  EXPECT_TRUE(b.attested_address.empty());
  EXPECT_NE(b.problem.find("no model attestation"), std::string::npos);
  b = BindSigner("tee_v2", "", Near2026());
  EXPECT_TRUE(b.attested_address.empty());
  EXPECT_NE(b.problem.find("\"tee_v2\" names no attested key"), std::string::npos);
}

TEST(NearChecks, ErrorCodesAreTheirOwnFailureKindsAndNeverPass) {
  EXPECT_EQ(SignatureErrorKind("STREAM_DISCONNECTED"), "stream_disconnected");
  EXPECT_EQ(SignatureErrorKind("SIGNATURE_UNSUPPORTED"), "signature_unsupported");
  EXPECT_EQ(SignatureErrorKind("RATE_LIMITED"), "signature_error_code");
  const Outcome o = CheckSignatureErrorCode("chat-1", {"STREAM_DISCONNECTED", "gone"});
  EXPECT_EQ(o.id, "SIG-READY");
  EXPECT_FALSE(o.passed);
  EXPECT_FALSE(o.skipped);
  EXPECT_NE(o.evidence.find("chat-1"), std::string::npos);
  EXPECT_NE(o.evidence.find("STREAM_DISCONNECTED"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::checks
