// nvidia_payload JSON (base64 certificate PEM chains and evidence in evidence_list[]): the payload
// parser, the PEM chain splitting of whatever the certificates decode to, and the verification.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/attestation/gpu/gpu_verifier.h"
#include "harness/attestation/gpu/nvidia_payload.h"
#include "harness/attestation/pki/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness::attestation;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)pki::ParsePemChain(text);
  gpu::GpuVerifyOptions options;
  options.at = 1735689600;
  (void)gpu::VerifyNvidiaPayload(text, options);
  return 0;
}
