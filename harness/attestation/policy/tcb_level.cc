#include "harness/attestation/policy/tcb_level.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "harness/attestation/policy/tcb_status.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

std::string ModuleId(uint8_t major) {
  char id[8];
  std::snprintf(id, sizeof(id), "TDX_%02X", major);
  return id;
}

// Intel's QVL upper-cases the identity's id before comparing; dcap-qvl compares ignoring case.
bool SameIdIgnoringCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

// Intel's order (TcbLevel::operator> for TDX v3, which dcap-qvl's canonicalize_tcb_levels copies):
// SGX components, then PCESVN, then TDX components, lexicographically, highest first.
bool HigherLevel(const TcbLevel* a, const TcbLevel* b) {
  if (a->sgx_components != b->sgx_components) return a->sgx_components > b->sgx_components;
  if (a->pce_svn != b->pce_svn) return a->pce_svn > b->pce_svn;
  return a->tdx_components > b->tdx_components;
}

bool MeetsSgx(const TcbLevel& level, const TcbInputs& in) {
  for (size_t i = 0; i < 16; ++i) {
    if (in.sgx_components[i] < level.sgx_components[i]) return false;
  }
  return in.pce_svn >= level.pce_svn;
}

bool MeetsTdx(const TcbLevel& level, const TcbInputs& in, size_t tdx_from) {
  for (size_t i = tdx_from; i < 16; ++i) {
    if (in.tee_tcb_svn[i] < level.tdx_components[i]) return false;
  }
  return true;
}

std::string Described(const TcbComponent& c) {
  if (!c.type.empty()) return ", " + c.type;
  if (!c.category.empty()) return ", " + c.category;
  return "";
}

std::string SgxName(const TcbLevel& level, size_t i) {
  return "SGX TCB component " + std::to_string(i + 1) + " (index " + std::to_string(i) +
         Described(level.sgx_component_info[i]) + ")";
}

std::string TdxName(const TcbLevel& level, size_t i) {
  return "TEE_TCB_SVN byte " + std::to_string(i) + " (TDX TCB component " + std::to_string(i + 1) +
         Described(level.tdx_component_info[i]) + ")";
}

// The first SGX component, PCESVN or TDX byte where `in` falls below `level`; "" when none.
std::string ShortfallAgainst(const TcbLevel& level, const TcbInputs& in, size_t tdx_from) {
  for (size_t i = 0; i < 16; ++i) {
    if (in.sgx_components[i] < level.sgx_components[i]) {
      return SgxName(level, i) + " is " + std::to_string(in.sgx_components[i]) + ", it needs " +
             std::to_string(level.sgx_components[i]);
    }
  }
  if (in.pce_svn < level.pce_svn) {
    return "PCESVN is " + std::to_string(in.pce_svn) + ", it needs " +
           std::to_string(level.pce_svn);
  }
  for (size_t i = tdx_from; i < 16; ++i) {
    if (in.tee_tcb_svn[i] < level.tdx_components[i]) {
      return TdxName(level, i) + " is " + std::to_string(in.tee_tcb_svn[i]) + ", it needs " +
             std::to_string(level.tdx_components[i]);
    }
  }
  return "";
}

// Why no level matched. When one SGX component (or PCESVN) is below what every level requires,
// that is the whole story and is said so; when the SGX part matched some levels but the TDX part
// none of them, the same is said of the TDX bytes against those levels; otherwise the platform
// falls short of different levels in different components, and the shortfall against the lowest
// level is given.
std::string NoMatchReason(const std::vector<const TcbLevel*>& levels, const TcbInputs& in,
                          size_t tdx_from) {
  std::vector<const TcbLevel*> sgx_ok;
  for (const TcbLevel* l : levels) {
    if (MeetsSgx(*l, in)) sgx_ok.push_back(l);
  }
  if (sgx_ok.empty()) {
    for (size_t i = 0; i < 16; ++i) {
      const TcbLevel* lowest = *std::min_element(
          levels.begin(), levels.end(), [i](const TcbLevel* a, const TcbLevel* b) {
            return a->sgx_components[i] < b->sgx_components[i];
          });
      if (in.sgx_components[i] < lowest->sgx_components[i]) {
        return SgxName(*lowest, i) + " is " + std::to_string(in.sgx_components[i]) +
               ", every level needs at least " + std::to_string(lowest->sgx_components[i]);
      }
    }
    const TcbLevel* lowest = *std::min_element(
        levels.begin(), levels.end(),
        [](const TcbLevel* a, const TcbLevel* b) { return a->pce_svn < b->pce_svn; });
    if (in.pce_svn < lowest->pce_svn) {
      return "PCESVN is " + std::to_string(in.pce_svn) + ", every level needs at least " +
             std::to_string(lowest->pce_svn);
    }
  } else {
    for (size_t i = tdx_from; i < 16; ++i) {
      const TcbLevel* lowest = *std::min_element(
          sgx_ok.begin(), sgx_ok.end(), [i](const TcbLevel* a, const TcbLevel* b) {
            return a->tdx_components[i] < b->tdx_components[i];
          });
      if (in.tee_tcb_svn[i] < lowest->tdx_components[i]) {
        return TdxName(*lowest, i) + " is " + std::to_string(in.tee_tcb_svn[i]) +
               ", every level the SGX TCB meets needs at least " +
               std::to_string(lowest->tdx_components[i]);
      }
    }
  }
  const TcbLevel& last = *levels.back();
  return "the platform falls short of each level in a different component; against the lowest (" +
         last.status + ", " + last.tcb_date + "): " + ShortfallAgainst(last, in, tdx_from);
}

