#include "harness/attestation/gpu/rim/xmldsig.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "harness/attestation/gpu/rim/xml_c14n.h"
#include "harness/attestation/pki/chain.h"
#include "harness/attestation/pki/ecdsa.h"
#include "harness/crypto/base64.h"

namespace teeharness::attestation::gpu::rim {
namespace {

constexpr const char* kEnvelopedTransform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

struct DigestAlgorithm {
  const char* uri;
  const char* name;
  const EVP_MD* (*md)();
};
constexpr DigestAlgorithm kDigests[] = {
    {"http://www.w3.org/2001/04/xmlenc#sha256", "sha256", EVP_sha256},
    {"http://www.w3.org/2001/04/xmldsig-more#sha384", "sha384", EVP_sha384},
    {"http://www.w3.org/2001/04/xmlenc#sha512", "sha512", EVP_sha512},
};
constexpr DigestAlgorithm kSignatures[] = {
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "ecdsa-sha256", EVP_sha256},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "ecdsa-sha384", EVP_sha384},
    {"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "ecdsa-sha512", EVP_sha512},
};

template <size_t N>
Result<const DigestAlgorithm*> Lookup(const DigestAlgorithm (&table)[N], const std::string& uri,
                                      const char* what) {
  for (const DigestAlgorithm& a : table) {
    if (uri == a.uri) return &a;
  }
  return MakeError(what, " algorithm \"", uri, "\" is not supported");
}

// One child element `local` of `parent`, or an error naming where.
Result<xmlNode*> One(const XmlDocument& doc, const xmlNode* parent, const char* local) {
  std::vector<xmlNode*> found = ChildElements(parent, kDsigNs, local);
  if (found.size() != 1) {
    return MakeError(doc.name(), ": ", Where(parent), ": ",
                     reinterpret_cast<const char*>(parent->name), " has ", found.size(), " ", local,
                     " elements; expected 1");
  }
  return found[0];
}

Result<std::string> Algorithm(const XmlDocument& doc, const xmlNode* element) {
  std::string uri;
  if (!Attribute(element, nullptr, "Algorithm", &uri)) {
    return MakeError(doc.name(), ": ", Where(element), ": ",
                     reinterpret_cast<const char*>(element->name), " has no Algorithm");
  }
  return uri;
}

Result<crypto::Bytes> Base64Text(const XmlDocument& doc, const xmlNode* element) {
  std::string text = TextContent(element);
  std::erase_if(text, [](unsigned char c) { return std::isspace(c) != 0; });
  Result<crypto::Bytes> bytes = crypto::DecodeBase64(text);
  if (!bytes.ok()) {
    return MakeError(doc.name(), ": ", Where(element), ": ",
                     reinterpret_cast<const char*>(element->name),
                     " is not base64: ", bytes.error());
  }
  return bytes;
}

crypto::Bytes Digest(const EVP_MD* md, std::string_view data) {
  crypto::Bytes out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr);
  out.resize(size);
  return out;
}

// XMLDSig's ECDSA SignatureValue is r||s, each the curve's field size (RFC 4050 / 6931). The
// leaf's key is the one read when the certificate was parsed (pki::Certificate parses without
// building an EVP_PKEY), so the digest is taken here and checked with VerifyDigestWithCertificate.
bool VerifyEcdsa(const pki::Certificate& leaf, const EVP_MD* md, std::string_view message,
                 crypto::ByteSpan rs) {
  const int nid = leaf.key_curve_nid();
  const size_t half = nid == NID_X9_62_prime256v1 ? 32 : nid == NID_secp384r1 ? 48 : 0;
  if (half == 0 || rs.size() != 2 * half) return false;
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  BIGNUM* r = BN_bin2bn(rs.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(rs.data() + half, static_cast<int>(half), nullptr);
  if (!sig || r == nullptr || s == nullptr || !ECDSA_SIG_set0(sig.get(), r, s)) {
    BN_free(r);
    BN_free(s);
    return false;
  }
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_size <= 0) return false;
  const crypto::Bytes digest = Digest(md, message);
  const bool ok =
      !digest.empty() && pki::VerifyDigestWithCertificate(
                             leaf, digest, crypto::ByteSpan(der, static_cast<size_t>(der_size)));
  OPENSSL_free(der);
  return ok;
}

struct Reference {
  C14nMethod c14n = C14nMethod::kC14n10;  // XMLDSig's default for a node-set to octets
  const DigestAlgorithm* digest = nullptr;
  crypto::Bytes value;
};

