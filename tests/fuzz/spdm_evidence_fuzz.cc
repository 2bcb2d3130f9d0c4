// SPDM GET_MEASUREMENTS request + MEASUREMENTS response parsing over arbitrary bytes (every length
// and count the parser reads comes from the GPU's server), then verification with the real H100
// chain, and the raw/hex detection.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/attestation/gpu/gpu_verifier.h"
#include "harness/attestation/gpu/spdm_evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness::attestation::gpu;
  const teeharness::crypto::ByteSpan bytes(data, size);
  (void)ParseSpdmEvidence(bytes);
  const teeharness::crypto::Bytes decoded = DecodeEvidenceBytes(bytes);
  GpuVerifyOptions options;
  options.at = 1735689600;
  options.expected_nonce.assign(32, 0);
  (void)VerifyGpuEvidence(decoded, "", options);
  return 0;
}
