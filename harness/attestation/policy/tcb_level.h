#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/attestation/collateral/tcb_info.h"
#include "harness/base/result.h"

namespace teeharness::attestation {

// Which TCB evaluation applies. The rules differ only in how TEE_TCB_SVN bytes 0 and 1 (the TDX
// module's SVN and major version) are judged and how the module's status is folded in.
enum class TcbRule {
  // Intel's QVL (SGX-TDX-DCAP-QuoteVerificationLibrary: QuoteVerifier.cpp 4.1.2.4.11,
  // TcbLevelCheck.cpp, TdxModuleCheck.cpp), which implements Intel's TDX DCAP spec:
  //  * the expected TDX module is tcbInfo.tdxModule, or, when TEE_TCB_SVN[1] (the module's major
  //    version) is non-zero, the tdxModuleIdentities entry "TDX_%02X" of that version (missing:
  //    error); MRSIGNERSEAM must equal its mrsigner and every SEAMATTRIBUTES byte must be zero and
  //    equal its attributes (the QVL does not apply attributesMask here);
  //  * levels are taken in Intel's order (SGX components, then PCESVN, then TDX components, each
  //    compared lexicographically, highest first; the order of the JSON array does not matter);
  //    a level matches when every SGX component and PCESVN are >= its own and every TEE_TCB_SVN
  //    byte is >= its TDX component, from byte 2 when TEE_TCB_SVN[1] > 0, else from byte 0;
  //  * when TEE_TCB_SVN[1] > 0 the module identity's first level with isvsvn <= TEE_TCB_SVN[0]
  //    gives the module status (none: error), which must be UpToDate, OutOfDate or Revoked, and is
  //    folded in with ConvergeWithModuleStatus (tcb_status.h).
  //  * for a TD report 1.5 (v5 body type 3), Intel's TD relaunch check (TDRelaunchCheck.cpp,
  //    QuoteVerifier 4.1.2.4.17.4.3): when the QE is not OutOfDate or Revoked, the SGX level's
  //    status is UpToDate, SWHardeningNeeded, ConfigurationNeeded or
  //    ConfigurationAndSWHardeningNeeded, the folded TDX status is OutOfDate or
  //    OutOfDateConfigurationNeeded and the module's status is OutOfDate, TEE_TCB_SVN_2 (the SVNs
  //    a relaunched TD would report) is compared with the highest TCB level: with
  //    TEE_TCB_SVN_2[1] == 0, bytes 0 and 2 against its TDX components 0 and 2; otherwise byte 0
  //    against the highest level of module identity "TDX_%02X" of TEE_TCB_SVN_2[1] (missing:
  //    error) and byte 2 against the level's component 2. Meeting both gives TDRelaunchAdvised, or
  //    TDRelaunchAdvisedConfigurationNeeded when the SGX or TDX status needed configuration.
  //  Not done here: the QE status convergence (the verifier holds the QE result and fails
  //  QUOTE-QE on an OutOfDate or Revoked QE unless accepted; see ConvergeWithQeStatus).
  kIntel,
  // dcap-qvl up to v0.3.12 (verify.rs match_platform_tcb): levels in the file's order; all 16
  // TEE_TCB_SVN bytes compared with the TDX components; no module identity, MRSIGNERSEAM or
  // SEAMATTRIBUTES step, and no TD relaunch check (TEE_TCB_SVN_2 is not read).
  kDcapQvl,
  // dcap-qvl since v0.4.0 (commit 90ab4d1, "TDX Module Identity verification aligned with Intel
  // QVL"; the vectors in tests/vectors come from its 9bffe30): levels sorted as Intel sorts them;
  // all 16 bytes compared; then MRSIGNERSEAM must equal the expected mrsigner and SEAMATTRIBUTES
  // must equal the expected attributes under attributesMask with no bit set outside the mask;
  // with TEE_TCB_SVN[1] > 0 and identities present, the identity's level gives a module status
  // merged by severity (WorseTcbStatus), not by Intel's convergence. No TD relaunch check either.
  kDcapQvlModule,
};

// "intel", "dcap-qvl", "dcap-qvl-module" (for reports and --tcb-rule style options).
const char* TcbRuleName(TcbRule rule);

// What MatchTcbLevel compares. Value type, as is TcbMatch.
struct TcbInputs {
  std::array<uint8_t, 16> sgx_components{};  // from the PCK certificate's SGX extension
  uint16_t pce_svn = 0;                      // from the PCK certificate's SGX extension
  std::array<uint8_t, 16> tee_tcb_svn{};     // from the quote's TD report
  crypto::Bytes mr_signer_seam;              // 48, from the TD report
  crypto::Bytes seam_attributes;             // 8, from the TD report
  bool td15 = false;                         // a TD report 1.5 (v5 body type 3)
  std::array<uint8_t, 16> tee_tcb_svn2{};    // its TEE_TCB_SVN_2 (read only when td15)
  std::string qe_tcb_status;                 // the QE identity's status; "" when not evaluated
};

struct TcbMatch {
  std::string status;                     // the final status, the module's folded in
  std::vector<std::string> advisory_ids;  // the level's, then the module level's not already there
  std::string tcb_date;                   // the matched level's
  TcbRule rule = TcbRule::kIntel;
  std::string module_id;        // e.g. "TDX_01" when a module identity's levels gave a status
  std::string module_status;    // that identity level's status; empty otherwise
  std::string platform_status;  // the matched TCB level's own status, before folding
  // Set when Intel's TD relaunch check changed the status: the status it replaced (OutOfDate or
  // OutOfDateConfigurationNeeded).
  std::string before_relaunch;
};

// Picks the TCB level the platform meets under `rule` and folds in the TDX module's status. No
// matching level is an error naming the component that fell short and by how much, with 1-based
// component numbers as Intel's documents count them and the 0-based index:
// "no TCB level matches: SGX TCB component 8 (index 7, SEAMLDR ACM) is 3, every level needs at
// least 5". The TCB info must be TDX version 3. Thread-safe (pure).
Result<TcbMatch> MatchTcbLevel(const TcbInfo& info, const TcbInputs& in, TcbRule rule);

}  // namespace teeharness::attestation