Result<Reference> ParseReference(const XmlDocument& doc, const xmlNode* signed_info) {
  const std::vector<xmlNode*> refs = ChildElements(signed_info, kDsigNs, "Reference");
  if (refs.size() != 1) {
    return MakeError(doc.name(), ": SignedInfo has ", refs.size(),
                     " Reference elements; exactly one (URI=\"\") is accepted");
  }
  const xmlNode* ref = refs[0];
  std::string uri;
  if (!Attribute(ref, nullptr, "URI", &uri) || !uri.empty()) {
    return MakeError(doc.name(), ": ", Where(ref), ": Reference URI is \"", uri,
                     "\"; only the whole document (URI=\"\") is accepted");
  }
  Reference out;
  std::vector<std::string> transforms;
  for (const xmlNode* t : ChildElements(ref, kDsigNs, "Transforms")) {
    for (const xmlNode* child : AllChildElements(t)) {
      if (!IsElement(child, kDsigNs, "Transform")) {
        return MakeError(doc.name(), ": ", Where(child), ": unexpected element in Transforms");
      }
      Result<std::string> algorithm = Algorithm(doc, child);
      if (!algorithm.ok()) return Error{algorithm.error()};
      transforms.push_back(*algorithm);
    }
  }
  if (transforms.empty() || transforms[0] != kEnvelopedTransform || transforms.size() > 2) {
    return MakeError(doc.name(), ": ", Where(ref), ": Reference transforms must be ",
                     kEnvelopedTransform, " then at most one canonicalization; found ",
                     transforms.size(), " transform(s)");
  }
  if (transforms.size() == 2) {
    Result<C14nMethod> c14n = C14nMethodFromUri(transforms[1]);
    if (!c14n.ok()) return MakeError(doc.name(), ": Reference transform: ", c14n.error());
    out.c14n = *c14n;
  }
  Result<xmlNode*> method = One(doc, ref, "DigestMethod");
  if (!method.ok()) return Error{method.error()};
  Result<std::string> digest_uri = Algorithm(doc, *method);
  if (!digest_uri.ok()) return Error{digest_uri.error()};
  Result<const DigestAlgorithm*> digest = Lookup(kDigests, *digest_uri, "digest");
  if (!digest.ok()) return MakeError(doc.name(), ": ", digest.error());
  out.digest = *digest;
  Result<xmlNode*> value = One(doc, ref, "DigestValue");
  if (!value.ok()) return Error{value.error()};
  Result<crypto::Bytes> bytes = Base64Text(doc, *value);
  if (!bytes.ok()) return Error{bytes.error()};
  out.value = std::move(*bytes);
  return out;
}

Result<std::vector<pki::Certificate>> KeyInfoChain(const XmlDocument& doc,
                                                   const xmlNode* signature) {
  Result<xmlNode*> key_info = One(doc, signature, "KeyInfo");
  if (!key_info.ok()) return Error{key_info.error()};
  Result<xmlNode*> data = One(doc, *key_info, "X509Data");
  if (!data.ok()) return Error{data.error()};
  std::vector<pki::Certificate> chain;
  for (const xmlNode* node : ChildElements(*data, kDsigNs, "X509Certificate")) {
    Result<crypto::Bytes> der = Base64Text(doc, node);
    if (!der.ok()) return Error{der.error()};
    Result<pki::Certificate> cert = pki::Certificate::FromDer(*der);
    if (!cert.ok()) {
      return MakeError(doc.name(), ": KeyInfo certificate ", chain.size(), ": ", cert.error());
    }
    chain.push_back(std::move(*cert));
  }
  if (chain.empty()) return MakeError(doc.name(), ": KeyInfo/X509Data holds no X509Certificate");
  return chain;
}

Result<pki::ChainVerdict> VerifyToAnyRoot(const std::vector<pki::Certificate>& chain,
                                          const std::vector<pki::Certificate>& roots, int64_t at,
                                          std::string* root_subject) {
  if (roots.empty()) return MakeError("no RIM trust root given");
  std::string errors;
  pki::ChainOptions options;
  options.at = at;
  for (const pki::Certificate& root : roots) {
    Result<pki::ChainVerdict> verdict = pki::VerifyChain(chain, root, options);
    if (verdict.ok()) {
      *root_subject = root.subject();
      return verdict;
    }
    errors += (errors.empty() ? "" : "; ") + verdict.error();
  }
  return Error{errors};
}

// The parts of Signature read before any cryptography.
struct SignatureParts {
  xmlNode* signature = nullptr;
  xmlNode* signed_info = nullptr;
  C14nMethod signed_info_c14n = C14nMethod::kC14n11;
  const DigestAlgorithm* signature_algorithm = nullptr;
  Reference reference;
  crypto::Bytes signature_value;
};

