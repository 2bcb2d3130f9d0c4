#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/attestation/collateral/qe_identity.h"
#include "harness/base/result.h"

namespace teeharness::attestation {

struct QeReportFields {
  uint32_t miscselect = 0;
  std::array<uint8_t, 16> attributes{};
  std::array<uint8_t, 32> mrsigner{};
  uint16_t isvprodid = 0;
  uint16_t isvsvn = 0;
};

struct QeMatch {
  std::string status;
  std::vector<std::string> advisory_ids;
};

// The QE report against Intel's signed identity: MRSIGNER and ISVPRODID equal, MISCSELECT and
// attributes equal under their masks; then the first level with isvsvn <= the report's gives the
// QE's TCB status. Errors name the field and both values. Thread-safe (pure).
Result<QeMatch> MatchQeIdentity(const QeIdentity& identity, const QeReportFields& qe);

}  // namespace teeharness::attestation
