#include "harness/attestation/pki/sgx_extensions.h"

#include <gtest/gtest.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>
#include <random>
#include <string>

#include "harness/attestation/pki/der_reader.h"
#include "harness/attestation/pki/trust_roots.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_pki/test_pki_util.h"

namespace teeharness::attestation::pki {
namespace {

Certificate PckOf(const std::string& quote_file) {
  auto chain =
      ParsePemChain(testing::QuotePemChain(testing::ReadVector("tdx/" + quote_file + ".quote")));
  EXPECT_TRUE(chain.ok()) << chain.error();
  return (*chain)[0];
}

// The raw extension value of the SGX extension, as the fuzz target would see it.
crypto::Bytes ExtensionValue(const Certificate& pck) {
  ASN1_OBJECT* oid = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
  const int index = X509_get_ext_by_OBJ(pck.get(), oid, -1);
  ASN1_OBJECT_free(oid);
  if (index < 0) return {};
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(pck.get(), index));
  const uint8_t* bytes = ASN1_STRING_get0_data(data);
  return crypto::Bytes(bytes, bytes + ASN1_STRING_length(data));
}

TEST(SgxExtensionsTest, V4Pck) {
  auto ext = ParsePckExtensions(PckOf("dcap-qvl-v4"));
  ASSERT_TRUE(ext.ok()) << ext.error();
  EXPECT_EQ(crypto::EncodeHex(ext->fmspc), "b0c06f000000");
  EXPECT_EQ(crypto::EncodeHex(ext->pce_id), "0000");
  EXPECT_EQ(ext->ppid.size(), 16u);
  // CPUSVN carries the same 16 components, byte for byte.
  EXPECT_EQ(std::vector<uint8_t>(ext->cpu_svn.begin(), ext->cpu_svn.end()),
            std::vector<uint8_t>(ext->sgx_tcb_components.begin(), ext->sgx_tcb_components.end()));
  EXPECT_GT(ext->pce_svn, 0);
}

TEST(SgxExtensionsTest, V5Pck) {
  auto ext = ParsePckExtensions(PckOf("dcap-qvl-v5-nomatch"));
  ASSERT_TRUE(ext.ok()) << ext.error();
  EXPECT_EQ(crypto::EncodeHex(ext->fmspc), "90c06f000000");
  EXPECT_EQ(crypto::EncodeHex(ext->pce_id), "0000");
  EXPECT_EQ(crypto::EncodeHex(ext->ppid), "66498c9263c04ed2f0657c530ac2b0cb");
  const std::array<uint8_t, 16> components = {3, 3, 2, 2, 4, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(ext->sgx_tcb_components, components);
  EXPECT_EQ(crypto::EncodeHex(ext->cpu_svn), "03030202040100030000000000000000");
  EXPECT_EQ(ext->pce_svn, 13);
  EXPECT_EQ(ext->sgx_type, 1);  // Scalable (this platform PCK also has entries .6 and .7).
}

TEST(SgxExtensionsTest, RawOverloadAgreesWithTheCertificateOne) {
  const crypto::Bytes value = ExtensionValue(PckOf("dcap-qvl-v4"));
  ASSERT_FALSE(value.empty());
  auto ext = ParsePckExtensions(value);
  ASSERT_TRUE(ext.ok()) << ext.error();
  EXPECT_EQ(crypto::EncodeHex(ext->fmspc), "b0c06f000000");
}

TEST(SgxExtensionsTest, CertificateWithoutTheExtension) {
  auto ext = ParsePckExtensions(IntelSgxRootCa());
  ASSERT_FALSE(ext.ok());
  EXPECT_NE(ext.error().find("no SGX extension"), std::string::npos) << ext.error();
}

TEST(SgxExtensionsTest, EveryTruncationIsAnError) {
  const crypto::Bytes value = ExtensionValue(PckOf("dcap-qvl-v5-nomatch"));
  for (size_t size = 0; size < value.size(); ++size) {
    auto ext = ParsePckExtensions(crypto::ByteSpan(value).first(size));
    EXPECT_FALSE(ext.ok()) << "size " << size;
  }
  crypto::Bytes longer = value;
  longer.push_back(0);
  auto trailing = ParsePckExtensions(longer);
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().find("offset"), std::string::npos) << trailing.error();
}

TEST(SgxExtensionsTest, ErrorsNameTheOid) {
  crypto::Bytes value = ExtensionValue(PckOf("dcap-qvl-v4"));
  // Find the FMSPC entry (OID ...13.1.4 followed by OCTET STRING of 6) and shorten its tag to
  // INTEGER: the error must name ...13.1.4.
  const crypto::Bytes fmspc_oid = {0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86,
                                   0xf8, 0x4d, 0x01, 0x0d, 0x01, 0x04};
  auto at = std::search(value.begin(), value.end(), fmspc_oid.begin(), fmspc_oid.end());
  ASSERT_NE(at, value.end());
  *(at + fmspc_oid.size()) = 0x02;
  auto ext = ParsePckExtensions(value);
  ASSERT_FALSE(ext.ok());
  EXPECT_NE(ext.error().find("1.2.840.113741.1.13.1.4"), std::string::npos) << ext.error();
}

TEST(SgxExtensionsTest, RandomMutationsNeverCrash) {
  const crypto::Bytes value = ExtensionValue(PckOf("dcap-qvl-v4"));
  std::mt19937 random(12345);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    crypto::Bytes mutated = value;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < flips; ++i)
      mutated[random() % mutated.size()] = static_cast<uint8_t>(random());
    if (random() % 4 == 0) mutated.resize(random() % mutated.size());
    if (ParsePckExtensions(mutated).ok()) ++accepted;
  }
  // Pure garbage.
  for (int round = 0; round < 2000; ++round) {
    crypto::Bytes garbage(random() % 64);
    for (auto& byte : garbage) byte = static_cast<uint8_t>(random());
    if (!garbage.empty() && round % 2 == 0) garbage[0] = 0x30;
    EXPECT_FALSE(ParsePckExtensions(garbage).ok());
  }
  SUCCEED() << accepted << " mutations still parse (changed values)";
}

