#include "harness/crypto/secp256k1.h"

#include <gtest/gtest.h>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/keccak.h"
#include "harness/crypto/signature.h"
#include "tests/unit/crypto/vectors.h"

namespace teeharness::crypto {
namespace {

EcdsaKey KeyFromHex(const std::string& hex) {
  Result<EcdsaKey> key = EcdsaKey::FromPrivateKey(*DecodeHex(hex));
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

TEST(Secp256k1, SyntheticKeyDerivesPublicKeyAndAddress) {
  const auto& key_vector = Synthetic()["ecdsa_key"];
  const EcdsaKey key = KeyFromHex(Str(key_vector, "private_key"));
  EXPECT_EQ("0x04" + EncodeHex(key.public_key()), Str(key_vector, "public_key_uncompressed"));
  EXPECT_EQ(ToChecksumAddress(key.address()), Str(key_vector, "address"));
}

TEST(Secp256k1, Rfc6979SignaturesReproducedByteForByte) {
  const EcdsaKey key = KeyFromHex(Str(Synthetic()["ecdsa_key"], "private_key"));
  for (const auto& vector : Synthetic()["signatures"].GetArray()) {
    const std::string text = Str(vector, "text");
    EXPECT_EQ(EncodeEthSignature(key.SignPersonalMessage(text)), Str(vector, "ecdsa")) << text;
  }
}

TEST(Secp256k1, Eip191NonAsciiExampleReproduced) {
  const auto& example = Synthetic()["eip191_example"];
  const EcdsaKey key = KeyFromHex(Str(example, "private_key"));
  const std::string message = Str(example, "message");
  ASSERT_EQ(message, "I\xe2\x99\xa5SF");
  EXPECT_EQ(EncodeEthSignature(key.SignPersonalMessage(message)), Str(example, "signature"));
}

TEST(Secp256k1, RecoversSignerOfFreshSignatures) {
  const EcdsaKey key = EcdsaKey::Generate();
  for (const std::string& message :
       std::vector<std::string>{"", "a", "model:abc:def", std::string(10000, 'x')}) {
    const RecoverableSignature signature = key.SignDigest(Eip191Digest(message));
    EXPECT_TRUE(IsLowS(signature.rs));  // libsecp256k1 always produces low-s
    Result<PublicKey64> recovered = RecoverPublicKey(Eip191Digest(message), signature);
    ASSERT_TRUE(recovered.ok()) << recovered.error();
    EXPECT_EQ(*recovered, key.public_key());
  }
}

TEST(Secp256k1, RecoveryIdOutsideRangeIsAnErrorNotAnAbort) {
  RecoverableSignature signature;
  signature.rs.fill(1);
  for (int id : {-1, 4, 27, 255}) {
    signature.recovery_id = id;
    Result<PublicKey64> recovered = RecoverPublicKey(Hash32{}, signature);
    ASSERT_FALSE(recovered.ok());
    EXPECT_NE(recovered.error().find("outside 0..3"), std::string::npos);
  }
}

TEST(Secp256k1, OutOfRangeScalarsAreErrors) {
  RecoverableSignature zero;  // r = s = 0
  EXPECT_FALSE(RecoverPublicKey(Hash32{}, zero).ok());
  RecoverableSignature overflow;
  overflow.rs.fill(0xff);  // r, s >= n
  EXPECT_FALSE(RecoverPublicKey(Hash32{}, overflow).ok());
}

TEST(Secp256k1, RejectsInvalidPrivateKeys) {
  EXPECT_FALSE(EcdsaKey::FromPrivateKey(Bytes(31, 1)).ok());
  EXPECT_FALSE(EcdsaKey::FromPrivateKey(Bytes(32, 0)).ok());
  EXPECT_FALSE(EcdsaKey::FromPrivateKey(Bytes(32, 0xff)).ok());
}

TEST(Secp256k1, LowSBoundary) {
  std::array<uint8_t, 64> rs{};
  // s = n/2 exactly is low; n/2 + 1 is high.
  const Bytes half = *DecodeHex("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
  std::copy(half.begin(), half.end(), rs.begin() + 32);
  EXPECT_TRUE(IsLowS(rs));
  rs[63] = 0xa1;
  EXPECT_FALSE(IsLowS(rs));
}

}  // namespace
}  // namespace teeharness::crypto
