#include "harness/attestation/pki/ecdsa.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/crypto/hex.h"
#include "tests/unit/attestation_pki/test_pki_util.h"

namespace teeharness::attestation::pki {
namespace {

const crypto::Bytes kMessage = {'q', 'u', 'o', 't', 'e', ' ', 'b', 'o', 'd', 'y'};

TEST(EcdsaTest, P256RoundTripAndFlips) {
  testing::Key key = testing::NewKey("P-256");
  const crypto::Bytes xy = testing::RawPublicKey(key.get());
  ASSERT_EQ(xy.size(), 64u);
  const crypto::Bytes rs = testing::SignRaw(key.get(), kMessage, 32);
  EXPECT_TRUE(VerifyP256(xy, kMessage, rs));
  for (size_t i = 0; i < rs.size(); i += 5) {
    crypto::Bytes bad = rs;
    bad[i] ^= 0x01;
    EXPECT_FALSE(VerifyP256(xy, kMessage, bad)) << "signature byte " << i;
  }
  crypto::Bytes bad_message = kMessage;
  bad_message[3] ^= 0x80;
  EXPECT_FALSE(VerifyP256(xy, bad_message, rs));
  crypto::Bytes bad_key = xy;
  bad_key[10] ^= 0x01;  // Almost surely not on the curve; either way not the signer.
  EXPECT_FALSE(VerifyP256(bad_key, kMessage, rs));
  // Another key.
  testing::Key other = testing::NewKey("P-256");
  EXPECT_FALSE(VerifyP256(testing::RawPublicKey(other.get()), kMessage, rs));
}

TEST(EcdsaTest, WrongLengthsAndDegenerateInputsAreFalse) {
  testing::Key key = testing::NewKey("P-256");
  const crypto::Bytes xy = testing::RawPublicKey(key.get());
  const crypto::Bytes rs = testing::SignRaw(key.get(), kMessage, 32);
  EXPECT_FALSE(VerifyP256(crypto::ByteSpan(xy).first(63), kMessage, rs));
  EXPECT_FALSE(VerifyP256(xy, kMessage, crypto::ByteSpan(rs).first(63)));
  crypto::Bytes longer = rs;
  longer.push_back(0);
  EXPECT_FALSE(VerifyP256(xy, kMessage, longer));
  EXPECT_FALSE(VerifyP256({}, kMessage, {}));
  EXPECT_FALSE(VerifyP256(xy, kMessage, crypto::Bytes(64, 0)));     // r = s = 0.
  EXPECT_FALSE(VerifyP256(xy, kMessage, crypto::Bytes(64, 0xff)));  // r, s >= n.
  EXPECT_FALSE(VerifyP256(crypto::Bytes(64, 0), kMessage, rs));     // Not a curve point.
  EXPECT_FALSE(VerifyP384(xy, kMessage, rs));
}

TEST(EcdsaTest, EmptyMessage) {
  testing::Key key = testing::NewKey("P-256");
  const crypto::Bytes rs = testing::SignRaw(key.get(), {}, 32);
  EXPECT_TRUE(VerifyP256(testing::RawPublicKey(key.get()), {}, rs));
}

TEST(EcdsaTest, P384RoundTripAndFlips) {
  testing::Key key = testing::NewKey("P-384");
  const crypto::Bytes xy = testing::RawPublicKey(key.get());
  ASSERT_EQ(xy.size(), 96u);
  const crypto::Bytes rs = testing::SignRaw(key.get(), kMessage, 48);
  EXPECT_TRUE(VerifyP384(xy, kMessage, rs));
  crypto::Bytes bad = rs;
  bad[95] ^= 0x01;
  EXPECT_FALSE(VerifyP384(xy, kMessage, bad));
  EXPECT_FALSE(
      VerifyP256(crypto::ByteSpan(xy).first(64), kMessage, crypto::ByteSpan(rs).first(64)));
}

TEST(EcdsaTest, VerifyWithCertificatePicksTheHashFromTheCurve) {
  for (const char* curve : {"P-256", "P-384"}) {
    testing::Key key = testing::NewKey(curve);
    const Certificate cert =
        testing::MakeCert({"signer", "signer", 9, false}, key.get(), key.get());
    const size_t half = std::string(curve) == "P-256" ? 32 : 48;
    const crypto::Bytes rs = testing::SignRaw(key.get(), kMessage, half);
    EXPECT_TRUE(VerifyWithCertificate(cert, kMessage, rs)) << curve;
    crypto::Bytes bad = rs;
    bad[0] ^= 0x01;
    EXPECT_FALSE(VerifyWithCertificate(cert, kMessage, bad)) << curve;
    EXPECT_FALSE(VerifyWithCertificate(cert, kMessage, crypto::ByteSpan(rs).first(2 * half - 1)))
        << curve;
  }
}

TEST(EcdsaTest, NvidiaEvidenceSignatureVerifiesWithTheLeaf) {
  // The SPDM MEASUREMENTS signature: SHA-384 over request || response minus the 96-byte signature.
  std::string hex = testing::ReadVector("gpu/nvtrust-h100.evidence.hex");
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
    hex.pop_back();
  }
  auto evidence = crypto::DecodeHex(hex);
  ASSERT_TRUE(evidence.ok()) << evidence.error();
  ASSERT_GT(evidence->size(), 96u);
  auto chain = ParsePemChain(testing::ReadVector("gpu/nvtrust-h100.certchain.pem"));
  ASSERT_TRUE(chain.ok()) << chain.error();
  const crypto::ByteSpan all(*evidence);
  const crypto::ByteSpan message = all.first(all.size() - 96);
  const crypto::ByteSpan signature = all.last(96);
  EXPECT_TRUE(VerifyWithCertificate((*chain)[0], message, signature));
  EXPECT_FALSE(VerifyWithCertificate((*chain)[1], message, signature));
  crypto::Bytes tampered(message.begin(), message.end());
  tampered[40] ^= 0x01;
  EXPECT_FALSE(VerifyWithCertificate((*chain)[0], tampered, signature));
}

}  // namespace
}  // namespace teeharness::attestation::pki
