#include "harness/attestation/gpu/rim/rim_store.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace teeharness::attestation::gpu::rim {
namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) { return Upper(a) == Upper(b); }

bool IsVbiosVersion(std::string_view version) {
  static const std::regex kForm("[0-9A-Fa-f]{2}(\\.[0-9A-Fa-f]{2}){4}");
  return std::regex_match(version.begin(), version.end(), kForm);
}

// An opaque-data string field (NUL-padded ASCII), trimmed and upper-cased as nvtrust does.
std::string OpaqueText(const OpaqueData& opaque, uint16_t type) {
  const OpaqueField* field = opaque.Find(type);
  if (field == nullptr) return "";
  std::string text(field->value.begin(), field->value.end());
  while (!text.empty() &&
         (text.back() == '\0' || std::isspace(static_cast<unsigned char>(text.back())))) {
    text.pop_back();
  }
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return Upper(text.substr(start));
}

constexpr size_t kMaxRimFiles = 4096;

}  // namespace

const char* RimKindName(RimKind kind) { return kind == RimKind::kDriver ? "driver" : "VBIOS"; }

Result<LoadedRim> LoadRim(std::string_view text, std::string_view name,
                          const std::vector<pki::Certificate>& roots, int64_t at) {
  Result<XmlDocument> doc = XmlDocument::Parse(text, name);
  if (!doc.ok()) return Error{doc.error()};
  Result<SwidTag> tag = ParseSwidTag(*doc);
  if (!tag.ok()) return Error{tag.error()};
  Result<SignatureVerdict> signature = VerifyEnvelopedSignature(*doc, roots, at);
  if (!signature.ok()) return Error{signature.error()};
  LoadedRim rim;
  rim.file = std::string(name);
  rim.kind = IsVbiosVersion(tag->colloquial_version) ? RimKind::kVbios : RimKind::kDriver;
  rim.tag = std::move(*tag);
  rim.signature = std::move(*signature);
  return rim;
}

std::string VbiosIdentity::FileId(std::string_view vbios_version) const {
  if (project.empty() || project_sku.empty() || chip_sku.empty()) return "";
  std::string version = Upper(vbios_version);
  std::erase(version, '.');
  return project + "_" + project_sku + "_" + chip_sku + "_" + version;
}

VbiosIdentity VbiosIdentityOf(const OpaqueData& opaque) {
  // nvtrust's OPAQUE_FIELD_ID_PROJECT (17), _PROJECT_SKU (18), _CHIP_SKU (15).
  return {OpaqueText(opaque, 17), OpaqueText(opaque, 18), OpaqueText(opaque, 15)};
}

Result<RimStore> RimStore::LoadDirectory(const std::string& dir,
                                         const std::vector<pki::Certificate>& roots, int64_t at) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return MakeError("RIM folder ", dir, ": not a directory");
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string file = path.filename().string();
    const std::string ext = path.extension().string();
    if (file.empty() || file[0] == '.' || (ext != ".swidtag" && ext != ".xml")) continue;
    if (!it->is_regular_file(ec)) continue;
    files.push_back(path);
    if (files.size() > kMaxRimFiles) {
      return MakeError("RIM folder ", dir, ": more than ", kMaxRimFiles, " RIM files");
    }
  }
  if (ec) return MakeError("RIM folder ", dir, ": ", ec.message());
  std::sort(files.begin(), files.end());
  std::vector<LoadedRim> rims;
  for (const fs::path& path : files) {
    if (fs::file_size(path, ec) > XmlDocument::kMaxXmlBytes || ec) {
      return MakeError(path.string(), ": larger than ", XmlDocument::kMaxXmlBytes,
                       " bytes or unreadable");
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return MakeError(path.string(), ": cannot be read");
    Result<LoadedRim> rim = LoadRim(text.str(), path.string(), roots, at);
    if (!rim.ok()) return Error{rim.error()};
    LoadedRim loaded = std::move(rim).value();
    loaded.file = path.filename().string();
    rims.push_back(std::move(loaded));
  }
  return RimStore(dir, std::move(rims));
}

std::vector<const LoadedRim*> RimStore::Candidates(RimKind kind, std::string_view version) const {
  std::vector<const LoadedRim*> out;
  for (const LoadedRim& rim : rims_) {
    if (rim.kind == kind && EqualsIgnoreCase(rim.tag.colloquial_version, version)) {
      out.push_back(&rim);
    }
  }
  return out;
}

std::string RimStore::Holdings(RimKind kind) const {
  size_t of_kind = 0;
  std::string versions;
  for (const LoadedRim& rim : rims_) {
    if (rim.kind != kind) continue;
    if (++of_kind <= 8) versions += (versions.empty() ? "" : ", ") + rim.tag.colloquial_version;
  }
  std::string out = std::to_string(rims_.size()) + " RIM(s) in " +
                    (source_.empty() ? std::string("the RIM set") : source_) + ", " +
                    std::to_string(of_kind) + " " + RimKindName(kind);
  if (!versions.empty()) out += " (" + versions + (of_kind > 8 ? ", ..." : "") + ")";
  return out;
}

Result<const LoadedRim*> RimStore::FindDriver(std::string_view version) const {
  if (version.empty()) return MakeError("the evidence carries no driver version");
  std::vector<const LoadedRim*> found = Candidates(RimKind::kDriver, version);
  if (found.empty()) {
    return MakeError("no driver RIM for driver ", version, ": ", Holdings(RimKind::kDriver));
  }
  for (const LoadedRim* rim : found) {
    if (rim->tag.tag_id != found[0]->tag.tag_id) {
      return MakeError("driver ", version, " has several different RIMs: ", found[0]->file, " and ",
                       rim->file);
    }
  }
  return found[0];
}

Result<const LoadedRim*> RimStore::FindVbios(std::string_view version,
                                             const VbiosIdentity& id) const {
  if (version.empty()) return MakeError("the evidence carries no VBIOS version");
  std::vector<const LoadedRim*> found = Candidates(RimKind::kVbios, version);
  if (found.empty()) {
    return MakeError("no VBIOS RIM for VBIOS ", version, ": ", Holdings(RimKind::kVbios));
  }
  const std::string file_id = id.FileId(version);
  if (found.size() > 1 && !file_id.empty()) {
    std::vector<const LoadedRim*> named;
    for (const LoadedRim* rim : found) {
      if (Upper(rim->file).find(file_id) != std::string::npos) named.push_back(rim);
    }
    if (!named.empty()) found = std::move(named);
  }
  for (const LoadedRim* rim : found) {
    if (rim->tag.tag_id != found[0]->tag.tag_id) {
      return MakeError("VBIOS ", version, " has several different RIMs (", found[0]->file, ", ",
                       rim->file, ")",
                       file_id.empty() ? std::string(" and the evidence names no project/SKU")
                                       : " none named " + file_id + " alone");
    }
  }
  return found[0];
}

}  // namespace teeharness::attestation::gpu::rim