// The expected module: tcbInfo.tdxModule, or the identity of the quote's module major version.
struct ExpectedModule {
  const crypto::Bytes* mrsigner;
  const crypto::Bytes* attributes;
  const crypto::Bytes* attributes_mask;
  const TdxModuleIdentity* identity;  // null when tdxModule applies
};

Result<ExpectedModule> SelectModule(const TcbInfo& info, const TcbInputs& in, bool need_identity) {
  ExpectedModule m{&info.tdx_module.mrsigner, &info.tdx_module.attributes,
                   &info.tdx_module.attributes_mask, nullptr};
  if (!need_identity) return m;
  const uint8_t major = in.tee_tcb_svn[1];
  const std::string wanted = ModuleId(major);
  if (info.tdx_module_identities.empty()) {
    return MakeError("TEE_TCB_SVN[1] (TDX module major version) is ", static_cast<int>(major),
                     " but the TCB info has no tdxModuleIdentities to find ", wanted, " in");
  }
  const auto it =
      std::find_if(info.tdx_module_identities.begin(), info.tdx_module_identities.end(),
                   [&](const TdxModuleIdentity& id) { return SameIdIgnoringCase(id.id, wanted); });
  if (it == info.tdx_module_identities.end()) {
    std::string known;
    for (const TdxModuleIdentity& id : info.tdx_module_identities) {
      known += (known.empty() ? "" : ", ") + id.id.substr(0, 16);
    }
    return MakeError("no TDX module identity ", wanted,
                     " for TEE_TCB_SVN[1] = ", static_cast<int>(major), " in the TCB info (it has ",
                     known, ")");
  }
  m.mrsigner = &it->mrsigner;
  m.attributes = &it->attributes;
  m.attributes_mask = &it->attributes_mask;
  m.identity = &*it;
  return m;
}

std::string ModuleName(const ExpectedModule& m) {
  return m.identity ? "TDX module identity " + m.identity->id.substr(0, 16) : "tcbInfo.tdxModule";
}

Result<bool> CheckSigner(const ExpectedModule& m, const TcbInputs& in) {
  if (in.mr_signer_seam != *m.mrsigner) {
    return MakeError("the TD report's MRSIGNERSEAM ", crypto::EncodeHex(in.mr_signer_seam),
                     " is not the mrsigner ", crypto::EncodeHex(*m.mrsigner), " of ",
                     ModuleName(m));
  }
  return true;
}

// Intel's QVL (QuoteVerifier.cpp 4.1.2.4.11.2): every SEAMATTRIBUTES byte must be zero and equal
// the expected attributes; the mask is not used.
Result<bool> CheckAttributesIntel(const ExpectedModule& m, const TcbInputs& in) {
  bool ok = in.seam_attributes.size() == m.attributes->size();
  for (size_t i = 0; ok && i < in.seam_attributes.size(); ++i) {
    ok = in.seam_attributes[i] == 0 && in.seam_attributes[i] == (*m.attributes)[i];
  }
  if (!ok) {
    return MakeError("the TD report's SEAMATTRIBUTES ", crypto::EncodeHex(in.seam_attributes),
                     " are not zero and equal to the attributes ", crypto::EncodeHex(*m.attributes),
                     " of ", ModuleName(m), " (Intel's QVL requires both)");
  }
  return true;
}

