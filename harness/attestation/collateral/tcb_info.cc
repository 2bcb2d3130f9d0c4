#include "harness/attestation/collateral/tcb_info.h"

#include "harness/attestation/collateral/json_fields.h"

namespace teeharness::attestation {
namespace {

Result<bool> Components(const rapidjson::Value& tcb, const char* key, const std::string& path,
                        std::array<uint8_t, 16>& out) {
  Result<const rapidjson::Value*> list = json::Array(tcb, key, path);
  if (!list.ok()) return Error{list.error()};
  if ((*list)->Size() != 16) {
    return MakeError(path, ".", key, " has ", (*list)->Size(), " components; expected 16");
  }
  for (rapidjson::SizeType i = 0; i < 16; ++i) {
    Result<int64_t> svn =
        json::Integer((**list)[i], "svn", path + "." + key + "[" + std::to_string(i) + "]", 0, 255);
    if (!svn.ok()) return Error{svn.error()};
    out[i] = static_cast<uint8_t>(*svn);
  }
  return true;
}

Result<TcbLevel> ParseLevel(const rapidjson::Value& v, const std::string& path, bool tdx) {
  TcbLevel level;
  Result<const rapidjson::Value*> tcb = json::Member(v, "tcb", path);
  if (!tcb.ok()) return Error{tcb.error()};
  const std::string tcb_path = path + ".tcb";
  if (Result<bool> r = Components(**tcb, "sgxtcbcomponents", tcb_path, level.sgx_components);
      !r.ok()) {
    return Error{r.error()};
  }
  if (tdx) {
    if (Result<bool> r = Components(**tcb, "tdxtcbcomponents", tcb_path, level.tdx_components);
        !r.ok()) {
      return Error{r.error()};
    }
  }
  Result<int64_t> pce = json::Integer(**tcb, "pcesvn", tcb_path, 0, 65535);
  if (!pce.ok()) return Error{pce.error()};
  level.pce_svn = static_cast<uint16_t>(*pce);
  Result<std::string> date = json::String(v, "tcbDate", path);
  if (!date.ok()) return Error{date.error()};
  level.tcb_date = *date;
  Result<std::string> status = json::String(v, "tcbStatus", path);
  if (!status.ok()) return Error{status.error()};
  level.status = *status;
  Result<std::vector<std::string>> advisories = json::OptionalStrings(v, "advisoryIDs", path);
  if (!advisories.ok()) return Error{advisories.error()};
  level.advisory_ids = *advisories;
  return level;
}

Result<TdxModuleIdentity> ParseModuleIdentity(const rapidjson::Value& v, const std::string& path) {
  TdxModuleIdentity m;
  Result<std::string> id = json::String(v, "id", path);
  if (!id.ok()) return Error{id.error()};
  m.id = *id;
  Result<crypto::Bytes> signer = json::Hex(v, "mrsigner", path, 48);
  if (!signer.ok()) return Error{signer.error()};
  m.mrsigner = *signer;
  Result<crypto::Bytes> attributes = json::Hex(v, "attributes", path, 8);
  if (!attributes.ok()) return Error{attributes.error()};
  m.attributes = *attributes;
  Result<crypto::Bytes> mask = json::Hex(v, "attributesMask", path, 8);
  if (!mask.ok()) return Error{mask.error()};
  m.attributes_mask = *mask;
  Result<const rapidjson::Value*> levels = json::Array(v, "tcbLevels", path);
  if (!levels.ok()) return Error{levels.error()};
  for (rapidjson::SizeType i = 0; i < (*levels)->Size(); ++i) {
    const rapidjson::Value& lv = (**levels)[i];
    const std::string lp = path + ".tcbLevels[" + std::to_string(i) + "]";
    TdxModuleIdentity::Level level;
    Result<const rapidjson::Value*> tcb = json::Member(lv, "tcb", lp);
    if (!tcb.ok()) return Error{tcb.error()};
    Result<int64_t> isvsvn = json::Integer(**tcb, "isvsvn", lp + ".tcb", 0, 255);
    if (!isvsvn.ok()) return Error{isvsvn.error()};
    level.isvsvn = static_cast<uint8_t>(*isvsvn);
    Result<std::string> date = json::String(lv, "tcbDate", lp);
    if (!date.ok()) return Error{date.error()};
    level.tcb_date = *date;
    Result<std::string> status = json::String(lv, "tcbStatus", lp);
    if (!status.ok()) return Error{status.error()};
    level.status = *status;
    Result<std::vector<std::string>> advisories = json::OptionalStrings(lv, "advisoryIDs", lp);
    if (!advisories.ok()) return Error{advisories.error()};
    level.advisory_ids = *advisories;
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
  TcbInfo info;
  Result<std::string> id = json::String(*root, "id", path);
  if (!id.ok()) return Error{id.error()};
  info.id = *id;
  Result<int64_t> version = json::Integer(*root, "version", path, 0, 1000);
  if (!version.ok()) return Error{version.error()};
  info.version = static_cast<int>(*version);
  if (info.version != 3) return info;  // the caller rejects other versions, naming them
  Result<int64_t> issue = json::Time(*root, "issueDate", path);
  if (!issue.ok()) return Error{issue.error()};
  info.issue_date = *issue;
  Result<int64_t> next = json::Time(*root, "nextUpdate", path);
  if (!next.ok()) return Error{next.error()};
  info.next_update = *next;
  Result<crypto::Bytes> fmspc = json::Hex(*root, "fmspc", path, 6);
  if (!fmspc.ok()) return Error{fmspc.error()};
  info.fmspc = *fmspc;
  Result<crypto::Bytes> pce = json::Hex(*root, "pceId", path, 2);
  if (!pce.ok()) return Error{pce.error()};
  info.pce_id = *pce;
  Result<int64_t> type = json::Integer(*root, "tcbType", path, 0, 255);
  if (!type.ok()) return Error{type.error()};
  info.tcb_type = static_cast<int>(*type);
  Result<int64_t> evaluation = json::Integer(*root, "tcbEvaluationDataNumber", path, 0, 1 << 30);
  if (!evaluation.ok()) return Error{evaluation.error()};
  info.tcb_evaluation_data_number = static_cast<int>(*evaluation);
  const bool tdx = info.id == "TDX";
  if (tdx) {
    Result<const rapidjson::Value*> module = json::Member(*root, "tdxModule", path);
    if (!module.ok()) return Error{module.error()};
    Result<crypto::Bytes> signer = json::Hex(**module, "mrsigner", path + ".tdxModule", 48);
    if (!signer.ok()) return Error{signer.error()};
    Result<crypto::Bytes> attributes = json::Hex(**module, "attributes", path + ".tdxModule", 8);
    if (!attributes.ok()) return Error{attributes.error()};
    Result<crypto::Bytes> mask = json::Hex(**module, "attributesMask", path + ".tdxModule", 8);
    if (!mask.ok()) return Error{mask.error()};
    info.tdx_module = {*signer, *attributes, *mask};
    if (root->HasMember("tdxModuleIdentities")) {
      Result<const rapidjson::Value*> ids = json::Array(*root, "tdxModuleIdentities", path);
      if (!ids.ok()) return Error{ids.error()};
      for (rapidjson::SizeType i = 0; i < (*ids)->Size(); ++i) {
        Result<TdxModuleIdentity> m = ParseModuleIdentity(
            (**ids)[i], path + ".tdxModuleIdentities[" + std::to_string(i) + "]");
        if (!m.ok()) return Error{m.error()};
        info.tdx_module_identities.push_back(std::move(m).value());
      }
    }
  }
  Result<const rapidjson::Value*> levels = json::Array(*root, "tcbLevels", path);
  if (!levels.ok()) return Error{levels.error()};
  for (rapidjson::SizeType i = 0; i < (*levels)->Size(); ++i) {
    Result<TcbLevel> level =
        ParseLevel((**levels)[i], path + ".tcbLevels[" + std::to_string(i) + "]", tdx);
    if (!level.ok()) return Error{level.error()};
    info.levels.push_back(std::move(level).value());
  }
  return info;
}

}  // namespace teeharness::attestation
