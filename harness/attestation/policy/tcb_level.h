#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/attestation/collateral/tcb_info.h"
#include "harness/base/result.h"

namespace teeharness::attestation {

// Which comparison of TEE_TCB_SVN against the levels' TDX components applies.
// kIntel: Intel's QVL (the TDX DCAP spec): when TEE_TCB_SVN[1] (the TDX module's major version)
// is non-zero, bytes 0 and 1 are the module's and are judged by tdxModuleIdentities; the level
// comparison starts at byte 2. kDcapQvl: dcap-qvl compares all 16 bytes with no module step.
enum class TcbRule { kIntel, kDcapQvl };

struct TcbInputs {
  std::array<uint8_t, 16> sgx_components{};  // from the PCK certificate
  uint16_t pce_svn = 0;                      // from the PCK certificate
  std::array<uint8_t, 16> tee_tcb_svn{};     // from the quote's TD report
  crypto::Bytes mr_signer_seam;              // 48, from the TD report
  crypto::Bytes seam_attributes;             // 8, from the TD report
};

struct TcbMatch {
  std::string status;  // after the module status is folded in (Intel's rule)
  std::vector<std::string> advisory_ids;
  std::string tcb_date;
  TcbRule rule = TcbRule::kIntel;
  std::string module_id;      // e.g. TDX_03 when the module identity step applied
  std::string module_status;  // that identity level's status
};

// Picks the first (highest) level the platform meets. An error says why none matches, naming the
// component that fell short of the lowest level. Thread-safe (pure).
Result<TcbMatch> MatchTcbLevel(const TcbInfo& info, const TcbInputs& in, TcbRule rule);

}  // namespace teeharness::attestation
