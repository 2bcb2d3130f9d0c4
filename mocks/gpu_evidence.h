#pragma once

#include <string>

#include "harness/crypto/bytes.h"
#include "mocks/pki/gpu_pki.h"

namespace teeharness::mocks {

// The GPU faults of one report (each applied to every GPU of it).
struct GpuFaults {
  bool bad_signature = false;    // the signature is over other bytes: fails GPU-SIG only
  bool wrong_nonce = false;      // another nonce is requested and signed: fails GPU-NONCE only
  bool untrusted_chain = false;  // signed by an impostor chain of the same names: GPU-CHAIN only
};

// One mock GPU's evidence as a real H100 shapes it: an SPDM 1.1 GET_MEASUREMENTS request binding
// `nonce32`, then a MEASUREMENTS response with measurement blocks derived from `gpu_index`, a
// responder nonce, opaque data (driver and VBIOS versions) and the leaf's P-384 signature over
// request ‖ response. `chain_pem` is the chain to give with it. Thread-safe.
struct MockGpuEvidence {
  crypto::Bytes evidence;
  std::string chain_pem;
};
MockGpuEvidence BuildGpuEvidence(const pki::MockGpuPki& pki, int gpu_index,
                                 crypto::ByteSpan nonce32, const GpuFaults& faults);

// What the mock's evidence says in its opaque data.
inline constexpr const char* kMockGpuDriver = "550.90.07";

}  // namespace teeharness::mocks
