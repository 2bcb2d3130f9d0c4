#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::attestation::gpu::rim {

// A parsed XML document, parsed safely for untrusted input: no network access, no entity
// substitution, no DTD at all (a document carrying a DOCTYPE is rejected, so neither external
// entities nor entity expansion can happen), UTF-8 only, at most kMaxXmlBytes. Immutable after
// Parse(); thread-safe to read from several threads (libxml2 reads only).
class XmlDocument {
 public:
  static constexpr size_t kMaxXmlBytes = 4 << 20;  // a real RIM is about 20 KB

  // `name` is used in errors ("Driver.swidtag: line 3: ..."). Never throws.
  static Result<XmlDocument> Parse(std::string_view text, std::string_view name);

  xmlDoc* get() const { return doc_.get(); }
  xmlNode* root() const { return xmlDocGetRootElement(doc_.get()); }
  const std::string& name() const { return name_; }

 private:
  struct Free {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
  };
  XmlDocument(std::shared_ptr<xmlDoc> doc, std::string name)
      : doc_(std::move(doc)), name_(std::move(name)) {}

  std::shared_ptr<xmlDoc> doc_;
  std::string name_;
};

// Namespace URIs of the formats read here.
inline constexpr const char* kSwidNs = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
inline constexpr const char* kDsigNs = "http://www.w3.org/2000/09/xmldsig#";

// True when `node` is an element named `local` in namespace `ns`.
bool IsElement(const xmlNode* node, const char* ns, const char* local);
// The element children of `parent` named `local` in namespace `ns`, in document order.
std::vector<xmlNode*> ChildElements(const xmlNode* parent, const char* ns, const char* local);
// Every element child of `parent`, in document order.
std::vector<xmlNode*> AllChildElements(const xmlNode* parent);
// Attribute `local` in namespace `ns` (nullptr: no namespace) into `value`; false when absent.
bool Attribute(const xmlNode* element, const char* ns, const char* local, std::string* value);
// The element's text content (all descendant text, concatenated).
std::string TextContent(const xmlNode* element);
// "line N" of a node, for error messages.
std::string Where(const xmlNode* node);

}  // namespace teeharness::attestation::gpu::rim
