#include "harness/attestation/gpu/rim/swid_tag.h"

#include <charconv>
#include <cstring>
#include <set>

#include "harness/crypto/hex.h"

namespace teeharness::attestation::gpu::rim {
namespace {

struct HashNamespace {
  const char* uri;
  const char* name;
  size_t size;
};
constexpr HashNamespace kHashNamespaces[] = {
    {"http://www.w3.org/2001/04/xmlenc#sha384", "sha384", 48},
    {"http://www.w3.org/2001/04/xmlenc#sha256", "sha256", 32},
    {"http://www.w3.org/2001/04/xmlenc#sha512", "sha512", 64},
};

std::string At(const XmlDocument& doc, const xmlNode* node) {
  return doc.name() + ": " + Where(node);
}

Result<int64_t> Integer(const XmlDocument& doc, const xmlNode* node, const char* attr,
                        int64_t max) {
  std::string text;
  if (!Attribute(node, nullptr, attr, &text)) {
    return MakeError(At(doc, node), ": Resource has no ", attr, " attribute");
  }
  int64_t value = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    return MakeError(At(doc, node), ": Resource ", attr, "=\"", text, "\" is not an integer in 0..",
                     max);
  }
  return value;
}

// The hash namespace the Resource's Hash0 attribute is in.
const HashNamespace* HashNamespaceOf(const xmlNode* node) {
  for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
    if (std::strcmp(reinterpret_cast<const char*>(attr->name), "Hash0") != 0) continue;
    if (attr->ns == nullptr) return nullptr;
    for (const HashNamespace& h : kHashNamespaces) {
      if (std::strcmp(reinterpret_cast<const char*>(attr->ns->href), h.uri) == 0) return &h;
    }
  }
  return nullptr;
}

Result<GoldenMeasurement> ParseResource(const XmlDocument& doc, const xmlNode* node,
                                        const HashNamespace& hash) {
  GoldenMeasurement m;
  std::string type;
  if (!Attribute(node, nullptr, "type", &type) || type != "Measurement") {
    return MakeError(At(doc, node), ": Resource type is \"", type, "\", not \"Measurement\"");
  }
  Result<int64_t> index = Integer(doc, node, "index", 255);
  if (!index.ok()) return Error{index.error()};
  m.index = static_cast<int>(*index);
  std::string active;
  if (!Attribute(node, nullptr, "active", &active)) {
    return MakeError(At(doc, node), ": Resource index ", m.index, " has no active attribute");
  }
  if (active == "True" || active == "true") {
    m.active = true;
  } else if (active != "False" && active != "false") {
    return MakeError(At(doc, node), ": Resource index ", m.index, " active=\"", active,
                     "\" is neither True nor False");
  }
  Result<int64_t> alternatives = Integer(doc, node, "alternatives", 64);
  if (!alternatives.ok()) return Error{alternatives.error()};
  if (*alternatives == 0) {
    return MakeError(At(doc, node), ": Resource index ", m.index, " has 0 alternatives");
  }
  Result<int64_t> size = Integer(doc, node, "size", 1024);
  if (!size.ok()) return Error{size.error()};
  m.size = static_cast<size_t>(*size);
  Attribute(node, nullptr, "name", &m.name);
  for (int64_t i = 0; i < *alternatives; ++i) {
    const std::string attr = "Hash" + std::to_string(i);
    std::string hex;
    if (!Attribute(node, hash.uri, attr.c_str(), &hex)) {
      return MakeError(At(doc, node), ": Resource index ", m.index, " declares ", *alternatives,
                       " alternatives but has no ", attr, " in ", hash.uri);
    }
    Result<crypto::Bytes> value = crypto::DecodeHex(hex);
    if (!value.ok() || value->size() != m.size) {
      return MakeError(At(doc, node), ": Resource index ", m.index, " ", attr, " is not ", m.size,
                       " bytes of hex (size)");
    }
    m.values.push_back(std::move(*value));
  }
  return m;
}

