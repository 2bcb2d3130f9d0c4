#include "harness/attestation/policy/tcb_level.h"

#include <algorithm>
#include <cstdio>

#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

bool MaskedEqual(const crypto::Bytes& actual, const crypto::Bytes& expected,
                 const crypto::Bytes& mask) {
  if (actual.size() != expected.size() || mask.size() != expected.size()) return false;
  for (size_t i = 0; i < actual.size(); ++i) {
    if ((actual[i] & mask[i]) != (expected[i] & mask[i])) return false;
  }
  return true;
}

// The first component (SGX, PCESVN or TDX) where `in` falls below `level`, or "" when it meets it.
std::string Shortfall(const TcbLevel& level, const TcbInputs& in, size_t tdx_from) {
  for (size_t i = 0; i < 16; ++i) {
    if (in.sgx_components[i] < level.sgx_components[i]) {
      return "SGX TCB component " + std::to_string(i + 1) + " (index " + std::to_string(i) +
             ") is " + std::to_string(in.sgx_components[i]) + ", the level needs " +
             std::to_string(level.sgx_components[i]);
    }
  }
  if (in.pce_svn < level.pce_svn) {
    return "PCESVN is " + std::to_string(in.pce_svn) + ", the level needs " +
           std::to_string(level.pce_svn);
  }
  for (size_t i = tdx_from; i < 16; ++i) {
    if (in.tee_tcb_svn[i] < level.tdx_components[i]) {
      return "TEE_TCB_SVN[" + std::to_string(i) + "] is " + std::to_string(in.tee_tcb_svn[i]) +
             ", the level needs " + std::to_string(level.tdx_components[i]);
    }
  }
  return "";
}

// Intel's QVL folds the TDX module's status into the platform's
// (TdxVerifier: convergeTcbStatusWithTdxModuleStatus).
std::string Converge(const std::string& platform, const std::string& module) {
  if (module == "Revoked") return "Revoked";
  if (module == "OutOfDate") {
    if (platform == "UpToDate" || platform == "SWHardeningNeeded") return "OutOfDate";
    if (platform == "ConfigurationNeeded" || platform == "ConfigurationAndSWHardeningNeeded") {
      return "OutOfDateConfigurationNeeded";
    }
  }
  return platform;
}

std::string ModuleId(uint8_t major) {
  char id[8];
  std::snprintf(id, sizeof(id), "TDX_%02X", major);
  return id;
}

}  // namespace

Result<TcbMatch> MatchTcbLevel(const TcbInfo& info, const TcbInputs& in, TcbRule rule) {
  if (info.levels.empty()) return MakeError("no TCB level matches: the TCB info lists none");
  const uint8_t major = in.tee_tcb_svn[1];
  const bool module_rule = rule == TcbRule::kIntel && major > 0;
  // The TDX module that signed the report must be Intel's (mrsigner and masked attributes).
  if (rule == TcbRule::kIntel && !module_rule &&
      (!MaskedEqual(in.mr_signer_seam, info.tdx_module.mrsigner,
                    crypto::Bytes(in.mr_signer_seam.size(), 0xff)) ||
       !MaskedEqual(in.seam_attributes, info.tdx_module.attributes,
                    info.tdx_module.attributes_mask))) {
    return MakeError("the TD report's MRSIGNERSEAM ", crypto::EncodeHex(in.mr_signer_seam),
                     " or SEAMATTRIBUTES do not match the TCB info's tdxModule");
  }
  const size_t tdx_from = module_rule ? 2 : 0;
  TcbMatch match;
  match.rule = rule;
  const TcbLevel* chosen = nullptr;
  for (const TcbLevel& level : info.levels) {
    if (Shortfall(level, in, tdx_from).empty()) {
      chosen = &level;
      break;
    }
  }
  if (chosen == nullptr) {
    return MakeError("no TCB level matches: ", Shortfall(info.levels.back(), in, tdx_from),
                     " at the lowest level (", info.levels.back().status, ", ",
                     info.levels.back().tcb_date, ")");
  }
  match.status = chosen->status;
  match.advisory_ids = chosen->advisory_ids;
  match.tcb_date = chosen->tcb_date;
  if (!module_rule) return match;
  match.module_id = ModuleId(major);
  const auto identity =
      std::find_if(info.tdx_module_identities.begin(), info.tdx_module_identities.end(),
                   [&](const TdxModuleIdentity& m) { return m.id == match.module_id; });
  if (identity == info.tdx_module_identities.end()) {
    return MakeError("no TDX module identity ", match.module_id,
                     " in the TCB info for TEE_TCB_SVN[1] = ", static_cast<int>(major));
  }
  if (!MaskedEqual(in.mr_signer_seam, identity->mrsigner,
                   crypto::Bytes(in.mr_signer_seam.size(), 0xff)) ||
      !MaskedEqual(in.seam_attributes, identity->attributes, identity->attributes_mask)) {
    return MakeError(
        "the TD report's MRSIGNERSEAM or SEAMATTRIBUTES do not match TDX module "
        "identity ",
        match.module_id);
  }
  const auto level = std::find_if(
      identity->levels.begin(), identity->levels.end(),
      [&](const TdxModuleIdentity::Level& l) { return l.isvsvn <= in.tee_tcb_svn[0]; });
  if (level == identity->levels.end()) {
    return MakeError("no TCB level of TDX module ", match.module_id, " matches: TEE_TCB_SVN[0] is ",
                     static_cast<int>(in.tee_tcb_svn[0]));
  }
  match.module_status = level->status;
  match.status = Converge(match.status, level->status);
  for (const std::string& id : level->advisory_ids) {
    if (std::find(match.advisory_ids.begin(), match.advisory_ids.end(), id) ==
        match.advisory_ids.end()) {
      match.advisory_ids.push_back(id);
    }
  }
  return match;
}

}  // namespace teeharness::attestation