Result<SignatureParts> ParseSignature(const XmlDocument& doc) {
  SignatureParts p;
  const std::vector<xmlNode*> signatures = ChildElements(doc.root(), kDsigNs, "Signature");
  if (signatures.size() != 1) {
    return MakeError(doc.name(), ": the root element has ", signatures.size(),
                     " ds:Signature children; an enveloped signature needs exactly 1");
  }
  p.signature = signatures[0];
  Result<xmlNode*> signed_info = One(doc, p.signature, "SignedInfo");
  if (!signed_info.ok()) return Error{signed_info.error()};
  p.signed_info = *signed_info;
  for (const xmlNode* child : AllChildElements(p.signed_info)) {
    if (!IsElement(child, kDsigNs, "CanonicalizationMethod") &&
        !IsElement(child, kDsigNs, "SignatureMethod") && !IsElement(child, kDsigNs, "Reference")) {
      return MakeError(doc.name(), ": ", Where(child), ": unexpected element ",
                       reinterpret_cast<const char*>(child->name), " in SignedInfo");
    }
  }
  Result<xmlNode*> c14n_node = One(doc, p.signed_info, "CanonicalizationMethod");
  if (!c14n_node.ok()) return Error{c14n_node.error()};
  Result<std::string> c14n_uri = Algorithm(doc, *c14n_node);
  if (!c14n_uri.ok()) return Error{c14n_uri.error()};
  Result<C14nMethod> c14n = C14nMethodFromUri(*c14n_uri);
  if (!c14n.ok()) return MakeError(doc.name(), ": SignedInfo: ", c14n.error());
  p.signed_info_c14n = *c14n;
  Result<xmlNode*> method = One(doc, p.signed_info, "SignatureMethod");
  if (!method.ok()) return Error{method.error()};
  Result<std::string> method_uri = Algorithm(doc, *method);
  if (!method_uri.ok()) return Error{method_uri.error()};
  Result<const DigestAlgorithm*> algorithm = Lookup(kSignatures, *method_uri, "signature");
  if (!algorithm.ok()) return MakeError(doc.name(), ": ", algorithm.error());
  p.signature_algorithm = *algorithm;
  Result<Reference> reference = ParseReference(doc, p.signed_info);
  if (!reference.ok()) return Error{reference.error()};
  p.reference = std::move(*reference);
  Result<xmlNode*> value = One(doc, p.signature, "SignatureValue");
  if (!value.ok()) return Error{value.error()};
  Result<crypto::Bytes> bytes = Base64Text(doc, *value);
  if (!bytes.ok()) return Error{bytes.error()};
  p.signature_value = std::move(*bytes);
  return p;
}

}  // namespace

Result<SignatureVerdict> VerifyEnvelopedSignature(const XmlDocument& doc,
                                                  const std::vector<pki::Certificate>& roots,
                                                  int64_t at) {
  Result<SignatureParts> parts = ParseSignature(doc);
  if (!parts.ok()) return Error{parts.error()};
  const SignatureParts& p = *parts;
  Result<std::string> signed_document =
      CanonicalizeDocumentWithout(doc, p.signature, p.reference.c14n);
  if (!signed_document.ok()) return Error{signed_document.error()};
  if (Digest(p.reference.digest->md(), *signed_document) != p.reference.value) {
    return MakeError(doc.name(), ": the ", p.reference.digest->name,
                     " digest of the canonicalized document does not equal the Reference's "
                     "DigestValue: the signed content was changed");
  }
  Result<std::vector<pki::Certificate>> chain = KeyInfoChain(doc, p.signature);
  if (!chain.ok()) return Error{chain.error()};
  Result<std::string> signed_info = CanonicalizeSubtree(doc, p.signed_info, p.signed_info_c14n);
  if (!signed_info.ok()) return Error{signed_info.error()};
  if (!VerifyEcdsa(chain->front(), p.signature_algorithm->md(), *signed_info, p.signature_value)) {
    return MakeError(doc.name(), ": the ", p.signature_algorithm->name,
                     " SignatureValue does not verify over SignedInfo with the key of ",
                     chain->front().subject());
  }
  SignatureVerdict verdict;
  Result<pki::ChainVerdict> chain_verdict = VerifyToAnyRoot(*chain, roots, at, &verdict.root);
  if (!chain_verdict.ok()) {
    return MakeError(doc.name(), ": signing chain: ", chain_verdict.error());
  }
  verdict.signer = chain->front().subject();
  verdict.chain_length = chain->size();
  verdict.not_after = chain_verdict->earliest_not_after;
  verdict.digest = p.reference.digest->name;
  verdict.signature = p.signature_algorithm->name;
  verdict.c14n = C14nMethodUri(p.signed_info_c14n);
  return verdict;
}

}  // namespace teeharness::attestation::gpu::rim