// Meta: colloquialVersion (required) and every attribute by local name.
Result<bool> ParseMeta(const XmlDocument& doc, const xmlNode* root, SwidTag& tag) {
  const std::vector<xmlNode*> metas = ChildElements(root, kSwidNs, "Meta");
  if (metas.size() != 1) {
    return MakeError(At(doc, root), ": SoftwareIdentity has ", metas.size(),
                     " Meta elements; expected 1");
  }
  for (const xmlAttr* attr = metas[0]->properties; attr != nullptr; attr = attr->next) {
    std::string value;
    Attribute(metas[0], attr->ns ? reinterpret_cast<const char*>(attr->ns->href) : nullptr,
              reinterpret_cast<const char*>(attr->name), &value);
    tag.meta.emplace(reinterpret_cast<const char*>(attr->name), std::move(value));
  }
  if (!Attribute(metas[0], nullptr, "colloquialVersion", &tag.colloquial_version) ||
      tag.colloquial_version.empty()) {
    return MakeError(At(doc, metas[0]), ": Meta has no colloquialVersion (the firmware version)");
  }
  Attribute(metas[0], nullptr, "product", &tag.product);
  return true;
}

Result<bool> ParsePayload(const XmlDocument& doc, const xmlNode* root, SwidTag& tag) {
  const std::vector<xmlNode*> payloads = ChildElements(root, kSwidNs, "Payload");
  if (payloads.size() != 1) {
    return MakeError(At(doc, root), ": SoftwareIdentity has ", payloads.size(),
                     " Payload elements; expected 1");
  }
  std::set<int> seen;
  for (const xmlNode* child : AllChildElements(payloads[0])) {
    if (!IsElement(child, kSwidNs, "Resource")) {
      return MakeError(At(doc, child), ": unexpected element ",
                       reinterpret_cast<const char*>(child->name), " in Payload");
    }
    const HashNamespace* hash = HashNamespaceOf(child);
    if (hash == nullptr) {
      return MakeError(At(doc, child),
                       ": Resource has no Hash0 attribute in a known hash namespace "
                       "(xmlenc#sha384, #sha256 or #sha512)");
    }
    if (tag.hash_algorithm.empty()) tag.hash_algorithm = hash->name;
    if (tag.hash_algorithm != hash->name) {
      return MakeError(At(doc, child), ": Resource hashes are ", hash->name, ", earlier ones ",
                       tag.hash_algorithm);
    }
    Result<GoldenMeasurement> m = ParseResource(doc, child, *hash);
    if (!m.ok()) return Error{m.error()};
    if (!seen.insert(m->index).second) {
      return MakeError(At(doc, child), ": measurement index ", m->index, " appears twice");
    }
    tag.measurements.push_back(std::move(*m));
  }
  if (tag.measurements.empty()) {
    return MakeError(At(doc, payloads[0]), ": Payload holds no measurement");
  }
  return true;
}

}  // namespace

Result<SwidTag> ParseSwidTag(const XmlDocument& doc) {
  const xmlNode* root = doc.root();
  if (!IsElement(root, kSwidNs, "SoftwareIdentity")) {
    return MakeError(At(doc, root), ": the root element is not SoftwareIdentity in ", kSwidNs);
  }
  SwidTag tag;
  if (!Attribute(root, nullptr, "tagId", &tag.tag_id) || tag.tag_id.empty()) {
    return MakeError(At(doc, root), ": SoftwareIdentity has no tagId");
  }
  Attribute(root, nullptr, "name", &tag.name);
  Attribute(root, nullptr, "version", &tag.version);
  if (Result<bool> meta = ParseMeta(doc, root, tag); !meta.ok()) return Error{meta.error()};
  if (Result<bool> payload = ParsePayload(doc, root, tag); !payload.ok()) {
    return Error{payload.error()};
  }
  return tag;
}

}  // namespace teeharness::attestation::gpu::rim
