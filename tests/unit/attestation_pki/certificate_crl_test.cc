#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <rapidjson/document.h>

#include <string>

#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/crl.h"
#include "harness/attestation/pki/trust_roots.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_pki/test_pki_util.h"

namespace teeharness::attestation::pki {
namespace {

using testing::QuotePemChain;
using testing::ReadVector;

std::string CollateralField(const std::string& file, const char* field) {
  rapidjson::Document doc;
  const std::string text = ReadVector("tdx/" + file);
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember(field)) return "";
  return doc[field].GetString();
}

TEST(CertificateTest, ParsesTheV4PckChainFromTheQuote) {
  const std::string quote = ReadVector("tdx/dcap-qvl-v4.quote");
  auto chain = ParsePemChain(QuotePemChain(quote));
  ASSERT_TRUE(chain.ok()) << chain.error();
  ASSERT_EQ(chain->size(), 3u);
  const Certificate& leaf = (*chain)[0];
  EXPECT_EQ(leaf.subject(),
            "CN=Intel SGX PCK Certificate, O=Intel Corporation, L=Santa Clara, ST=CA, C=US");
  EXPECT_EQ(leaf.issuer(),
            "CN=Intel SGX PCK Platform CA, O=Intel Corporation, L=Santa Clara, ST=CA, C=US");
  EXPECT_LT(leaf.not_before(), testing::kV4At);
  EXPECT_GT(leaf.not_after(), testing::kV4At);
  EXPECT_FALSE(leaf.serial_hex().empty());
  EXPECT_EQ(leaf.serial_hex().find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ((*chain)[2].der(), IntelSgxRootCa().der());
  // Round trip through DER keeps the bytes.
  auto again = Certificate::FromDer(leaf.der());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->der(), leaf.der());
  EXPECT_EQ(again->serial_hex(), leaf.serial_hex());
}

TEST(CertificateTest, ValidityTimesAreUnixSeconds) {
  const Certificate& root = IntelSgxRootCa();
  EXPECT_EQ(root.not_before(), 1526899510);  // 2018-05-21T10:45:10Z
  EXPECT_EQ(root.not_after(), 2524607999);   // 2049-12-31T23:59:59Z
  EXPECT_EQ(root.serial_hex(), "22650cd65a9d3489f383b49552bf501b392706ac");
  // NVIDIA's "forever" GeneralizedTime 9999-12-31T23:59:59Z.
  EXPECT_EQ(NvidiaDeviceIdentityCa().not_after(), 253402300799);
}

TEST(CertificateTest, EmbeddedRootsMatchTheVectorFiles) {
  auto intel = Certificate::FromPem(ReadVector("roots/intel-sgx-root-ca.pem"));
  ASSERT_TRUE(intel.ok()) << intel.error();
  EXPECT_EQ(intel->der(), IntelSgxRootCa().der());
  auto nvidia = Certificate::FromPem(ReadVector("roots/nvidia-device-identity-ca.pem"));
  ASSERT_TRUE(nvidia.ok()) << nvidia.error();
  EXPECT_EQ(nvidia->der(), NvidiaDeviceIdentityCa().der());
  EXPECT_EQ(IntelSgxRootCa().subject(),
            "CN=Intel SGX Root CA, O=Intel Corporation, L=Santa Clara, ST=CA, C=US");
  EXPECT_EQ(NvidiaDeviceIdentityCa().subject(), "CN=NVIDIA Device Identity CA, O=NVIDIA");
}

TEST(CertificateTest, PemChainToleratesCrlfNulAndTextBetweenBlocks) {
  const std::string pem = ReadVector("gpu/nvtrust-h100.certchain.pem");
  std::string messy;
  for (char c : pem) {
    if (c == '\n')
      messy += "\r\n";
    else
      messy += c;
  }
  size_t pos = messy.find("-----BEGIN", 10);
  messy.insert(pos, "some comment between blocks\r\n");
  messy = "leading text\n" + messy + std::string(5, '\0');
  auto chain = ParsePemChain(messy);
  ASSERT_TRUE(chain.ok()) << chain.error();
  ASSERT_EQ(chain->size(), 5u);
  EXPECT_EQ((*chain)[4].der(), NvidiaDeviceIdentityCa().der());
}

TEST(CertificateTest, PemChainErrorsNameTheBlock) {
  EXPECT_FALSE(ParsePemChain("").ok());
  EXPECT_FALSE(ParsePemChain("no certificates here").ok());
  const std::string root = ReadVector("roots/intel-sgx-root-ca.pem");
  std::string broken = root + "\n" + root;
  broken[broken.find("MIIC", root.size())] = 'A';  // The second block's outer tag.
  auto chain = ParsePemChain(broken);
  ASSERT_FALSE(chain.ok());
  EXPECT_NE(chain.error().find("PEM certificate 1"), std::string::npos) << chain.error();
  auto garbage =
      ParsePemChain(root + "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().find("PEM certificate 1"), std::string::npos) << garbage.error();
  EXPECT_FALSE(ParsePemChain(root + "-----BEGIN CERTIFICATE-----\nMIIC").ok());
  // FromPem wants exactly one certificate.
  EXPECT_FALSE(Certificate::FromPem(root + root).ok());
}

TEST(CertificateTest, RejectsGarbageAndTrailingDer) {
  EXPECT_FALSE(Certificate::FromDer({}).ok());
  const crypto::Bytes garbage = {0x30, 0x82, 0xff, 0xff, 0x01};
  EXPECT_FALSE(Certificate::FromDer(garbage).ok());
  crypto::Bytes der = IntelSgxRootCa().der();
  der.push_back(0);
  auto trailing = Certificate::FromDer(der);
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.error().find("trailing"), std::string::npos);
  for (size_t size = 0; size < IntelSgxRootCa().der().size(); size += 7) {
    EXPECT_FALSE(Certificate::FromDer(crypto::ByteSpan(IntelSgxRootCa().der()).first(size)).ok());
  }
}

TEST(CrlTest, ParsesIntelCrlsFromHexDerAndPem) {
  const std::string hex = CollateralField("dcap-qvl-v4.collateral.json", "pck_crl");
  ASSERT_FALSE(hex.empty());
  auto from_hex = Crl::Parse(hex);
  ASSERT_TRUE(from_hex.ok()) << from_hex.error();
  EXPECT_EQ(from_hex->issuer(),
            "CN=Intel SGX PCK Platform CA, O=Intel Corporation, L=Santa Clara, ST=CA, C=US");
  EXPECT_LE(from_hex->this_update(), testing::kV4At);
  EXPECT_GE(from_hex->next_update(), testing::kV4At);

  const crypto::Bytes der = crypto::DecodeHex(hex).value();
  auto from_der = Crl::Parse(std::string(der.begin(), der.end()));
  ASSERT_TRUE(from_der.ok()) << from_der.error();
  EXPECT_EQ(from_der->der(), der);

  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509_CRL(bio, from_der->get());
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  auto from_pem = Crl::Parse(pem + "\r\n");
  ASSERT_TRUE(from_pem.ok()) << from_pem.error();
  EXPECT_EQ(from_pem->der(), der);

  auto root_crl = Crl::Parse(CollateralField("dcap-qvl-v4.collateral.json", "root_ca_crl"));
  ASSERT_TRUE(root_crl.ok()) << root_crl.error();
  EXPECT_TRUE(root_crl->SignedBy(IntelSgxRootCa()));
  EXPECT_FALSE(Crl::Parse("zz").ok());
  EXPECT_FALSE(Crl::Parse("").ok());
  EXPECT_FALSE(Crl::Parse("3082").ok());
}

TEST(CrlTest, IntelCrlWithAFlippedByteFailsSignedBy) {
  const std::string pem_chain =
      CollateralField("dcap-qvl-v4.collateral.json", "pck_crl_issuer_chain");
  auto issuers = ParsePemChain(pem_chain);
  ASSERT_TRUE(issuers.ok()) << issuers.error();
  const Certificate& platform_ca = (*issuers)[0];
  const crypto::Bytes der =
      crypto::DecodeHex(CollateralField("dcap-qvl-v4.collateral.json", "pck_crl")).value();
  auto crl = Crl::FromDer(der);
  ASSERT_TRUE(crl.ok()) << crl.error();
  EXPECT_TRUE(crl->SignedBy(platform_ca));
  EXPECT_FALSE(crl->SignedBy(IntelSgxRootCa()));
  // A byte inside the signed body (a revoked serial) and one in the signature itself.
  for (size_t offset : {der.size() / 2, der.size() - 1}) {
    crypto::Bytes flipped = der;
    flipped[offset] ^= 0x01;
    auto bad = Crl::FromDer(flipped);
    if (bad.ok()) {
      EXPECT_FALSE(bad->SignedBy(platform_ca)) << "offset " << offset;
    }
  }
}

TEST(CrlTest, ListsBySerial) {
  testing::Key ca_key = testing::NewKey();
  testing::Key leaf_key = testing::NewKey();
  const Certificate leaf =
      testing::MakeCert({"leaf", "ca", 77, false}, leaf_key.get(), ca_key.get());
  const Certificate other =
      testing::MakeCert({"other", "ca", 78, false}, leaf_key.get(), ca_key.get());
  const Crl crl = testing::MakeCrl("ca", ca_key.get(), {5, 77, 1000});
  EXPECT_TRUE(crl.Lists(leaf));
  EXPECT_FALSE(crl.Lists(other));
  EXPECT_FALSE(testing::MakeCrl("ca", ca_key.get(), {}).Lists(leaf));
  EXPECT_EQ(crl.issuer(), "CN=ca, O=teeharness test");
  EXPECT_EQ(crl.this_update(), 1750000000);
  EXPECT_EQ(crl.next_update(), 1800000000);
}

}  // namespace
}  // namespace teeharness::attestation::pki
