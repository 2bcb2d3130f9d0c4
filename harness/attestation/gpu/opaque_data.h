#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::gpu {

// NVIDIA's opaque-data field types in the SPDM MEASUREMENTS response (nvtrust's
// OPAQUE_FIELD_ID_*). Only the ones read here are named; the rest are kept by number.
enum OpaqueFieldType : uint16_t {
  kOpaqueDriverVersion = 3,
  kOpaqueGpuInfo = 4,
  kOpaqueVbiosVersion = 6,
  kOpaqueMeasurementCount = 12,
  kOpaqueFwid = 20,
};

struct OpaqueField {
  uint16_t type = 0;
  crypto::Bytes value;
};

// The opaque data as TLVs: u16 type, u16 size (little-endian), then size bytes, to the end.
struct OpaqueData {
  std::vector<OpaqueField> fields;

  // The first field of `type`, or nullptr.
  const OpaqueField* Find(uint16_t type) const;
  // Driver version text (NUL-terminated in the evidence), e.g. "550.90.07"; empty when absent.
  std::string DriverVersion() const;
  // VBIOS version as NVIDIA prints it, e.g. "96.00.9F.00.01"; empty when absent or not 8 bytes.
  std::string VbiosVersion() const;
};

// Parses TLVs from `bytes`, which start at `base_offset` of the evidence (errors name absolute
// offsets). A TLV running past the end is an error naming its type and offset. Thread-safe (pure).
Result<OpaqueData> ParseOpaqueData(crypto::ByteSpan bytes, size_t base_offset = 0);

}  // namespace teeharness::attestation::gpu
