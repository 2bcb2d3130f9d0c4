#include <gtest/gtest.h>

#include <string>

#include "harness/attestation/collateral/collateral.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_collateral/vectors.h"

namespace teeharness::attestation {
namespace {

using collateral_testing::kV4Collateral;
using collateral_testing::kV5Collateral;
using collateral_testing::LoadCollateral;
using collateral_testing::ReadVector;
using collateral_testing::Replaced;

// Replaces the JSON value of top-level string member `key` in the real file with `value` (raw
// JSON text).
std::string WithMember(const std::string& key, const std::string& value) {
  std::string text = ReadVector(kV4Collateral);
  const size_t at = text.find("\"" + key + "\"");
  const size_t start = text.find('"', text.find(':', at));
  size_t end = start + 1;
  while (text[end] != '"') end += text[end] == '\\' ? 2 : 1;
  text.replace(start, end - start + 1, value);
  return text;
}

std::string ByteArray(const crypto::Bytes& bytes) {
  std::string out = "[";
  for (uint8_t b : bytes) out += std::to_string(b) + ",";
  out.back() = ']';
  return out;
}

TEST(CollateralJson, ParsesBothRealFiles) {
  for (const char* name : {kV4Collateral, kV5Collateral}) {
    Result<Collateral> c = ParseCollateralJson(ReadVector(name));
    ASSERT_TRUE(c.ok()) << name << ": " << c.error();
    EXPECT_EQ(c->tcb_info_signature.size(), 64u);
    EXPECT_EQ(c->qe_identity_signature.size(), 64u);
    EXPECT_EQ(c->pck_crl.at(0), 0x30) << "DER SEQUENCE";
    EXPECT_EQ(c->root_ca_crl.at(0), 0x30);
    EXPECT_EQ(c->tcb_info.rfind("{\"id\":\"TDX\",\"version\":3,", 0), 0u) << c->tcb_info;
    EXPECT_EQ(c->qe_identity.rfind("{\"id\":\"TD_QE\",\"version\":2,", 0), 0u);
    EXPECT_NE(c->tcb_info_issuer_chain.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_NE(c->qe_identity_issuer_chain.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_NE(c->pck_crl_issuer_chain.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_TRUE(c->pck_certificate_chain.empty());
  }
  // The first bytes as in the file (hex of DER).
  const Collateral v4 = LoadCollateral(kV4Collateral);
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(v4.pck_crl).first(10)), "30820a6330820a080201");
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(v4.root_ca_crl).first(10)), "308201203081c8020101");
}

TEST(CollateralJson, ByteFieldsAcceptByteArraysAndCrlsAcceptPem) {
  const Collateral v4 = LoadCollateral(kV4Collateral);
  Result<Collateral> arrays =
      ParseCollateralJson(WithMember("root_ca_crl", ByteArray(v4.root_ca_crl)));
  ASSERT_TRUE(arrays.ok()) << arrays.error();
  EXPECT_EQ(arrays->root_ca_crl, v4.root_ca_crl);
  Result<Collateral> sig =
      ParseCollateralJson(WithMember("tcb_info_signature", ByteArray(v4.tcb_info_signature)));
  ASSERT_TRUE(sig.ok()) << sig.error();
  EXPECT_EQ(sig->tcb_info_signature, v4.tcb_info_signature);

  std::string pem = "-----BEGIN X509 CRL-----\\n";
  const std::string b64 = crypto::EncodeBase64(v4.pck_crl);
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\\n";
  pem += "-----END X509 CRL-----\\n";
  Result<Collateral> from_pem = ParseCollateralJson(WithMember("pck_crl", "\"" + pem + "\""));
  ASSERT_TRUE(from_pem.ok()) << from_pem.error();
  EXPECT_EQ(from_pem->pck_crl, v4.pck_crl);
  // PEM is for CRLs only: a signature is raw r||s.
  EXPECT_FALSE(ParseCollateralJson(WithMember("qe_identity_signature", "\"" + pem + "\"")).ok());
}

TEST(CollateralJson, OptionalPckChainIsKept) {
  std::string text = ReadVector(kV4Collateral);
  text.insert(text.find('{') + 1, "\"pck_certificate_chain\":\"PEM\",");
  Result<Collateral> c = ParseCollateralJson(text);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->pck_certificate_chain, "PEM");
  text = Replaced(text, "\"PEM\"", "null");
  ASSERT_TRUE(ParseCollateralJson(text).ok());
  text = Replaced(text, "\"pck_certificate_chain\":null", "\"pck_certificate_chain\":7");
  EXPECT_EQ(ParseCollateralJson(text).error(), "collateral.pck_certificate_chain is not a string");
}

