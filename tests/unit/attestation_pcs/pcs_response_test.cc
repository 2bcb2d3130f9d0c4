// Decoding of PCS v4 response parts: issuer-chain headers, signed envelopes cut out byte for byte,
// CRL bodies in the encodings servers use.
#include "harness/attestation/collateral/pcs_response.h"

#include <gtest/gtest.h>

#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/crl_distribution_point.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_pcs/fake_pcs.h"

namespace teeharness::attestation::pcs {
namespace {

using pcs_testing::UrlEncoded;
using pcs_testing::V4Collateral;

TEST(IssuerChainHeader, DecodesUrlEncodedPemExactly) {
  const Collateral c = V4Collateral();
  ASSERT_FALSE(c.tcb_info_issuer_chain.empty());
  Result<std::string> pem = DecodeIssuerChainHeader(UrlEncoded(c.tcb_info_issuer_chain), "h");
  ASSERT_TRUE(pem.ok()) << pem.error();
  EXPECT_EQ(*pem, c.tcb_info_issuer_chain);
  Result<std::vector<pki::Certificate>> chain = pki::ParsePemChain(*pem);
  ASSERT_TRUE(chain.ok()) << chain.error();
  EXPECT_EQ(chain->size(), 2u);
}

TEST(IssuerChainHeader, KeepsPlusAndRejectsBadEscapesAndNonPem) {
  // '+' is base64's, not a space.
  Result<std::string> pem =
      DecodeIssuerChainHeader("-----BEGIN%20CERTIFICATE-----%0AMII+/w==%0A", "X");
  ASSERT_TRUE(pem.ok()) << pem.error();
  EXPECT_EQ(*pem, "-----BEGIN CERTIFICATE-----\nMII+/w==\n");
  Result<std::string> bad = DecodeIssuerChainHeader("-----BEGIN%2", "TCB-Info-Issuer-Chain");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("TCB-Info-Issuer-Chain"), std::string::npos) << bad.error();
  EXPECT_NE(bad.error().find("offset 10"), std::string::npos) << bad.error();
  EXPECT_FALSE(DecodeIssuerChainHeader("%zz", "X").ok());
  EXPECT_FALSE(DecodeIssuerChainHeader("hello%20world", "X").ok());
}

TEST(RawMemberText, CutsNestedValuesAndSkipsStringsWithBraces) {
  const std::string json =
      R"( { "a" : "x}\"{" , "tcbInfo" : {"k":[1,{"s":"}]\\"}],"n":null} ,"z":[] } )";
  Result<std::string_view> text = RawMemberText(json, "tcbInfo");
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_EQ(*text, R"({"k":[1,{"s":"}]\\"}],"n":null})");
  Result<std::string_view> a = RawMemberText(json, "a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, R"("x}\"{")");
  EXPECT_EQ(*RawMemberText(R"({"n":12.5e3,"m":true})", "m"), "true");
  EXPECT_FALSE(RawMemberText(json, "missing").ok());
  // Truncated or not an object: errors, never out of bounds.
  EXPECT_FALSE(RawMemberText(R"({"tcbInfo":{"a":"b)", "tcbInfo").ok());
  EXPECT_FALSE(RawMemberText(R"([1,2])", "tcbInfo").ok());
  EXPECT_FALSE(RawMemberText(R"({"a")", "tcbInfo").ok());
  EXPECT_FALSE(RawMemberText("", "tcbInfo").ok());
}

TEST(SignedJson, PreservesTheServedBytesOfTheRealTcbInfo) {
  const Collateral c = V4Collateral();
  const std::string body = "{\"signature\" : \"" + crypto::EncodeHex(c.tcb_info_signature) +
                           "\",\n \"tcbInfo\":\t" + c.tcb_info + "\n}";
  Result<SignedJson> signed_json = ParseSignedJson(body, "tcbInfo", "TCB info");
  ASSERT_TRUE(signed_json.ok()) << signed_json.error();
  EXPECT_EQ(signed_json->text, c.tcb_info);  // byte for byte, not re-serialized
  EXPECT_EQ(signed_json->signature, c.tcb_info_signature);
}

TEST(SignedJson, RejectsMalformedEnvelopes) {
  const std::string sig(128, 'a');
  struct Case {
    std::string body, expected;
  };
  for (const Case& k : {
           Case{"not json", "TCB info"},
           Case{R"({"tcbInfo":{}})", "'signature' is missing"},
           Case{R"({"tcbInfo":{},"signature":"abcd"})", "signature"},
           Case{R"({"tcbInfo":[],"signature":")" + sig + "\"}", "not an object"},
           Case{R"({"signature":")" + sig + "\"}", "appears 0 times"},
           Case{R"({"tcbInfo":{},"tcbInfo":{"x":1},"signature":")" + sig + "\"}",
                "appears 2 times"},
       }) {
    Result<SignedJson> r = ParseSignedJson(k.body, "tcbInfo", "TCB info");
    ASSERT_FALSE(r.ok()) << k.body;
    EXPECT_NE(r.error().find(k.expected), std::string::npos) << k.body << " -> " << r.error();
  }
}

TEST(CrlBody, AcceptsDerHexAndPemAndRejectsGarbage) {
  const Collateral c = V4Collateral();
  const std::string der(c.root_ca_crl.begin(), c.root_ca_crl.end());
  for (const std::string& body : {der, crypto::EncodeHex(c.root_ca_crl) + "\n"}) {
    Result<crypto::Bytes> decoded = DecodeCrlBody(body, "root CA CRL");
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(*decoded, c.root_ca_crl);
  }
  Result<crypto::Bytes> bad = DecodeCrlBody("<html>502 Bad Gateway</html>", "PCK CRL");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().rfind("PCK CRL: ", 0), 0u) << bad.error();
  EXPECT_FALSE(DecodeCrlBody("", "PCK CRL").ok());
}

TEST(CrlDistributionPoint, IntelRootPointsAtItsCrl) {
  Result<std::vector<pki::Certificate>> chain =
      pki::ParsePemChain(V4Collateral().qe_identity_issuer_chain);
  ASSERT_TRUE(chain.ok()) << chain.error();
  Result<std::string> url = pki::CrlDistributionPointUrl(chain->back());
  ASSERT_TRUE(url.ok()) << url.error();
  EXPECT_EQ(*url, "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
}

}  // namespace
}  // namespace teeharness::attestation::pcs
