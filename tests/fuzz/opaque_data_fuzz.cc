// NVIDIA's opaque-data TLVs inside the MEASUREMENTS response: type, size, value to the end, and
// the driver and VBIOS version decoding on whatever the TLVs hold.
#include <cstddef>
#include <cstdint>

#include "harness/attestation/gpu/opaque_data.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness::attestation::gpu;
  const teeharness::Result<OpaqueData> opaque =
      ParseOpaqueData(teeharness::crypto::ByteSpan(data, size), 37);
  if (opaque.ok()) {
    (void)opaque->DriverVersion();
    (void)opaque->VbiosVersion();
  }
  return 0;
}