TEST(CollateralJson, ErrorsNameTheField) {
  EXPECT_EQ(ParseCollateralJson("{}").error(), "collateral.tcb_info is missing");
  EXPECT_EQ(ParseCollateralJson(WithMember("tcb_info", "5")).error(),
            "collateral.tcb_info is not a string");
  EXPECT_EQ(ParseCollateralJson(WithMember("qe_identity_issuer_chain", "null")).error(),
            "collateral.qe_identity_issuer_chain is not a string");
  EXPECT_EQ(ParseCollateralJson(WithMember("tcb_info_signature", "\"00\"")).error(),
            "collateral.tcb_info_signature is 1 bytes; expected 64");
  EXPECT_EQ(
      ParseCollateralJson(WithMember("qe_identity_signature", "\"" + std::string(128, 'g') + "\""))
          .error()
          .rfind("collateral.qe_identity_signature: ", 0),
      0u);
  EXPECT_EQ(ParseCollateralJson(WithMember("pck_crl", "\"\"")).error(),
            "collateral.pck_crl is empty");
  EXPECT_EQ(ParseCollateralJson(WithMember("pck_crl", "[]")).error(),
            "collateral.pck_crl is empty");
  EXPECT_EQ(ParseCollateralJson(WithMember("pck_crl", "[48,130,256]")).error(),
            "collateral.pck_crl[2] is not a byte (0..255)");
  EXPECT_EQ(ParseCollateralJson(WithMember("pck_crl", "[48,-1]")).error(),
            "collateral.pck_crl[1] is not a byte (0..255)");
  EXPECT_EQ(ParseCollateralJson(WithMember("pck_crl", "[48,1.5]")).error(),
            "collateral.pck_crl[1] is not a byte (0..255)");
  EXPECT_EQ(ParseCollateralJson(WithMember("root_ca_crl", "{}")).error(),
            "collateral.root_ca_crl is neither a string nor an array of bytes");
  EXPECT_EQ(ParseCollateralJson(WithMember("root_ca_crl", "\"-----BEGIN X509 CRL-----\"")).error(),
            "collateral.root_ca_crl is truncated PEM");
  EXPECT_EQ(ParseCollateralJson(
                WithMember("root_ca_crl", "\"-----BEGIN X509 CRL-----\\n@@@\\n-----END\""))
                .error()
                .rfind("collateral.root_ca_crl: PEM body: ", 0),
            0u);
}

TEST(CollateralJson, HostileTextIsAnErrorNotACrash) {
  const std::string real = ReadVector(kV4Collateral);
  EXPECT_EQ(ParseCollateralJson("").error().rfind("collateral is not JSON", 0), 0u);
  EXPECT_EQ(ParseCollateralJson("[1]").error(), "collateral is not a JSON object");
  EXPECT_EQ(ParseCollateralJson("\"x\"").error(), "collateral is not a JSON object");
  EXPECT_FALSE(ParseCollateralJson(real + "x").ok());                 // trailing garbage
  EXPECT_FALSE(ParseCollateralJson("{\"a\":NaN}").ok());              // not JSON
  EXPECT_FALSE(ParseCollateralJson("{\"tcb_info\":\"\xff\"}").ok());  // invalid UTF-8
  EXPECT_NE(ParseCollateralJson(std::string(100000, '[')).error().find("nested deeper"),
            std::string::npos);
  EXPECT_NE(ParseCollateralJson("{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}")
                .error()
                .find("nested deeper"),
            std::string::npos);
  EXPECT_FALSE(ParseCollateralJson(WithMember("pck_crl", "1e999999")).ok());
  EXPECT_FALSE(ParseCollateralJson(WithMember("pck_crl", "[" + std::string(400, '9') + "]")).ok());
  // Every prefix fails cleanly (a sample of them: the file is 16 KB).
  for (size_t n = 0; n < real.size(); n += 97) {
    EXPECT_FALSE(ParseCollateralJson(real.substr(0, n)).ok()) << n;
  }
  // Single-byte corruptions anywhere parse or fail, never crash.
  for (size_t at = 0; at < real.size(); at += 53) {
    for (char c : {'"', '{', ']', '\\', '\0', 'A'}) {
      std::string bad = real;
      bad[at] = c;
      (void)ParseCollateralJson(bad);
    }
  }
}

}  // namespace
}  // namespace teeharness::attestation
