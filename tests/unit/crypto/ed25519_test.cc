#include "harness/crypto/ed25519.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <random>
#include <string>

#include "harness/crypto/hex.h"
#include "harness/crypto/signature.h"
#include "tests/unit/crypto/vectors.h"

namespace teeharness::crypto {
namespace {

Ed25519Key SyntheticKey() {
  Result<Ed25519Key> key =
      Ed25519Key::FromSeed(*DecodeHex(Str(Synthetic()["ed25519_key"], "seed")));
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

TEST(Ed25519, SyntheticSeedGivesPublishedPublicKey) {
  EXPECT_EQ(EncodeHex(SyntheticKey().public_key()), Str(Synthetic()["ed25519_key"], "public_key"));
}

TEST(Ed25519, Rfc8032TestOneEmptyMessage) {
  EXPECT_EQ(EncodeHex(SyntheticKey().Sign("")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

TEST(Ed25519, SyntheticSignaturesReproducedAndVerified) {
  const Ed25519Key key = SyntheticKey();
  for (const auto& vector : Synthetic()["signatures"].GetArray()) {
    const std::string text = Str(vector, "text");
    const Ed25519Signature signature = key.Sign(text);
    EXPECT_EQ(EncodeHex(signature), Str(vector, "ed25519"));
    EXPECT_TRUE(Ed25519Verify(key.public_key(), text, signature));
    EXPECT_FALSE(Ed25519Verify(key.public_key(), text + " ", signature));
  }
}

// The signer (Crypto++'s donna) and OpenSSL's EVP signer give the same bytes, for fresh keys and
// messages of every length, and OpenSSL verifies them.
TEST(Ed25519, SignerMatchesOpenSslByteForByte) {
  std::mt19937 random(7);
  for (int i = 0; i < 64; ++i) {
    const Ed25519Key key = Ed25519Key::Generate();
    std::string message(static_cast<size_t>(random() % 4096), '\0');
    for (char& c : message) c = static_cast<char>(random());
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> pkey(
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.seed().data(), 32),
        EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    Ed25519Signature openssl{};
    size_t size = openssl.size();
    ASSERT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()), 1);
    ASSERT_EQ(
        EVP_DigestSign(ctx.get(), openssl.data(), &size,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()),
        1);
    const Ed25519Signature ours = key.Sign(message);
    EXPECT_EQ(EncodeHex(ours), EncodeHex(openssl)) << "message length " << message.size();
    EXPECT_TRUE(Ed25519Verify(key.public_key(), message, ours));
  }
}

TEST(Ed25519, RejectsOtherKeysAndBadSeeds) {
  const Ed25519Key key = Ed25519Key::Generate();
  const Ed25519Key other = Ed25519Key::Generate();
  EXPECT_FALSE(Ed25519Verify(other.public_key(), "m", key.Sign("m")));
  EXPECT_FALSE(Ed25519Key::FromSeed(Bytes(31, 0)).ok());
  Ed25519PublicKey not_a_point{};
  not_a_point.fill(0xff);
  EXPECT_FALSE(Ed25519Verify(not_a_point, "m", key.Sign("m")));
}

TEST(Ed25519, SignatureDecoding) {
  SignatureFormat format;
  const std::string hex(128, 'a');
  ASSERT_TRUE(DecodeEd25519Signature(hex, &format).ok());
  EXPECT_FALSE(format.has_0x_prefix);
  ASSERT_TRUE(DecodeEd25519Signature("0x" + hex, &format).ok());
  EXPECT_TRUE(format.has_0x_prefix);
  EXPECT_FALSE(DecodeEd25519Signature(hex.substr(2)).ok());
}

}  // namespace
}  // namespace teeharness::crypto