// dcap-qvl >= 0.4.0: equal under the mask, and no bit set outside it.
Result<bool> CheckAttributesMasked(const ExpectedModule& m, const TcbInputs& in) {
  const crypto::Bytes& want = *m.attributes;
  const crypto::Bytes& mask = *m.attributes_mask;
  bool ok = in.seam_attributes.size() == want.size() && mask.size() == want.size();
  for (size_t i = 0; ok && i < want.size(); ++i) {
    ok = (in.seam_attributes[i] & mask[i]) == (want[i] & mask[i]) &&
         (in.seam_attributes[i] & ~mask[i]) == 0;
  }
  if (!ok) {
    return MakeError("the TD report's SEAMATTRIBUTES ", crypto::EncodeHex(in.seam_attributes),
                     " do not match the attributes ", crypto::EncodeHex(want), " under mask ",
                     crypto::EncodeHex(mask), " of ", ModuleName(m));
  }
  return true;
}

// The identity's first level with isvsvn <= TEE_TCB_SVN[0] (Intel orders them highest first and
// both QVLs take the first hit, so the file's order is kept).
Result<const TdxModuleIdentity::Level*> ModuleLevel(const TdxModuleIdentity& identity,
                                                    const TcbInputs& in) {
  const auto it = std::find_if(
      identity.levels.begin(), identity.levels.end(),
      [&](const TdxModuleIdentity::Level& l) { return l.isvsvn <= in.tee_tcb_svn[0]; });
  if (it == identity.levels.end()) {
    int lowest = 256;
    for (const auto& l : identity.levels) lowest = std::min(lowest, static_cast<int>(l.isvsvn));
    return MakeError(
        "no TCB level of TDX module identity ", identity.id.substr(0, 16),
        " matches: TEE_TCB_SVN[0] (TDX module SVN) is ", static_cast<int>(in.tee_tcb_svn[0]),
        identity.levels.empty() ? std::string(", and the identity lists no levels")
                                : ", every level needs at least " + std::to_string(lowest));
  }
  return &*it;
}

void AddAdvisories(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const std::string& id : from) {
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
  }
}

Result<bool> CheckInputs(const TcbInfo& info, const TcbInputs& in, TcbRule rule) {
  if (info.id != "TDX" || info.version != 3) {
    return MakeError("TCB info is id ", info.id.substr(0, 32), " version ", info.version,
                     "; a TDX quote needs a TDX version 3 TCB info");
  }
  if (info.levels.empty()) return MakeError("no TCB level matches: the TCB info lists none");
  for (const TcbLevel& l : info.levels) {
    if (!l.has_tdx) return MakeError("a TCB level has no tdxtcbcomponents");
  }
  if (rule != TcbRule::kDcapQvl &&
      (in.mr_signer_seam.size() != 48 || in.seam_attributes.size() != 8)) {
    return MakeError("MRSIGNERSEAM must be 48 bytes and SEAMATTRIBUTES 8 (got ",
                     in.mr_signer_seam.size(), " and ", in.seam_attributes.size(), ")");
  }
  return true;
}

Result<TcbStatus> LevelStatus(const std::string& status, const char* what) {
  Result<TcbStatus> s = ParseTcbStatus(status);
  if (!s.ok()) return MakeError(what, ": ", s.error());
  return s;
}

bool NeedsConfiguration(TcbStatus s) {
  return s == TcbStatus::kConfigurationNeeded || s == TcbStatus::kOutOfDateConfigurationNeeded ||
         s == TcbStatus::kConfigurationAndSWHardeningNeeded ||
         s == TcbStatus::kTDRelaunchAdvisedConfigurationNeeded;
}