TEST(DerReaderTest, RejectsBadLengths) {
  const crypto::Bytes indefinite = {0x30, 0x80, 0x00, 0x00};
  EXPECT_FALSE(DerReader(indefinite).Next().ok());
  const crypto::Bytes too_long = {0x04, 0x85, 1, 0, 0, 0, 0};
  EXPECT_FALSE(DerReader(too_long).Next().ok());
  const crypto::Bytes overrun = {0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00};
  EXPECT_FALSE(DerReader(overrun).Next().ok());
  const crypto::Bytes non_minimal = {0x04, 0x81, 0x01, 0xaa};
  EXPECT_FALSE(DerReader(non_minimal).Next().ok());
  const crypto::Bytes ok = {0x04, 0x02, 0xaa, 0xbb, 0x05, 0x00};
  DerReader reader(ok);
  auto first = reader.Next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->value.size(), 2u);
  EXPECT_EQ(first->content_offset, 2u);
  auto second = reader.Next();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->offset, 4u);
  EXPECT_TRUE(reader.done());
  EXPECT_FALSE(reader.Next().ok());
}

TEST(DerReaderTest, Integers) {
  auto value = [](crypto::Bytes contents, uint64_t max) {
    DerElement element{kDerInteger, contents, 0, 2};
    return DerUnsigned(element, max, "x");
  };
  EXPECT_EQ(*value({0x00}, 255), 0u);
  EXPECT_EQ(*value({0x00, 0xff}, 255), 255u);
  EXPECT_FALSE(value({0xff}, 255).ok());        // Negative.
  EXPECT_FALSE(value({0x01, 0x00}, 255).ok());  // Too large.
  EXPECT_FALSE(value({0x00, 0x01}, 255).ok());  // Non-minimal.
  EXPECT_FALSE(value({}, 255).ok());
  EXPECT_EQ(OidToString(crypto::Bytes{0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01}),
            "1.2.840.113741.1.13.1");
  EXPECT_EQ(OidToString(crypto::Bytes{0x2a, 0x86}), "<malformed OID>");
}

}  // namespace
}  // namespace teeharness::attestation::pki
