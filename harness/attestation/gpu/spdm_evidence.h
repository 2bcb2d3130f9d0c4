#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "harness/attestation/gpu/opaque_data.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::gpu {

// The SPDM 1.1 GET_MEASUREMENTS request a GPU's evidence starts with (37 bytes).
struct SpdmRequest {
  uint8_t version = 0;  // 0x11: SPDM 1.1
  uint8_t param1 = 0;   // bit 0: signature requested
  uint8_t param2 = 0;   // 0xff: all measurement blocks
  std::array<uint8_t, 32> nonce{};
  uint8_t slot_id = 0;
};

// One measurement block in DMTF format: index, specification (1 = DMTF), then DMTF value type and
// value.
struct MeasurementBlock {
  uint8_t index = 0;
  uint8_t specification = 0;
  uint8_t dmtf_type = 0;
  crypto::Bytes value;
};

// The GET_MEASUREMENTS request followed by the MEASUREMENTS response, as NVIDIA's driver returns
// it (nvtrust local_gpu_verifier layout).
struct SpdmEvidence {
  SpdmRequest request;
  uint8_t response_version = 0;
  uint8_t response_param1 = 0;
  uint8_t response_param2 = 0;  // low 4 bits: the slot whose certificate chain signs
  std::vector<MeasurementBlock> blocks;
  std::array<uint8_t, 32> responder_nonce{};
  OpaqueData opaque;
  // The bytes the signature covers: request ‖ response without its signature.
  size_t signed_length = 0;
  std::array<uint8_t, 96> signature{};  // ECDSA P-384 r‖s
};

inline constexpr size_t kSpdmRequestSize = 37;
inline constexpr size_t kP384SignatureSize = 96;

// Parses evidence bytes. Every read is bounds-checked and errors name the field and its offset in
// the evidence ("measurement block 7 at offset 300 declares 51 bytes; 12 remain"). The response
// must end exactly after the signature. Thread-safe (pure).
Result<SpdmEvidence> ParseSpdmEvidence(crypto::ByteSpan evidence);

// Evidence as the dialects ship it after base64: raw SPDM bytes, or the same bytes as hex text
// (some tools write hex). Text that is entirely hex digits (whitespace around allowed) and
// starts with the SPDM request "11e0" is decoded; anything else is taken as raw. Thread-safe.
crypto::Bytes DecodeEvidenceBytes(crypto::ByteSpan decoded);

}  // namespace teeharness::attestation::gpu