// Intel's TDRelaunchCheck.cpp checkForRelaunch, for a TD report 1.5 (see TcbRule::kIntel).
// `sorted` is non-empty and highest first; `sgx` is the status of the first level whose SGX part
// the platform meets, `tdx` the folded TDX status and `module` the module's (UpToDate when
// TEE_TCB_SVN[1] is 0). Returns the status to report: `tdx` unchanged, or a relaunch status.
Result<TcbStatus> RelaunchCheck(const TcbInfo& info, const std::vector<const TcbLevel*>& sorted,
                                const TcbInputs& in, TcbStatus sgx, TcbStatus tdx,
                                TcbStatus module) {
  if (in.qe_tcb_status == "OutOfDate" || in.qe_tcb_status == "Revoked") return tdx;
  if (sgx != TcbStatus::kUpToDate && sgx != TcbStatus::kSWHardeningNeeded &&
      sgx != TcbStatus::kConfigurationNeeded &&
      sgx != TcbStatus::kConfigurationAndSWHardeningNeeded) {
    return tdx;
  }
  if (tdx != TcbStatus::kOutOfDate && tdx != TcbStatus::kOutOfDateConfigurationNeeded) return tdx;
  if (module != TcbStatus::kOutOfDate) return tdx;
  const TcbLevel& latest = *sorted.front();
  const std::array<uint8_t, 16>& svn2 = in.tee_tcb_svn2;
  uint8_t module_svn_needed = latest.tdx_components[0];
  if (svn2[1] != 0) {
    const std::string wanted = ModuleId(svn2[1]);
    const auto it = std::find_if(
        info.tdx_module_identities.begin(), info.tdx_module_identities.end(),
        [&](const TdxModuleIdentity& id) { return SameIdIgnoringCase(id.id, wanted); });
    if (it == info.tdx_module_identities.end()) {
      return MakeError("TD relaunch check: no TDX module identity ", wanted,
                       " for TEE_TCB_SVN_2[1] = ", static_cast<int>(svn2[1]), " in the TCB info");
    }
    if (it->levels.empty()) {
      return MakeError("TD relaunch check: TDX module identity ", wanted, " lists no levels");
    }
    // Intel keeps a module identity's levels in a set ordered highest first and takes the first.
    module_svn_needed = 0;
    for (const auto& l : it->levels) module_svn_needed = std::max(module_svn_needed, l.isvsvn);
  }
  if (svn2[0] < module_svn_needed || svn2[2] < latest.tdx_components[2]) return tdx;
  return NeedsConfiguration(sgx) || NeedsConfiguration(tdx)
             ? TcbStatus::kTDRelaunchAdvisedConfigurationNeeded
             : TcbStatus::kTDRelaunchAdvised;
}

Result<TcbMatch> MatchIntel(const TcbInfo& info, const TcbInputs& in) {
  const uint8_t major = in.tee_tcb_svn[1];
  std::vector<const TcbLevel*> levels;
  for (const TcbLevel& l : info.levels) levels.push_back(&l);
  std::stable_sort(levels.begin(), levels.end(), HigherLevel);
  const size_t tdx_from = major > 0 ? 2 : 0;
  const TcbLevel* chosen = nullptr;
  for (const TcbLevel* l : levels) {
    if (MeetsSgx(*l, in) && MeetsTdx(*l, in, tdx_from)) {
      chosen = l;
      break;
    }
  }
  const std::string no_level =
      chosen ? "" : "no TCB level matches: " + NoMatchReason(levels, in, tdx_from);

  // 4.1.2.4.11: the QVL checks the module before the TCB level (4.1.2.4.17), so its failure is
  // reported first; a level failure found too is appended rather than hidden.
  Result<bool> module_ok = true;
  Result<ExpectedModule> module = SelectModule(info, in, major > 0);
  if (!module.ok()) {
    module_ok = Error{module.error()};
  } else if (Result<bool> r = CheckSigner(*module, in); !r.ok()) {
    module_ok = r;
  } else if (Result<bool> r = CheckAttributesIntel(*module, in); !r.ok()) {
    module_ok = r;
  }
  if (!module_ok.ok()) {
    return MakeError(module_ok.error(), no_level.empty() ? "" : "; and ", no_level);
  }
  if (chosen == nullptr) return Error{no_level};
  Result<TcbStatus> platform = LevelStatus(chosen->status, "TCB level status");
  if (!platform.ok()) return Error{platform.error()};
  TcbMatch match;
  match.rule = TcbRule::kIntel;
  match.platform_status = chosen->status;
  match.status = chosen->status;
  match.tcb_date = chosen->tcb_date;
  match.advisory_ids = chosen->advisory_ids;
  if (major == 0) return match;  // checkTdxModuleTcbStatus: STATUS_OK, nothing to fold in

  Result<const TdxModuleIdentity::Level*> level = ModuleLevel(*module->identity, in);
  if (!level.ok()) return Error{level.error()};
  Result<TcbStatus> module_status = LevelStatus((*level)->status, "TDX module level status");
  if (!module_status.ok()) return Error{module_status.error()};
  if (!IsValidModuleTcbStatus(*module_status)) {
    return MakeError("TDX module identity ", module->identity->id.substr(0, 16),
                     " level status is ", (*level)->status,
                     "; a module level may only be UpToDate, OutOfDate or Revoked");
  }
  match.module_id = module->identity->id;
  match.module_status = (*level)->status;
  const TcbStatus tdx = ConvergeWithModuleStatus(*platform, *module_status);
  match.status = std::string(TcbStatusName(tdx));
  AddAdvisories(match.advisory_ids, (*level)->advisory_ids);
  if (!in.td15) return match;

  // 4.1.2.4.17.4.3: the SGX status is that of the first level meeting the SGX components, which
  // may be higher than the chosen one (whose TDX part the platform also meets).
  const TcbLevel* sgx_level = *std::find_if(levels.begin(), levels.end(),
                                            [&](const TcbLevel* l) { return MeetsSgx(*l, in); });
  Result<TcbStatus> sgx = LevelStatus(sgx_level->status, "TCB level status");
  if (!sgx.ok()) return Error{sgx.error()};
  Result<TcbStatus> relaunch = RelaunchCheck(info, levels, in, *sgx, tdx, *module_status);
  if (!relaunch.ok()) return Error{relaunch.error()};
  if (*relaunch != tdx) {
    match.before_relaunch = match.status;
    match.status = std::string(TcbStatusName(*relaunch));
  }
  return match;
}

