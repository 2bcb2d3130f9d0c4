#pragma once

#include <array>
#include <cstdint>

#include "harness/attestation/pki/certificate.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// The Intel SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate: the platform's TCB at
// certification time, which the TCB-level matching compares against TCB info.
struct PckExtensions {
  std::array<uint8_t, 16> cpu_svn{};             // ...13.1.2.18, the raw CPUSVN octets.
  std::array<uint8_t, 16> sgx_tcb_components{};  // [i] = ...13.1.2.(i+1).
  uint16_t pce_svn = 0;                          // ...13.1.2.17.
  crypto::Bytes ppid;                            // ...13.1.1 (16 bytes).
  crypto::Bytes pce_id;                          // ...13.1.3 (2 bytes).
  crypto::Bytes fmspc;                           // ...13.1.4 (6 bytes).
  int sgx_type = 0;                              // ...13.1.5: 0 Standard, 1 Scalable, 2 Scalable
                                                 // with integrity.
};

// Finds the SGX extension in `pck` (exactly one) and parses it. Thread-safe.
Result<PckExtensions> ParsePckExtensions(const Certificate& pck);
// Parses the extension's DER value (the contents of its extnValue OCTET STRING): a SEQUENCE of
// SEQUENCE{OID, value}. Unknown entries (e.g. platform instance ID) are skipped; each required
// entry must appear exactly once. Errors name the OID and offset. Safe on arbitrary bytes (fuzzed).
// Thread-safe.
Result<PckExtensions> ParsePckExtensions(crypto::ByteSpan extension_der);

}  // namespace teeharness::attestation::pki
