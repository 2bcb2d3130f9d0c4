#include <gtest/gtest.h>

#include <algorithm>

#include "harness/attestation/gpu/rim/swid_tag.h"
#include "harness/attestation/gpu/rim/xmldsig.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_rim/rim_test_support.h"

namespace teeharness::attestation::gpu::rim {
namespace {

using testing::RimFixture;
using testing::SmallRim;

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

void ExpectRejected(const Result<LoadedRim>& rim, const std::string& why) {
  ASSERT_FALSE(rim.ok()) << "accepted; expected: " << why;
  EXPECT_NE(rim.error().find(why), std::string::npos) << rim.error();
  EXPECT_NE(rim.error().find("test.swidtag"), std::string::npos) << rim.error();
}

TEST(RimSignature, AMockSignedRimParsesAndVerifies) {
  RimFixture f;
  Result<LoadedRim> rim = f.Load(f.Sign(SmallRim("550.90.07", {1, 2})));
  ASSERT_TRUE(rim.ok()) << rim.error();
  EXPECT_EQ(rim->kind, RimKind::kDriver);
  EXPECT_EQ(rim->tag.tag_id, "tag-550.90.07");
  EXPECT_EQ(rim->tag.colloquial_version, "550.90.07");
  EXPECT_EQ(rim->tag.product, "GH100");
  EXPECT_EQ(rim->tag.meta.at("PlatformModel"), "GH100");
  EXPECT_EQ(rim->tag.hash_algorithm, "sha384");
  ASSERT_EQ(rim->tag.measurements.size(), 4u);
  EXPECT_FALSE(rim->tag.measurements[0].active);
  EXPECT_TRUE(rim->tag.measurements[1].active);
  EXPECT_EQ(rim->tag.measurements[2].values.at(0), crypto::Bytes(48, 0x12));
  EXPECT_EQ(rim->signature.signer.find("CN=teeharness mock NVIDIA RIM signer"), 0u);
  EXPECT_EQ(rim->signature.chain_length, 2u);
  EXPECT_EQ(rim->signature.c14n, "http://www.w3.org/2006/12/xml-c14n11");
  EXPECT_EQ(RimKindName(f.Load(f.Sign(SmallRim("96.00.9F.00.01", {0})))->kind),
            std::string("VBIOS"));
}

TEST(RimSignature, EveryEditOfTheSignedContentFailsTheDigest) {
  RimFixture f;
  const std::string good = f.Sign(SmallRim("550.90.07", {1, 2}));
  // A flipped hash value.
  ExpectRejected(f.Load(Replace(good, crypto::EncodeHex(crypto::Bytes(48, 0x12)),
                                "13" + crypto::EncodeHex(crypto::Bytes(47, 0x12)))),
                 "does not equal the Reference's DigestValue");
  // An edited attribute.
  ExpectRejected(
      f.Load(Replace(good, "index=\"1\" active=\"True\"", "index=\"1\" active=\"False\"")),
      "DigestValue");
  // A removed Resource.
  const size_t begin = good.find("<ns0:Resource type=\"Measurement\" index=\"3\"");
  const size_t end = good.find("/>", begin) + 2;
  std::string removed = good;
  removed.erase(begin, end - begin);
  ExpectRejected(f.Load(removed), "DigestValue");
  // An added Resource.
  ExpectRejected(f.Load(Replace(good, "</ns0:Payload>",
                                "<ns0:Resource type=\"Measurement\" index=\"9\" active=\"True\" "
                                "alternatives=\"1\" ns2:Hash0=\"" +
                                    std::string(96, 'a') + "\" size=\"48\"/></ns0:Payload>")),
                 "DigestValue");
}

TEST(RimSignature, AFlippedSignatureValueByteFails) {
  RimFixture f;
  const std::string good = f.Sign(SmallRim("550.90.07", {1}));
  const size_t open = good.find("<ds:SignatureValue>") + std::string("<ds:SignatureValue>").size();
  const size_t close = good.find("</ds:SignatureValue>");
  crypto::Bytes sig = *crypto::DecodeBase64(good.substr(open, close - open));
  sig[10] ^= 0x01;
  std::string bad = good;
  bad.replace(open, close - open, crypto::EncodeBase64(sig));
  ExpectRejected(f.Load(bad), "SignatureValue does not verify over SignedInfo");
  // Truncated to r only: not XMLDSig's r||s for P-384.
  bad = good;
  bad.replace(open, close - open, crypto::EncodeBase64(crypto::ByteSpan(sig).subspan(0, 48)));
  ExpectRejected(f.Load(bad), "SignatureValue does not verify");
}

TEST(RimSignature, AnotherRootOrAnExpiredCertificateFailsTheChain) {
  RimFixture f;
  RimFixture other;
  const std::string good = f.Sign(SmallRim("550.90.07", {1}));
  Result<LoadedRim> foreign = LoadRim(good, "test.swidtag", other.roots, testing::kAt);
  ExpectRejected(foreign, "signing chain");
  ExpectRejected(LoadRim(good, "test.swidtag", {}, testing::kAt), "no RIM trust root given");
  // The mock PKI's certificates end in 2049: at 2050 the chain is expired.
  ExpectRejected(f.Load(good, 2524608000), "signing chain");
  ASSERT_TRUE(f.Load(good, 2524608000 - 86400 * 365).ok());
}

TEST(RimSignature, OtherAlgorithmsAndReferencesAreRejectedByName) {
  RimFixture f;
  const std::string good = f.Sign(SmallRim("550.90.07", {1}));
  ExpectRejected(f.Load(Replace(good, "xmldsig-more#ecdsa-sha384", "xmldsig-more#rsa-sha384")),
                 "signature algorithm \"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384\" is "
                 "not supported");
  ExpectRejected(f.Load(Replace(good, "xmldsig-more#sha384\"/>", "xmldsig#sha1\"/>")),
                 "digest algorithm \"http://www.w3.org/2001/04/xmldsig#sha1\" is not supported");
  ExpectRejected(
      f.Load(Replace(
          good, "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\"",
          "<ds:CanonicalizationMethod "
          "Algorithm=\"http://www.w3.org/2006/12/xml-c14n11#WithComments\"")),
      "canonicalization algorithm http://www.w3.org/2006/12/xml-c14n11#WithComments is not "
      "supported");
  ExpectRejected(f.Load(Replace(good, "<ds:Reference URI=\"\">", "<ds:Reference URI=\"#x\">")),
                 "Reference URI is \"#x\"");
  ExpectRejected(
      f.Load(Replace(
          good,
          "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
          "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"/>")),
      "Reference transforms must be");
  const size_t ref = good.find("<ds:Reference");
  const size_t ref_end = good.find("</ds:Reference>") + std::string("</ds:Reference>").size();
  std::string two = good;
  two.insert(ref_end, good.substr(ref, ref_end - ref));
  ExpectRejected(f.Load(two), "2 Reference elements");
}

TEST(RimSignature, ADoctypeOrEntityIsRejectedBeforeParsing) {
  RimFixture f;
  const std::string good = f.Sign(SmallRim("550.90.07", {1}));
  const std::string dtd =
      "<?xml version=\"1.0\"?><!DOCTYPE SoftwareIdentity [<!ENTITY x SYSTEM "
      "\"file:///etc/passwd\">]>" +
      good;
  ExpectRejected(f.Load(dtd), "DOCTYPE (DTD): DTDs are not accepted");
  const std::string laughs =
      "<!DOCTYPE a [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><a>&b;</a>";
  ExpectRejected(f.Load(laughs), "DOCTYPE");
  // An undeclared entity reference is not well-formed without a DTD.
  ExpectRejected(f.Load(Replace(good, "name=\"GH100\"", "name=\"&x;\"")), "not well-formed XML");
  ExpectRejected(f.Load("<a><b></a>"), "line 1: not well-formed XML");
  ExpectRejected(f.Load(std::string(XmlDocument::kMaxXmlBytes + 1, ' ')), "more than the");
}

// What canonicalization normalizes must not change the verdict: attribute order and quotes,
// empty-element form, whitespace inside tags, and a namespace redeclared with the value it
// already has. A different prefix is a different canonical form and fails.
TEST(RimSignature, NamespaceAndSyntaxVariationsCanonicalizeTheSame) {
  RimFixture f;
  const std::string good = f.Sign(SmallRim("550.90.07", {1, 2}));
  const std::string r1 = "<ns0:Resource type=\"Measurement\" index=\"1\"";
  EXPECT_TRUE(f.Load(Replace(good, r1, "<ns0:Resource   index='1'  type=\"Measurement\"")).ok());
  EXPECT_TRUE(f.Load(Replace(good, r1,
                             "<ns0:Resource xmlns:ns0=\"http://standards.iso.org/iso/19770/-2/"
                             "2015/schema.xsd\" type=\"Measurement\" index=\"1\""))
                  .ok());
  const std::string entity = "role=\"softwareCreator tagCreator\"/>";
  Result<LoadedRim> expanded =
      f.Load(Replace(good, entity, "role=\"softwareCreator tagCreator\"></ns0:Entity>"));
  EXPECT_TRUE(expanded.ok()) << expanded.error();
  EXPECT_TRUE(f.Load("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + good).ok());
  // The same document with SWID elements unprefixed (default namespace) signs and verifies too.
  mocks::pki::RimDocument unprefixed = SmallRim("550.90.07", {1});
  unprefixed.swid_prefix = "";
  Result<LoadedRim> plain = f.Load(f.Sign(unprefixed));
  ASSERT_TRUE(plain.ok()) << plain.error();
  EXPECT_EQ(plain->tag.measurements.size(), 4u);
  // Another prefix for the same namespace changes the canonical bytes: the digest fails.
  std::string renamed = good;
  for (size_t at = 0; (at = renamed.find("ns2:", at)) != std::string::npos;) {
    renamed.replace(at, 4, "ns9:");
  }
  renamed = Replace(renamed, "xmlns:ns2=", "xmlns:ns9=");
  ExpectRejected(f.Load(renamed), "DigestValue");
}

TEST(SwidTag, StructuralErrorsNameTheLineAndAttribute) {
  RimFixture f;
  mocks::pki::RimDocument doc = SmallRim("550.90.07", {1});
  doc.entries[2].index = 1;  // duplicate
  ExpectRejected(f.Load(f.Sign(doc)), "measurement index 1 appears twice");
  doc = SmallRim("550.90.07", {1});
  doc.colloquial_version = "";
  ExpectRejected(f.Load(f.Sign(doc)), "Meta has no colloquialVersion");
  doc = SmallRim("550.90.07", {1});
  doc.entries[0].values.push_back(crypto::Bytes(47, 1));
  ExpectRejected(f.Load(f.Sign(doc)), "Hash1 is not 48 bytes of hex");
  doc = SmallRim("550.90.07", {1});
  doc.entries.clear();
  ExpectRejected(f.Load(f.Sign(doc)), "Payload holds no measurement");
  const std::string good = f.Sign(SmallRim("550.90.07", {1}));
  ExpectRejected(f.Load(Replace(good, "active=\"True\"", "active=\"yes\"")),
                 "active=\"yes\" is neither True nor False");
  ExpectRejected(f.Load(Replace(good, "<SoftwareIdentity", "<SoftwareIdentityX")),
                 "not well-formed");
}

}  // namespace
}  // namespace teeharness::attestation::gpu::rim