Result<TcbMatch> MatchDcapQvl(const TcbInfo& info, const TcbInputs& in, bool module_step) {
  std::vector<const TcbLevel*> levels;
  for (const TcbLevel& l : info.levels) levels.push_back(&l);
  if (module_step) std::stable_sort(levels.begin(), levels.end(), HigherLevel);
  const TcbLevel* chosen = nullptr;
  for (const TcbLevel* l : levels) {
    if (MeetsSgx(*l, in) && MeetsTdx(*l, in, 0)) {
      chosen = l;
      break;
    }
  }
  if (chosen == nullptr) return MakeError("no TCB level matches: ", NoMatchReason(levels, in, 0));
  Result<TcbStatus> platform = LevelStatus(chosen->status, "TCB level status");
  if (!platform.ok()) return Error{platform.error()};
  TcbMatch match;
  match.rule = module_step ? TcbRule::kDcapQvlModule : TcbRule::kDcapQvl;
  match.platform_status = chosen->status;
  match.status = chosen->status;
  match.tcb_date = chosen->tcb_date;
  match.advisory_ids = chosen->advisory_ids;
  if (!module_step) return match;

  const uint8_t major = in.tee_tcb_svn[1];
  // dcap-qvl falls back to tdxModule when the TCB info lists no identities at all.
  Result<ExpectedModule> module =
      SelectModule(info, in, major > 0 && !info.tdx_module_identities.empty());
  if (!module.ok()) return Error{module.error()};
  if (Result<bool> r = CheckSigner(*module, in); !r.ok()) return Error{r.error()};
  if (Result<bool> r = CheckAttributesMasked(*module, in); !r.ok()) return Error{r.error()};
  if (module->identity == nullptr) return match;
  Result<const TdxModuleIdentity::Level*> level = ModuleLevel(*module->identity, in);
  if (!level.ok()) return Error{level.error()};
  Result<TcbStatus> module_status = LevelStatus((*level)->status, "TDX module level status");
  if (!module_status.ok()) return Error{module_status.error()};
  match.module_id = module->identity->id;
  match.module_status = (*level)->status;
  match.status = std::string(TcbStatusName(WorseTcbStatus(*platform, *module_status)));
  AddAdvisories(match.advisory_ids, (*level)->advisory_ids);
  return match;
}

}  // namespace

const char* TcbRuleName(TcbRule rule) {
  switch (rule) {
    case TcbRule::kIntel:
      return "intel";
    case TcbRule::kDcapQvl:
      return "dcap-qvl";
    case TcbRule::kDcapQvlModule:
      return "dcap-qvl-module";
  }
  return "unknown";
}

Result<TcbMatch> MatchTcbLevel(const TcbInfo& info, const TcbInputs& in, TcbRule rule) {
  if (Result<bool> r = CheckInputs(info, in, rule); !r.ok()) return Error{r.error()};
  switch (rule) {
    case TcbRule::kIntel:
      return MatchIntel(info, in);
    case TcbRule::kDcapQvl:
      return MatchDcapQvl(info, in, false);
    case TcbRule::kDcapQvlModule:
      return MatchDcapQvl(info, in, true);
  }
  return MakeError("unknown TCB rule");
}

}  // namespace teeharness::attestation
