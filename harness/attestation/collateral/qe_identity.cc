#include "harness/attestation/collateral/qe_identity.h"

#include "harness/attestation/collateral/json_fields.h"
#include "harness/attestation/collateral/rfc3339.h"
#include "harness/attestation/policy/tcb_status.h"

namespace teeharness::attestation {
namespace {

uint32_t BigEndian32(const crypto::Bytes& b) {
  return (static_cast<uint32_t>(b[0]) << 24) | (static_cast<uint32_t>(b[1]) << 16) |
         (static_cast<uint32_t>(b[2]) << 8) | b[3];
}

}  // namespace

Result<QeIdentity> ParseQeIdentity(std::string_view text) {
  rapidjson::Document doc;
  if (Result<bool> parsed = json::ParseObject(text, "QE identity", doc); !parsed.ok()) {
    return Error{parsed.error()};
  }
  const rapidjson::Value* root = &doc;
  if (const auto wrapped = doc.FindMember("enclaveIdentity"); wrapped != doc.MemberEnd()) {
    root = &wrapped->value;
  }
  const std::string path = "enclaveIdentity";
  if (!root->IsObject()) return MakeError(path, " is not an object");
  QeIdentity q;
  Result<std::string> id = json::String(*root, "id", path);
  if (!id.ok()) return Error{id.error()};
  q.id = *id;
  Result<int64_t> version = json::Integer(*root, "version", path, 0, 1000);
  if (!version.ok()) return Error{version.error()};
  q.version = static_cast<int>(*version);
  // TD_QE and QE identities are version 2 (Intel PCS API v4); version 1 has no tcbLevels shape
  // this parser knows, and Intel's QVL rejects it for TDX quotes.
  if (q.version != 2) return MakeError(path, ".version is ", q.version, "; expected 2");
  Result<int64_t> issue = json::Time(*root, "issueDate", path);
  if (!issue.ok()) return Error{issue.error()};
  q.issue_date = *issue;
  Result<int64_t> next = json::Time(*root, "nextUpdate", path);
  if (!next.ok()) return Error{next.error()};
  q.next_update = *next;
  Result<int64_t> evaluation = json::Integer(*root, "tcbEvaluationDataNumber", path, 0, 1 << 30);
  if (!evaluation.ok()) return Error{evaluation.error()};
  q.tcb_evaluation_data_number = static_cast<int>(*evaluation);
  // MISCSELECT is written as big-endian hex text of the 32-bit value.
  Result<crypto::Bytes> misc = json::Hex(*root, "miscselect", path, 4);
  if (!misc.ok()) return Error{misc.error()};
  q.miscselect = BigEndian32(*misc);
  Result<crypto::Bytes> misc_mask = json::Hex(*root, "miscselectMask", path, 4);
  if (!misc_mask.ok()) return Error{misc_mask.error()};
  q.miscselect_mask = BigEndian32(*misc_mask);
  Result<crypto::Bytes> attributes = json::Hex(*root, "attributes", path, 16);
  if (!attributes.ok()) return Error{attributes.error()};
  q.attributes = *attributes;
  Result<crypto::Bytes> mask = json::Hex(*root, "attributesMask", path, 16);
  if (!mask.ok()) return Error{mask.error()};
  q.attributes_mask = *mask;
  Result<crypto::Bytes> signer = json::Hex(*root, "mrsigner", path, 32);
  if (!signer.ok()) return Error{signer.error()};
  q.mrsigner = *signer;
  Result<int64_t> prod = json::Integer(*root, "isvprodid", path, 0, 65535);
  if (!prod.ok()) return Error{prod.error()};
  q.isvprodid = static_cast<uint16_t>(*prod);
  Result<const rapidjson::Value*> levels = json::Array(*root, "tcbLevels", path);
  if (!levels.ok()) return Error{levels.error()};
  for (rapidjson::SizeType i = 0; i < (*levels)->Size(); ++i) {
    const rapidjson::Value& lv = (**levels)[i];
    const std::string lp = path + ".tcbLevels[" + std::to_string(i) + "]";
    QeIdentity::Level level;
    Result<const rapidjson::Value*> tcb = json::Member(lv, "tcb", lp);
    if (!tcb.ok()) return Error{tcb.error()};
    Result<int64_t> isvsvn = json::Integer(**tcb, "isvsvn", lp + ".tcb", 0, 65535);
    if (!isvsvn.ok()) return Error{isvsvn.error()};
    level.isvsvn = static_cast<uint16_t>(*isvsvn);
    Result<std::string> date = json::String(lv, "tcbDate", lp);
    if (!date.ok()) return Error{date.error()};
    if (Result<int64_t> t = ParseRfc3339(*date); !t.ok()) {
      return MakeError(lp, ".tcbDate: ", t.error());
    }
    level.tcb_date = *date;
    Result<std::string> status = json::String(lv, "tcbStatus", lp);
    if (!status.ok()) return Error{status.error()};
    if (Result<TcbStatus> known = ParseTcbStatus(*status); !known.ok()) {
      return MakeError(lp, ".tcbStatus: ", known.error());
    } else if (!IsCollateralTcbStatus(*known)) {
      return MakeError(lp, ".tcbStatus: ", *status,
                       " is computed by a verifier, never listed in collateral");
    }
    level.status = *status;
    Result<std::vector<std::string>> advisories = json::OptionalStrings(lv, "advisoryIDs", lp);
    if (!advisories.ok()) return Error{advisories.error()};
    level.advisory_ids = std::move(advisories).value();
    q.levels.push_back(std::move(level));
  }
  return q;
}

}  // namespace teeharness::attestation
