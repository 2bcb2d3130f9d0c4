#pragma once

#include <string>

#include "harness/crypto/bytes.h"
#include "mocks/pki/gpu_pki.h"

namespace teeharness::mocks {

// The GPU faults of one report (each applied to every GPU of it).
struct GpuFaults {
  bool bad_signature = false;      // the signature is over other bytes: fails GPU-SIG only
  bool wrong_nonce = false;        // another nonce is requested and signed: fails GPU-NONCE only
  bool untrusted_chain = false;    // signed by an impostor chain of the same names: GPU-CHAIN only
  bool wrong_measurement = false;  // one block differs from the RIMs, still signed: GPU-MEASURE
};

// One mock GPU's evidence as a real H100 shapes it: an SPDM 1.1 GET_MEASUREMENTS request binding
// `nonce32`, then a MEASUREMENTS response with the firmware's measurement blocks (the same for
// every `gpu_index`, as on real GPUs of one firmware: MockMeasurementValue), a
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
inline constexpr const char* kMockGpuVbios = "96.00.9F.00.01";
inline constexpr int kMockGpuBlocks = 8;  // measurement blocks 1..8 (a real H100 reports 64)

// The value of measurement block `block` (1..kMockGpuBlocks): SHA-384 of a label naming the
// firmware versions, so every mock GPU of this firmware reports the same measurements (as real
// GPUs do) and the mock's RIMs can list them. Thread-safe.
crypto::Bytes MockMeasurementValue(int block);

}  // namespace teeharness::mocks
