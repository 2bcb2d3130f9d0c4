#include "harness/attestation/gpu/rim/xml_c14n.h"

#include <libxml/c14n.h>

namespace teeharness::attestation::gpu::rim {
namespace {

int LibxmlMode(C14nMethod method) {
  switch (method) {
    case C14nMethod::kC14n10:
      return XML_C14N_1_0;
    case C14nMethod::kC14n11:
      return XML_C14N_1_1;
    case C14nMethod::kExclusiveC14n:
      return XML_C14N_EXCLUSIVE_1_0;
  }
  return XML_C14N_1_1;
}

// The element whose subtree decides a node's visibility: namespace declarations are handed to
// the callback as (xmlNs*, element being output), attributes carry their element as parent.
const xmlNode* Owner(const xmlNode* node, const xmlNode* parent) {
  if (node == nullptr) return parent;
  if (node->type == XML_NAMESPACE_DECL) return parent;
  return node;
}

bool InSubtree(const xmlNode* node, const xmlNode* apex) {
  for (; node != nullptr; node = node->parent) {
    if (node == apex) return true;
  }
  return false;
}

int VisibleOutside(void* excluded, xmlNode* node, xmlNode* parent) {
  return InSubtree(Owner(node, parent), static_cast<const xmlNode*>(excluded)) ? 0 : 1;
}

int VisibleInside(void* apex, xmlNode* node, xmlNode* parent) {
  return InSubtree(Owner(node, parent), static_cast<const xmlNode*>(apex)) ? 1 : 0;
}

Result<std::string> Run(const XmlDocument& doc, xmlC14NIsVisibleCallback visible, void* data,
                        C14nMethod method) {
  xmlOutputBuffer* buffer = xmlAllocOutputBuffer(nullptr);
  if (buffer == nullptr) return MakeError(doc.name(), ": canonicalization: out of memory");
  const int written = xmlC14NExecute(doc.get(), visible, data, LibxmlMode(method), nullptr,
                                     /*with_comments=*/0, buffer);
  std::string text;
  if (written >= 0) {
    const xmlChar* content = xmlOutputBufferGetContent(buffer);
    const size_t size = xmlOutputBufferGetSize(buffer);
    text.assign(reinterpret_cast<const char*>(content), size);
  }
  xmlOutputBufferClose(buffer);
  if (written < 0) return MakeError(doc.name(), ": canonicalization failed");
  return text;
}

}  // namespace

Result<C14nMethod> C14nMethodFromUri(std::string_view uri) {
  if (uri == "http://www.w3.org/2006/12/xml-c14n11") return C14nMethod::kC14n11;
  if (uri == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315") return C14nMethod::kC14n10;
  if (uri == "http://www.w3.org/2001/10/xml-exc-c14n#") return C14nMethod::kExclusiveC14n;
  return MakeError("canonicalization algorithm ", uri,
                   " is not supported (C14N 1.1, C14N 1.0 and exclusive C14N, without comments)");
}

const char* C14nMethodUri(C14nMethod method) {
  switch (method) {
    case C14nMethod::kC14n10:
      return "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    case C14nMethod::kC14n11:
      return "http://www.w3.org/2006/12/xml-c14n11";
    case C14nMethod::kExclusiveC14n:
      return "http://www.w3.org/2001/10/xml-exc-c14n#";
  }
  return "";
}

Result<std::string> CanonicalizeDocumentWithout(const XmlDocument& doc, xmlNode* excluded,
                                                C14nMethod method) {
  return Run(doc, VisibleOutside, excluded, method);
}

Result<std::string> CanonicalizeSubtree(const XmlDocument& doc, xmlNode* apex, C14nMethod method) {
  return Run(doc, VisibleInside, apex, method);
}

}  // namespace teeharness::attestation::gpu::rim
