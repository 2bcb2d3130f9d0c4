#include "harness/attestation/gpu/rim/xml_document.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <mutex>

namespace teeharness::attestation::gpu::rim {
namespace {

void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

bool HasDoctype(std::string_view text) { return text.find("<!DOCTYPE") != std::string_view::npos; }

bool NamespaceIs(const xmlNs* ns, const char* uri) {
  if (uri == nullptr) return ns == nullptr;
  return ns != nullptr && ns->href != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(ns->href), uri) == 0;
}

}  // namespace

Result<XmlDocument> XmlDocument::Parse(std::string_view text, std::string_view name) {
  InitLibxml();
  const std::string label(name);
  if (text.size() > kMaxXmlBytes) {
    return MakeError(label, ": ", text.size(), " bytes, more than the ", kMaxXmlBytes,
                     " an XML document may have here");
  }
  // Checked before libxml2 sees the text, so no DTD (and no entity declared in one) is ever
  // processed; the tree is checked again below for a DOCTYPE the scan could miss.
  if (HasDoctype(text)) return MakeError(label, ": has a DOCTYPE (DTD): DTDs are not accepted");
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> ctxt(xmlNewParserCtxt(),
                                                                    xmlFreeParserCtxt);
  if (!ctxt) return MakeError(label, ": could not create an XML parser");
  // NONET: no network; no NOENT (entities are not substituted), no DTDLOAD/DTDATTR/DTDVALID;
  // NOERROR/NOWARNING: libxml2 prints nothing, the error is returned instead.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  xmlDoc* doc = xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()),
                                  label.c_str(), "UTF-8", options);
  if (doc == nullptr || !ctxt->wellFormed) {
    if (doc != nullptr) xmlFreeDoc(doc);
    const xmlError* error = xmlCtxtGetLastError(ctxt.get());
    std::string message = error && error->message ? error->message : "not well-formed";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    return MakeError(label, ": line ", error ? error->line : 0, ": not well-formed XML: ", message);
  }
  std::shared_ptr<xmlDoc> owned(doc, Free{});
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return MakeError(label, ": has a DOCTYPE (DTD): DTDs are not accepted");
  }
  if (xmlDocGetRootElement(doc) == nullptr) return MakeError(label, ": no root element");
  return XmlDocument(std::move(owned), label);
}

bool IsElement(const xmlNode* node, const char* ns, const char* local) {
  return node != nullptr && node->type == XML_ELEMENT_NODE &&
         std::strcmp(reinterpret_cast<const char*>(node->name), local) == 0 &&
         NamespaceIs(node->ns, ns);
}

std::vector<xmlNode*> ChildElements(const xmlNode* parent, const char* ns, const char* local) {
  std::vector<xmlNode*> out;
  for (xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (IsElement(child, ns, local)) out.push_back(child);
  }
  return out;
}

std::vector<xmlNode*> AllChildElements(const xmlNode* parent) {
  std::vector<xmlNode*> out;
  for (xmlNode* child = parent->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) out.push_back(child);
  }
  return out;
}

bool Attribute(const xmlNode* element, const char* ns, const char* local, std::string* value) {
  for (const xmlAttr* attr = element->properties; attr != nullptr; attr = attr->next) {
    if (std::strcmp(reinterpret_cast<const char*>(attr->name), local) != 0) continue;
    if (!NamespaceIs(attr->ns, ns)) continue;
    xmlChar* text = xmlNodeListGetString(element->doc, attr->children, 1);
    *value = text ? reinterpret_cast<const char*>(text) : "";
    xmlFree(text);
    return true;
  }
  return false;
}

std::string TextContent(const xmlNode* element) {
  xmlChar* text = xmlNodeGetContent(element);
  std::string out = text ? reinterpret_cast<const char*>(text) : "";
  xmlFree(text);
  return out;
}

std::string Where(const xmlNode* node) { return "line " + std::to_string(xmlGetLineNo(node)); }

}  // namespace teeharness::attestation::gpu::rim
