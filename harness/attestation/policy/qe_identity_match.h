#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/attestation/collateral/qe_identity.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// The fields of the QE's SGX enclave report that its identity constrains. Value type.
struct QeReportFields {
  uint32_t miscselect = 0;
  std::array<uint8_t, 16> attributes{};
  std::array<uint8_t, 32> mrsigner{};
  uint16_t isvprodid = 0;
  uint16_t isvsvn = 0;
};

// Reads those fields from a 384-byte SGX enclave report (REPORTBODY): MISCSELECT u32 LE at 16,
// ATTRIBUTES at 48, MRSIGNER at 128, ISVPRODID u16 LE at 256, ISVSVN u16 LE at 258. Any other
// size is an error. A convenience for tests and tools; the quote parser reads the same offsets.
// Thread-safe (pure).
Result<QeReportFields> ParseQeReportFields(crypto::ByteSpan report);

// The QE's TCB level. Value type.
struct QeMatch {
  std::string status;  // the matched level's status (UpToDate, OutOfDate, Revoked, ...)
  std::vector<std::string> advisory_ids;
};

// The QE report against Intel's signed identity, in the order and with the comparisons of Intel's
// QVL (EnclaveReportVerifier.cpp 4.1.2.9.5-10): MISCSELECT & miscselectMask must equal
// miscselect; ATTRIBUTES & attributesMask must equal attributes (the identity's values are the
// "golden" values after masking, so bits outside the mask make the identity unmatchable, as in
// the QVL); MRSIGNER and ISVPRODID equal; then the first level with isvsvn <= the report's ISVSVN
// gives the QE's TCB status (none: error, Intel's ISVSVN_NOT_SUPPORTED). Errors name the field and
// give both values in hex. Folding the QE status into the platform's is the caller's
// (ConvergeWithQeStatus in tcb_status.h). Thread-safe (pure).
Result<QeMatch> MatchQeIdentity(const QeIdentity& identity, const QeReportFields& qe);

}  // namespace teeharness::attestation
