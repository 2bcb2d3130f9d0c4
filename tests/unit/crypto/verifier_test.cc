#include "harness/crypto/verifier.h"

#include <gtest/gtest.h>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "harness/crypto/signed_text.h"
#include "tests/unit/crypto/vectors.h"

namespace teeharness::crypto {
namespace {

constexpr const char* kRealAddress = "0x50F9b35e94DFa4805A8c69C50Ba13841a06c1216";

class RealStream : public ::testing::Test {
 protected:
  const std::string dir_ = teeharness::testing::VectorsDir() + "/phala-2024-stream";
  const std::string request_ = teeharness::testing::ReadFileOrFail(dir_ + "/request.json");
  const std::string response_ = teeharness::testing::ReadFileOrFail(dir_ + "/response.sse");
  const rapidjson::Document signature_ =
      teeharness::testing::ReadJsonOrFail(dir_ + "/signature.json");
  const rapidjson::Document expected_ =
      teeharness::testing::ReadJsonOrFail(dir_ + "/expected.json");
};

TEST_F(RealStream, TextIsBuiltFromTheExactBytes) {
  EXPECT_EQ(SignedTextForBodies(request_, response_), Str(signature_, "text"));
  EXPECT_EQ(SignedTextForBodies(request_, response_), Str(expected_, "text"));
  // One byte more (a trailing newline an editor would add) breaks it: exact bytes matter.
  EXPECT_NE(SignedTextForBodies(request_ + "\n", response_), Str(signature_, "text"));
}

TEST_F(RealStream, RecoversTheTeeAddress) {
  const std::string text = Str(signature_, "text");
  const std::string signature = Str(signature_, "signature");
  const VerifyOutcome outcome = VerifySignedText({text, signature, SignatureAlgo::kEcdsa, {}});
  EXPECT_EQ(outcome.verdict, Verdict::kValid);
  EXPECT_EQ(outcome.signer, Str(expected_, "recovered_address"));
  EXPECT_FALSE(outcome.format.has_0x_prefix);
  EXPECT_EQ(outcome.format.v, 28);
  EXPECT_TRUE(outcome.format.low_s);
  const std::string lower = "0x50f9b35e94dfa4805a8c69c50ba13841a06c1216";
  EXPECT_TRUE(VerifySignedText({text, signature, SignatureAlgo::kEcdsa, lower}).valid());
  EXPECT_TRUE(
      VerifySignedText({text, "0x" + signature, SignatureAlgo::kEcdsa, kRealAddress}).valid());
}

TEST_F(RealStream, TamperedTextRecoversSomeoneElse) {
  std::string text = Str(signature_, "text");
  text[0] = text[0] == 'b' ? 'c' : 'b';
  const VerifyOutcome outcome =
      VerifySignedText({text, Str(signature_, "signature"), SignatureAlgo::kEcdsa, kRealAddress});
  EXPECT_EQ(outcome.verdict, Verdict::kAddressMismatch);
  EXPECT_NE(outcome.signer, kRealAddress);
  ASSERT_FALSE(outcome.reasons.empty());
  EXPECT_NE(outcome.reasons[0].find(kRealAddress), std::string::npos);
}

TEST(Verifier, AnotherKeysSignatureIsAMismatch) {
  const EcdsaKey key = EcdsaKey::Generate();
  const std::string text = "a:b";
  const std::string signature = EncodeEthSignature(key.SignPersonalMessage(text));
  const VerifyOutcome outcome =
      VerifySignedText({text, signature, SignatureAlgo::kEcdsa, kRealAddress});
  EXPECT_EQ(outcome.verdict, Verdict::kAddressMismatch);
  EXPECT_EQ(outcome.signer, ToChecksumAddress(key.address()));
}

TEST(Verifier, VZeroOneAcceptedOthersRejectedBeforeTheLibrary) {
  const EcdsaKey key = EcdsaKey::Generate();
  EthSignature65 signature = key.SignPersonalMessage("t");
  signature[64] -= 27;  // Ethereum's 0/1 form
  EXPECT_TRUE(VerifySignedText({"t", EncodeHex(signature), SignatureAlgo::kEcdsa,
                                ToChecksumAddress(key.address())})
                  .valid());
  for (int v : {2, 3, 26, 29, 35, 255}) {
    signature[64] = static_cast<uint8_t>(v);
    const VerifyOutcome outcome =
        VerifySignedText({"t", EncodeHex(signature), SignatureAlgo::kEcdsa, {}});
    EXPECT_EQ(outcome.verdict, Verdict::kMalformed) << v;
    ASSERT_FALSE(outcome.reasons.empty());
    EXPECT_NE(outcome.reasons[0].find("v = " + std::to_string(v)), std::string::npos);
  }
}

// s' = n - s with the recovery id flipped is the same signature in its malleable high-s form.
EthSignature65 ToHighS(EthSignature65 signature) {
  const Bytes n = *DecodeHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    int diff = n[i] - signature[32 + i] - borrow;
    borrow = diff < 0;
    signature[32 + i] = static_cast<uint8_t>(diff + (borrow ? 256 : 0));
  }
  signature[64] = signature[64] == 27 ? 28 : 27;
  return signature;
}

TEST(Verifier, HighSIsReportedButStillRecovers) {
  const EcdsaKey key = EcdsaKey::Generate();
  const EthSignature65 high = ToHighS(key.SignPersonalMessage("text"));
  const VerifyOutcome outcome = VerifySignedText(
      {"text", EncodeEthSignature(high), SignatureAlgo::kEcdsa, ToChecksumAddress(key.address())});
  EXPECT_EQ(outcome.verdict, Verdict::kValid);
  EXPECT_FALSE(outcome.format.low_s);
  ASSERT_FALSE(outcome.reasons.empty());
  EXPECT_EQ(outcome.reasons[0], "high-s signature (malleable form)");
}

TEST(Verifier, MalformedInputsAreClassifiedNotThrown) {
  const std::string good(130, 'a');
  struct Case {
    std::string signature;
    std::string address;
    std::string reason_part;
  };
  for (const Case& c :
       {Case{"0xzz" + good.substr(2), "", "invalid hex digit 'z'"},
        Case{good.substr(2), "", "expected 65 bytes"}, Case{good + "aa", "", "expected 65 bytes"},
        Case{good.substr(1), "", "odd number"},
        Case{good, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55"}}) {
    std::optional<std::string_view> address;
    if (!c.address.empty()) address = c.address;
    const VerifyOutcome outcome =
        VerifySignedText({"t", c.signature, SignatureAlgo::kEcdsa, address});
    EXPECT_EQ(outcome.verdict, Verdict::kMalformed) << c.signature;
    ASSERT_FALSE(outcome.reasons.empty());
    EXPECT_NE(outcome.reasons[0].find(c.reason_part), std::string::npos) << outcome.reasons[0];
  }
}

TEST(Verifier, Ed25519NeedsThePublicKeyAndVerifies) {
  const Ed25519Key key = Ed25519Key::Generate();
  const std::string signature = EncodeHex(key.Sign("m:a:b"));
  const std::string public_key = EncodeHex(key.public_key());
  EXPECT_EQ(VerifySignedText({"m:a:b", signature, SignatureAlgo::kEd25519, {}}).verdict,
            Verdict::kMalformed);
  const VerifyOutcome good =
      VerifySignedText({"m:a:b", signature, SignatureAlgo::kEd25519, public_key});
  EXPECT_TRUE(good.valid());
  EXPECT_EQ(good.signer, public_key);
  EXPECT_EQ(VerifySignedText({"m:a:c", signature, SignatureAlgo::kEd25519, public_key}).verdict,
            Verdict::kInvalid);
}

TEST(SignedText, TwoAndThreeParts) {
  EXPECT_EQ(SignedTextForBodies("", "", "m"),
            "m:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855:"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Result<SignedTextParts> parts = ParseSignedText(SignedTextForBodies("a", "b", "org/model:v2"));
  ASSERT_TRUE(parts.ok()) << parts.error();
  EXPECT_EQ(parts->model, "org/model:v2");  // a model name may contain ':'
  EXPECT_EQ(parts->request_sha256, Sha256::HashHex("a"));
  EXPECT_EQ(parts->response_sha256, Sha256::HashHex("b"));
  Result<SignedTextParts> two = ParseSignedText(SignedTextForBodies("a", "b"));
  ASSERT_TRUE(two.ok());
  EXPECT_TRUE(two->model.empty());
  EXPECT_FALSE(ParseSignedText("abc").ok());
  EXPECT_FALSE(ParseSignedText("ab:cd").ok());
}

}  // namespace
}  // namespace teeharness::crypto
