#include "harness/attestation/collateral/tcb_info.h"

#include <cstdio>

#include "harness/attestation/collateral/json_fields.h"
#include "harness/attestation/collateral/rfc3339.h"
#include "harness/attestation/policy/tcb_status.h"

namespace teeharness::attestation {
namespace {

std::string Indexed(const std::string& path, const char* key, size_t i) {
  return path + "." + key + "[" + std::to_string(i) + "]";
}

// An optional descriptive string member ("category", "type"): absent is empty, present must be
// a string.
Result<std::string> OptionalString(const rapidjson::Value& object, const char* key,
                                   const std::string& path) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return std::string();
  if (!it->value.IsString()) return MakeError(path, ".", key, " is not a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// Version 3: a 16-entry array of {"svn": n, "category"?: s, "type"?: s}.
Result<bool> Components(const rapidjson::Value& tcb, const char* key, const std::string& path,
                        std::array<uint8_t, 16>& svns, std::array<TcbComponent, 16>& info) {
  Result<const rapidjson::Value*> list = json::Array(tcb, key, path);
  if (!list.ok()) return Error{list.error()};
  if ((*list)->Size() != 16) {
    return MakeError(path, ".", key, " has ", (*list)->Size(), " components; expected 16");
  }
  for (rapidjson::SizeType i = 0; i < 16; ++i) {
    const std::string cp = Indexed(path, key, i);
    const rapidjson::Value& c = (**list)[i];
    Result<int64_t> svn = json::Integer(c, "svn", cp, 0, 255);
    if (!svn.ok()) return Error{svn.error()};
    svns[i] = static_cast<uint8_t>(*svn);
    info[i].svn = svns[i];
    Result<std::string> category = OptionalString(c, "category", cp);
    if (!category.ok()) return Error{category.error()};
    info[i].category = std::move(category).value();
    Result<std::string> type = OptionalString(c, "type", cp);
    if (!type.ok()) return Error{type.error()};
    info[i].type = std::move(type).value();
  }
  return true;
}

// Version 2 (SGX only): "sgxtcbcomp01svn" .. "sgxtcbcomp16svn" members.
Result<bool> ComponentsV2(const rapidjson::Value& tcb, const std::string& path,
                          std::array<uint8_t, 16>& svns, std::array<TcbComponent, 16>& info) {
  for (int i = 0; i < 16; ++i) {
    char key[24];
    std::snprintf(key, sizeof(key), "sgxtcbcomp%02dsvn", i + 1);
    Result<int64_t> svn = json::Integer(tcb, key, path, 0, 255);
    if (!svn.ok()) return Error{svn.error()};
    svns[i] = static_cast<uint8_t>(*svn);
    info[i].svn = svns[i];
  }
  return true;
}

// tcbDate must be a time (Intel's parser reads it as one); tcbStatus must be a status Intel
// defines. Both are checked here so that a malformed level fails whether or not it is selected.
Result<bool> DateAndStatus(const rapidjson::Value& level, const std::string& path,
                           std::string& date, std::string& status) {
  Result<std::string> d = json::String(level, "tcbDate", path);
  if (!d.ok()) return Error{d.error()};
  if (Result<int64_t> t = ParseRfc3339(*d); !t.ok()) {
    return MakeError(path, ".tcbDate: ", t.error());
  }
  date = std::move(d).value();
  Result<std::string> s = json::String(level, "tcbStatus", path);
  if (!s.ok()) return Error{s.error()};
  if (Result<TcbStatus> known = ParseTcbStatus(*s); !known.ok()) {
    return MakeError(path, ".tcbStatus: ", known.error());
  } else if (!IsCollateralTcbStatus(*known)) {
    return MakeError(path, ".tcbStatus: ", *s,
                     " is computed by a verifier, never listed in collateral");
  }
  status = std::move(s).value();
  return true;
}

Result<TcbLevel> ParseLevel(const rapidjson::Value& v, const std::string& path, int version,
                            bool tdx) {
  TcbLevel level;
  Result<const rapidjson::Value*> tcb = json::Member(v, "tcb", path);
  if (!tcb.ok()) return Error{tcb.error()};
  const std::string tcb_path = path + ".tcb";
  if (!(*tcb)->IsObject()) return MakeError(tcb_path, " is not an object");
  Result<bool> sgx =
      version == 2 ? ComponentsV2(**tcb, tcb_path, level.sgx_components, level.sgx_component_info)
                   : Components(**tcb, "sgxtcbcomponents", tcb_path, level.sgx_components,
                                level.sgx_component_info);
  if (!sgx.ok()) return Error{sgx.error()};
  if (tdx) {
    Result<bool> r = Components(**tcb, "tdxtcbcomponents", tcb_path, level.tdx_components,
                                level.tdx_component_info);
    if (!r.ok()) return Error{r.error()};
    level.has_tdx = true;
  }
  Result<int64_t> pce = json::Integer(**tcb, "pcesvn", tcb_path, 0, 65535);
  if (!pce.ok()) return Error{pce.error()};
  level.pce_svn = static_cast<uint16_t>(*pce);
  if (Result<bool> r = DateAndStatus(v, path, level.tcb_date, level.status); !r.ok()) {
    return Error{r.error()};
  }
  Result<std::vector<std::string>> advisories = json::OptionalStrings(v, "advisoryIDs", path);
  if (!advisories.ok()) return Error{advisories.error()};
  level.advisory_ids = std::move(advisories).value();
  return level;
}

// mrsigner (48 bytes), attributes and attributesMask (8 each): shared by tdxModule and each
// tdxModuleIdentities entry.
Result<TdxModule> ModuleFields(const rapidjson::Value& v, const std::string& path) {
  Result<crypto::Bytes> signer = json::Hex(v, "mrsigner", path, 48);
  if (!signer.ok()) return Error{signer.error()};
  Result<crypto::Bytes> attributes = json::Hex(v, "attributes", path, 8);
  if (!attributes.ok()) return Error{attributes.error()};
  Result<crypto::Bytes> mask = json::Hex(v, "attributesMask", path, 8);
  if (!mask.ok()) return Error{mask.error()};
  return TdxModule{std::move(signer).value(), std::move(attributes).value(),
                   std::move(mask).value()};
}

Result<TdxModuleIdentity> ParseModuleIdentity(const rapidjson::Value& v, const std::string& path) {
  TdxModuleIdentity m;
  Result<std::string> id = json::String(v, "id", path);
  if (!id.ok()) return Error{id.error()};
  m.id = std::move(id).value();
  Result<TdxModule> fields = ModuleFields(v, path);
  if (!fields.ok()) return Error{fields.error()};
  m.mrsigner = fields->mrsigner;
  m.attributes = fields->attributes;
  m.attributes_mask = fields->attributes_mask;
  Result<const rapidjson::Value*> levels = json::Array(v, "tcbLevels", path);
  if (!levels.ok()) return Error{levels.error()};
  for (rapidjson::SizeType i = 0; i < (*levels)->Size(); ++i) {
    const rapidjson::Value& lv = (**levels)[i];
    const std::string lp = Indexed(path, "tcbLevels", i);
    TdxModuleIdentity::Level level;
    Result<const rapidjson::Value*> tcb = json::Member(lv, "tcb", lp);
    if (!tcb.ok()) return Error{tcb.error()};
    Result<int64_t> isvsvn = json::Integer(**tcb, "isvsvn", lp + ".tcb", 0, 255);
    if (!isvsvn.ok()) return Error{isvsvn.error()};
    level.isvsvn = static_cast<uint8_t>(*isvsvn);
    if (Result<bool> r = DateAndStatus(lv, lp, level.tcb_date, level.status); !r.ok()) {
      return Error{r.error()};
    }
    Result<std::vector<std::string>> advisories = json::OptionalStrings(lv, "advisoryIDs", lp);
    if (!advisories.ok()) return Error{advisories.error()};
    level.advisory_ids = std::move(advisories).value();
    m.levels.push_back(std::move(level));
  }
  return m;
}

}  // namespace

Result<TcbInfo> ParseTcbInfo(std::string_view text) {
  rapidjson::Document doc;
  if (Result<bool> parsed = json::ParseObject(text, "TCB info", doc); !parsed.ok()) {
    return Error{parsed.error()};
  }
  const rapidjson::Value* root = &doc;
  if (const auto wrapped = doc.FindMember("tcbInfo"); wrapped != doc.MemberEnd()) {
    root = &wrapped->value;
  }
  const std::string path = "tcbInfo";
  if (!root->IsObject()) return MakeError(path, " is not an object");
  TcbInfo info;
  Result<std::string> id = json::String(*root, "id", path);
  if (!id.ok()) return Error{id.error()};
  info.id = std::move(id).value();
  Result<int64_t> version = json::Integer(*root, "version", path, 0, 1000);
  if (!version.ok()) return Error{version.error()};
  info.version = static_cast<int>(*version);
  const bool tdx = info.id == "TDX";
  const std::string shown_id = info.id.substr(0, 32);
  if (info.id != "TDX" && info.id != "SGX") {
    return MakeError(path, ".id is '", shown_id, "'; expected TDX or SGX");
  }
  if (info.version != 3 && !(info.id == "SGX" && info.version == 2)) {
    return MakeError(path, " is id ", shown_id, " version ", info.version,
                     "; supported: TDX version 3, SGX versions 2 and 3");
  }
  Result<int64_t> issue = json::Time(*root, "issueDate", path);
  if (!issue.ok()) return Error{issue.error()};
  info.issue_date = *issue;
  Result<int64_t> next = json::Time(*root, "nextUpdate", path);
  if (!next.ok()) return Error{next.error()};
  info.next_update = *next;
  Result<crypto::Bytes> fmspc = json::Hex(*root, "fmspc", path, 6);
  if (!fmspc.ok()) return Error{fmspc.error()};
  info.fmspc = std::move(fmspc).value();
  Result<crypto::Bytes> pce = json::Hex(*root, "pceId", path, 2);
  if (!pce.ok()) return Error{pce.error()};
  info.pce_id = std::move(pce).value();
  Result<int64_t> type = json::Integer(*root, "tcbType", path, 0, 255);
  if (!type.ok()) return Error{type.error()};
  info.tcb_type = static_cast<int>(*type);
  Result<int64_t> evaluation = json::Integer(*root, "tcbEvaluationDataNumber", path, 0, 1 << 30);
  if (!evaluation.ok()) return Error{evaluation.error()};
  info.tcb_evaluation_data_number = static_cast<int>(*evaluation);
  if (tdx) {
    Result<const rapidjson::Value*> module = json::Member(*root, "tdxModule", path);
    if (!module.ok()) return Error{module.error()};
    Result<TdxModule> fields = ModuleFields(**module, path + ".tdxModule");
    if (!fields.ok()) return Error{fields.error()};
    info.tdx_module = std::move(fields).value();
    // Optional: TCB info for platforms with only pre-1.5 modules may omit it. The matcher says
    // so when a quote's module major version needs an identity.
    if (root->HasMember("tdxModuleIdentities")) {
      Result<const rapidjson::Value*> ids = json::Array(*root, "tdxModuleIdentities", path);
      if (!ids.ok()) return Error{ids.error()};
      for (rapidjson::SizeType i = 0; i < (*ids)->Size(); ++i) {
        Result<TdxModuleIdentity> m =
            ParseModuleIdentity((**ids)[i], Indexed(path, "tdxModuleIdentities", i));
        if (!m.ok()) return Error{m.error()};
        info.tdx_module_identities.push_back(std::move(m).value());
      }
    }
  }
  Result<const rapidjson::Value*> levels = json::Array(*root, "tcbLevels", path);
  if (!levels.ok()) return Error{levels.error()};
  if ((*levels)->Empty()) return MakeError(path, ".tcbLevels is empty");
  for (rapidjson::SizeType i = 0; i < (*levels)->Size(); ++i) {
    Result<TcbLevel> level =
        ParseLevel((**levels)[i], Indexed(path, "tcbLevels", i), info.version, tdx);
    if (!level.ok()) return Error{level.error()};
    info.levels.push_back(std::move(level).value());
  }
  return info;
}

}  // namespace teeharness::attestation
