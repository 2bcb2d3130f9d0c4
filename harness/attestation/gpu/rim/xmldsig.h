#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/attestation/gpu/rim/xml_document.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/base/result.h"

namespace teeharness::attestation::gpu::rim {

// What a verified enveloped signature was made with. Value type.
struct SignatureVerdict {
  std::string signer;       // the leaf's subject
  std::string root;         // the trust root the chain reached
  size_t chain_length = 0;  // certificates in KeyInfo
  int64_t not_after = 0;    // earliest notAfter of the chain: the RIM verifies until then
  std::string digest;       // "sha384"
  std::string signature;    // "ecdsa-sha384"
  std::string c14n;         // the SignedInfo canonicalization URI
};

// Verifies the document's enveloped XMLDSig signature, to the byte:
//  - exactly one ds:Signature, a child of the root element; one SignedInfo holding
//    CanonicalizationMethod, SignatureMethod and exactly one Reference, nothing else;
//  - the Reference has URI="" and the transforms enveloped-signature then (optionally) one
//    canonicalization; its DigestValue equals the digest (SHA-256/384/512) of the document without
//    the Signature element, canonicalized (C14N 1.1 / 1.0 / exclusive, without comments);
//  - SignatureValue (raw r||s, XMLDSig's ECDSA form) verifies over SignedInfo canonicalized in its
//    document context with ECDSA-SHA256/384/512 and the key of the first KeyInfo/X509Data
//    certificate;
//  - that chain (leaf first, as KeyInfo lists it) reaches one of `roots` (whole-certificate match
//    or signed by it), every certificate valid at `at` (pki::VerifyChain).
// Any other algorithm URI, transform or a second reference is rejected, naming it. Errors name the
// file. Thread-safe for a document nobody modifies.
Result<SignatureVerdict> VerifyEnvelopedSignature(const XmlDocument& doc,
                                                  const std::vector<pki::Certificate>& roots,
                                                  int64_t at);

}  // namespace teeharness::attestation::gpu::rim
