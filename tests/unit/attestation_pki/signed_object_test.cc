// IssuerSignatureVerifies: the signature check of certificates and CRLs that replaced X509_verify
// (certificates carry no EVP_PKEY, see certificate.h), held to the same rules.
#include "harness/attestation/pki/signed_object.h"

#include <gtest/gtest.h>
#include <openssl/obj_mac.h>

#include "harness/attestation/pki/signature_memo.h"
#include "tests/unit/attestation_pki/test_pki_util.h"

namespace teeharness::attestation::pki {
namespace {

using testing::CertSpec;
using testing::MakeCert;
using testing::MakeCertDer;
using testing::NewKey;

TEST(SignedObject, CertificatesAndCrlsOfBothCurves) {
  for (const char* curve : {"P-256", "P-384"}) {
    const testing::Key ca_key = NewKey(curve);
    const testing::Key other_key = NewKey(curve);
    const Certificate ca = MakeCert({"ca", "ca", 1, true}, ca_key.get(), ca_key.get());
    const Certificate other =
        MakeCert({"other", "other", 2, true}, other_key.get(), other_key.get());
    EXPECT_EQ(ca.key_curve_nid(),
              std::string(curve) == "P-256" ? NID_X9_62_prime256v1 : NID_secp384r1);
    const crypto::Bytes leaf = MakeCertDer({"leaf", "ca", 3, false}, NewKey().get(), ca_key.get());
    EXPECT_TRUE(IssuerSignatureVerifies(leaf, ca)) << curve;
    EXPECT_FALSE(IssuerSignatureVerifies(leaf, other)) << curve;
    const crypto::Bytes crl = testing::MakeCrlDer("ca", ca_key.get(), {7}, 1700000000, 1900000000);
    EXPECT_TRUE(IssuerSignatureVerifies(crl, ca)) << curve;
    EXPECT_FALSE(IssuerSignatureVerifies(crl, other)) << curve;
  }
}

TEST(SignedObject, AnyChangedByteOrTrailingByteFails) {
  const testing::Key ca_key = NewKey();
  const Certificate ca = MakeCert({"ca", "ca", 1, true}, ca_key.get(), ca_key.get());
  const crypto::Bytes leaf = MakeCertDer({"leaf", "ca", 3, false}, NewKey().get(), ca_key.get());
  ASSERT_TRUE(IssuerSignatureVerifies(leaf, ca));
  for (size_t i = 0; i < leaf.size(); ++i) {
    crypto::Bytes changed = leaf;
    changed[i] ^= 0x01;
    EXPECT_FALSE(IssuerSignatureVerifies(changed, ca)) << "byte " << i;
  }
  crypto::Bytes longer = leaf;
  longer.push_back(0);
  EXPECT_FALSE(IssuerSignatureVerifies(longer, ca));
  EXPECT_FALSE(IssuerSignatureVerifies({}, ca));
}

TEST(SignedObject, TheMemoVerifiesOncePerPairAndNeverRemembersFailures) {
  const testing::Key ca_key = NewKey();
  const testing::Key other_key = NewKey();
  const Certificate ca = MakeCert({"ca", "ca", 1, true}, ca_key.get(), ca_key.get());
  const Certificate other = MakeCert({"ca", "ca", 1, true}, other_key.get(), other_key.get());
  const crypto::Bytes leaf = MakeCertDer({"leaf", "ca", 3, false}, NewKey().get(), ca_key.get());
  SignatureMemo memo;
  EXPECT_FALSE(memo.Verifies(leaf, other));
  EXPECT_TRUE(memo.Verifies(leaf, ca));
  EXPECT_TRUE(memo.Verifies(leaf, ca));
  EXPECT_FALSE(memo.Verifies(leaf, other));  // same names, another key: not the remembered pair
}

}  // namespace
}  // namespace teeharness::attestation::pki
