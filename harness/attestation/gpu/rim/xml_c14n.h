#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>

#include "harness/attestation/gpu/rim/xml_document.h"
#include "harness/base/result.h"

namespace teeharness::attestation::gpu::rim {

// The canonicalization algorithms an XMLDSig may name (W3C URIs), all without comments.
enum class C14nMethod { kC14n10, kC14n11, kExclusiveC14n };

// The method named by `uri`, or an Error naming the URI (comments variants and anything else
// are not accepted). Thread-safe.
Result<C14nMethod> C14nMethodFromUri(std::string_view uri);
const char* C14nMethodUri(C14nMethod method);

// The document's canonical form without the subtree at `excluded` (the enveloped-signature
// transform applied to Reference URI="": every node but comments, minus the Signature element).
// Thread-safe for a document nobody modifies.
Result<std::string> CanonicalizeDocumentWithout(const XmlDocument& doc, xmlNode* excluded,
                                                C14nMethod method);

// The canonical form of the subtree at `apex` in its document context (inherited namespaces and,
// for C14N 1.x, xml:* attributes are rendered on the apex as the specifications require): what
// SignedInfo is signed as. Thread-safe for a document nobody modifies.
Result<std::string> CanonicalizeSubtree(const XmlDocument& doc, xmlNode* apex, C14nMethod method);

}  // namespace teeharness::attestation::gpu::rim
