#include "mocks/pki/rim_writer.h"

#include <cstdio>
#include <cstdlib>

#include "harness/attestation/gpu/rim/xml_c14n.h"
#include "harness/attestation/gpu/rim/xml_document.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha384.h"
#include "mocks/gpu_evidence.h"

namespace teeharness::mocks::pki {
namespace {

namespace rim = attestation::gpu::rim;

constexpr const char* kDigestPlaceholder = "<ds:DigestValue></ds:DigestValue>";
constexpr const char* kSignaturePlaceholder = "<ds:SignatureValue></ds:SignatureValue>";

std::string Element(const RimDocument& rim, const char* local) {
  return rim.swid_prefix.empty() ? std::string(local) : rim.swid_prefix + ":" + local;
}

std::string Body(const RimDocument& rim) {
  const std::string ns_decl =
      rim.swid_prefix.empty() ? "" : " xmlns:" + rim.swid_prefix + "=\"" + rim::kSwidNs + "\"";
  std::string out = std::string("<SoftwareIdentity xmlns=\"") + rim::kSwidNs + "\"" + ns_decl +
                    " xmlns:ns2=\"http://www.w3.org/2001/04/xmlenc#sha384\" corpus=\"false\" "
                    "name=\"" +
                    rim.product + "\" patch=\"false\" supplemental=\"false\" tagId=\"" +
                    rim.tag_id + "\" version=\"1.0\" tagVersion=\"0\">\n";
  out += "    <" + Element(rim, "Entity") +
         " name=\"teeharness mock\" role=\"softwareCreator tagCreator\"/>\n";
  out += "    <" + Element(rim, "Meta") +
         " xmlns:ns1=\"https://trustedcomputinggroup.org/resource/"
         "tcg-reference-integrity-manifest-rim-information-model/\" colloquialVersion=\"" +
         rim.colloquial_version + "\" edition=\"GPU\" product=\"" + rim.product +
         "\" revision=\"r1\" PayloadType=\"direct\" ns1:BindingSpec=\"RIMIM\" "
         "ns1:BindingSpecVersion=\"1.01\" ns1:PlatformManufacturerStr=\"teeharness mock\" "
         "ns1:PlatformModel=\"" +
         rim.product + "\" ns1:FirmwareManufacturer=\"teeharness mock\"/>\n";
  out += "    <" + Element(rim, "Payload") + ">\n";
  for (const RimEntry& e : rim.entries) {
    out += "        <" + Element(rim, "Resource") + " type=\"Measurement\" index=\"" +
           std::to_string(e.index) + "\" active=\"" + (e.active ? "True" : "False") +
           "\" alternatives=\"" + std::to_string(e.values.size()) + "\"";
    for (size_t i = 0; i < e.values.size(); ++i) {
      out += " ns2:Hash" + std::to_string(i) + "=\"" + crypto::EncodeHex(e.values[i]) + "\"";
    }
    out += " name=\"Measurement_" + std::to_string(e.index) + "\" size=\"48\"/>\n";
  }
  out += "    </" + Element(rim, "Payload") + ">\n";
  return out;
}

Result<std::string> KeyInfo(const MockGpuPki& pki) {
  Result<std::vector<attestation::pki::Certificate>> chain =
      attestation::pki::ParsePemChain(pki.RimChainPem());
  if (!chain.ok()) return Error{chain.error()};
  std::string out = "<ds:KeyInfo><ds:X509Data>";
  for (const attestation::pki::Certificate& cert : *chain) {
    out += "<ds:X509Certificate>" + crypto::EncodeBase64(cert.der()) + "</ds:X509Certificate>";
  }
  return out + "</ds:X509Data></ds:KeyInfo>";
}

std::string Signature(const std::string& key_info) {
  return std::string("<ds:Signature xmlns:ds=\"") + rim::kDsigNs +
         "\"><ds:SignedInfo><ds:CanonicalizationMethod "
         "Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\"/><ds:SignatureMethod "
         "Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384\"/><ds:Reference "
         "URI=\"\"><ds:Transforms><ds:Transform "
         "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><ds:Transform "
         "Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\"/></ds:Transforms><ds:DigestMethod "
         "Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#sha384\"/>" +
         kDigestPlaceholder + "</ds:Reference></ds:SignedInfo>" + kSignaturePlaceholder + key_info +
         "</ds:Signature>";
}

void Fill(std::string& text, const char* placeholder, const std::string& value) {
  const std::string p(placeholder);
  const size_t at = text.find(p);
  const size_t open = p.find("></") + 1;
  text.insert(at + open, value);
}

// The first (only) ds:Signature child of the root, and its SignedInfo.
xmlNode* SignatureNode(const rim::XmlDocument& doc) {
  const std::vector<xmlNode*> found = rim::ChildElements(doc.root(), rim::kDsigNs, "Signature");
  return found.empty() ? nullptr : found[0];
}

}  // namespace

Result<std::string> WriteSignedRim(const RimDocument& rim_doc, const MockGpuPki& pki) {
  Result<std::string> key_info = KeyInfo(pki);
  if (!key_info.ok()) return Error{key_info.error()};
  std::string text = Body(rim_doc) + Signature(*key_info) + "</SoftwareIdentity>\n";
  // The digest: the document without the Signature element, C14N 1.1.
  Result<rim::XmlDocument> unsigned_doc = rim::XmlDocument::Parse(text, "mock RIM");
  if (!unsigned_doc.ok()) return Error{unsigned_doc.error()};
  Result<std::string> content = rim::CanonicalizeDocumentWithout(
      *unsigned_doc, SignatureNode(*unsigned_doc), rim::C14nMethod::kC14n11);
  if (!content.ok()) return Error{content.error()};
  const crypto::Hash48 digest = crypto::Sha384({crypto::AsBytes(*content)});
  Fill(text, kDigestPlaceholder, crypto::EncodeBase64(digest));
  // The signature: SignedInfo (now holding the digest) canonicalized in its document context.
  Result<rim::XmlDocument> digested = rim::XmlDocument::Parse(text, "mock RIM");
  if (!digested.ok()) return Error{digested.error()};
  const std::vector<xmlNode*> signed_info =
      rim::ChildElements(SignatureNode(*digested), rim::kDsigNs, "SignedInfo");
  Result<std::string> canonical =
      rim::CanonicalizeSubtree(*digested, signed_info.at(0), rim::C14nMethod::kC14n11);
  if (!canonical.ok()) return Error{canonical.error()};
  Fill(text, kSignaturePlaceholder, crypto::EncodeBase64(pki.SignRim(crypto::AsBytes(*canonical))));
  return text;
}

Result<MockRims> BuildMockRims(const MockGpuPki& pki) {
  RimDocument driver;
  driver.tag_id = "teeharness-mock-driver-" + std::string(kMockGpuDriver);
  driver.colloquial_version = kMockGpuDriver;
  RimDocument vbios;
  vbios.tag_id = "teeharness-mock-vbios-" + std::string(kMockGpuVbios);
  vbios.colloquial_version = kMockGpuVbios;
  for (int index = 0; index < kMockGpuBlocks; ++index) {
    const bool firmware = index < kMockGpuBlocks / 2;
    const RimEntry entry{index, true, {MockMeasurementValue(index + 1)}};
    const RimEntry inactive{index, false, {crypto::Bytes(48, 0)}};
    (firmware ? vbios : driver).entries.push_back(entry);
    (firmware ? driver : vbios).entries.push_back(inactive);
  }
  Result<std::string> driver_text = WriteSignedRim(driver, pki);
  if (!driver_text.ok()) return Error{driver_text.error()};
  Result<std::string> vbios_text = WriteSignedRim(vbios, pki);
  if (!vbios_text.ok()) return Error{vbios_text.error()};
  return MockRims{std::move(*driver_text), std::move(*vbios_text)};
}

const MockRims& ProcessMockRims() {
  static const MockRims rims = [] {
    Result<MockRims> built = BuildMockRims(ProcessMockGpuPki());
    if (!built.ok()) {
      std::fprintf(stderr, "teeharness mock: RIMs: %s\n", built.error().c_str());
      std::abort();
    }
    return std::move(built).value();
  }();
  return rims;
}

}  // namespace teeharness::mocks::pki
