#include "harness/checks/signature_checks.h"

#include <gtest/gtest.h>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/signature.h"
#include "harness/crypto/signed_text.h"

namespace teeharness::checks {
namespace {

using crypto::EcdsaKey;

std::map<std::string, Outcome> ById(const std::vector<Outcome>& outcomes) {
  std::map<std::string, Outcome> out;
  for (const Outcome& o : outcomes) out.emplace(std::string(o.id), o);
  return out;
}

class SignatureChecks : public ::testing::Test {
 protected:
  SignedCompletion Good() const {
    SignedCompletion c;
    c.chat_id = "chatcmpl-1";
    c.expected_text = crypto::SignedTextForBodies("{\"req\":1}", "data: x\n\n");
    c.signed_text = c.expected_text;
    c.signature = crypto::EncodeEthSignature(key_.SignPersonalMessage(c.signed_text));
    c.attested_address = crypto::ToChecksumAddress(key_.address());
    c.signature_address = crypto::ToLowerAddress(key_.address());
    return c;
  }
  const EcdsaKey key_ = EcdsaKey::Generate();
  const EcdsaKey other_ = EcdsaKey::Generate();
};

TEST_F(SignatureChecks, CorrectCompletionPassesAll) {
  crypto::VerifyOutcome verification;
  const auto outcomes = CheckSignedCompletion(Good(), &verification);
  ASSERT_EQ(outcomes.size(), 4u);
  for (const Outcome& o : outcomes) EXPECT_TRUE(o.passed) << o.id << ": " << o.evidence;
  EXPECT_EQ(verification.signer, crypto::ToChecksumAddress(key_.address()));
}

TEST_F(SignatureChecks, ReserialisedBodyFailsOnlySigText) {
  SignedCompletion c = Good();
  c.signed_text = crypto::SignedTextForBodies("{\"req\": 1}", "data: x\n\n");  // other spacing
  c.signature = crypto::EncodeEthSignature(key_.SignPersonalMessage(c.signed_text));
  auto outcomes = ById(CheckSignedCompletion(c));
  EXPECT_FALSE(outcomes.at("SIG-TEXT").passed);
  EXPECT_NE(outcomes.at("SIG-TEXT").evidence.find("chatcmpl-1"), std::string::npos);
  EXPECT_NE(outcomes.at("SIG-TEXT").evidence.find(c.expected_text), std::string::npos);
  EXPECT_TRUE(outcomes.at("SIG-RECOVER").passed);
  EXPECT_TRUE(outcomes.at("SIG-ADDRESS").passed);
  EXPECT_TRUE(outcomes.at("SIG-FORMAT").passed);
}

TEST_F(SignatureChecks, OtherKeyFailsSigAddressWithBothAddresses) {
  SignedCompletion c = Good();
  c.signature = crypto::EncodeEthSignature(other_.SignPersonalMessage(c.signed_text));
  c.signature_address.clear();
  auto outcomes = ById(CheckSignedCompletion(c));
  EXPECT_TRUE(outcomes.at("SIG-RECOVER").passed);
  ASSERT_FALSE(outcomes.at("SIG-ADDRESS").passed);
  EXPECT_NE(outcomes.at("SIG-ADDRESS").evidence.find(crypto::ToChecksumAddress(other_.address())),
            std::string::npos);
}

TEST_F(SignatureChecks, SignatureClaimingAnotherAddressFails) {
  SignedCompletion c = Good();
  c.signature_address = crypto::ToChecksumAddress(other_.address());
  auto outcomes = ById(CheckSignedCompletion(c));
  EXPECT_FALSE(outcomes.at("SIG-ADDRESS").passed);
  EXPECT_NE(outcomes.at("SIG-ADDRESS").evidence.find("claims"), std::string::npos);
}

TEST_F(SignatureChecks, GarbageSignatureFailsRecoverAndFormatWithoutThrowing) {
  SignedCompletion c = Good();
  c.signature = "0xnothex";
  auto outcomes = ById(CheckSignedCompletion(c));
  EXPECT_FALSE(outcomes.at("SIG-RECOVER").passed);
  EXPECT_FALSE(outcomes.at("SIG-FORMAT").passed);
  EXPECT_FALSE(outcomes.at("SIG-ADDRESS").passed);
  EXPECT_TRUE(outcomes.at("SIG-TEXT").passed);
}

TEST_F(SignatureChecks, LegacyBareHexAndZeroOneVAreFormatFindings) {
  SignedCompletion c = Good();
  crypto::EthSignature65 raw = key_.SignPersonalMessage(c.signed_text);
  c.signature = crypto::EncodeHex(raw);  // 2024 API: no 0x
  auto outcomes = ById(CheckSignedCompletion(c));
  EXPECT_TRUE(outcomes.at("SIG-ADDRESS").passed);
  EXPECT_FALSE(outcomes.at("SIG-FORMAT").passed);
  EXPECT_NE(outcomes.at("SIG-FORMAT").evidence.find("no 0x prefix"), std::string::npos);
  raw[64] -= 27;
  c.signature = crypto::EncodeEthSignature(raw);
  outcomes = ById(CheckSignedCompletion(c));
  EXPECT_TRUE(outcomes.at("SIG-ADDRESS").passed);
  EXPECT_NE(outcomes.at("SIG-FORMAT").evidence.find("v = " + std::to_string(raw[64])),
            std::string::npos);
}

TEST_F(SignatureChecks, NoAttestationMeansNoAddressVerdict) {
  SignedCompletion c = Good();
  c.attested_address.clear();
  EXPECT_FALSE(ById(CheckSignedCompletion(c)).at("SIG-ADDRESS").passed);
}

TEST(Ed25519Completion, VerifiesAgainstTheAttestedKey) {
  const crypto::Ed25519Key key = crypto::Ed25519Key::Generate();
  SignedCompletion c;
  c.chat_id = "x";
  c.algo = crypto::SignatureAlgo::kEd25519;
  c.expected_text = c.signed_text = crypto::SignedTextForBodies("a", "b", "m");
  c.signature = crypto::EncodeHex(key.Sign(c.signed_text));
  c.attested_address = crypto::EncodeHex(key.public_key());
  c.signature_address = c.attested_address;
  for (const Outcome& o : CheckSignedCompletion(c)) EXPECT_TRUE(o.passed) << o.id << o.evidence;
  c.attested_address = crypto::EncodeHex(crypto::Ed25519Key::Generate().public_key());
  EXPECT_FALSE(ById(CheckSignedCompletion(c)).at("SIG-ADDRESS").passed);
}

TEST(SignatureReady, WithinBudgetOnly) {
  using std::chrono::milliseconds;
  EXPECT_TRUE(CheckSignatureReady("c", true, milliseconds(200), milliseconds(1000)).passed);
  const Outcome late = CheckSignatureReady("c", true, milliseconds(1200), milliseconds(1000));
  EXPECT_FALSE(late.passed);
  EXPECT_NE(late.evidence.find("after 1200 ms"), std::string::npos);
  EXPECT_FALSE(CheckSignatureReady("c", false, milliseconds(1000), milliseconds(1000)).passed);
}

}  // namespace
}  // namespace teeharness::checks
