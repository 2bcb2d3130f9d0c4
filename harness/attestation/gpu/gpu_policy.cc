#include "harness/attestation/gpu/gpu_policy.h"

#include "harness/crypto/hex.h"

namespace teeharness::attestation::gpu {

CheckResult CheckGpuCount(size_t count, const GpuPolicy& policy) {
  if (!policy.expected_count) {
    return {"GPU-COUNT", CheckState::kSkip, "no expected GPU count given (expect.gpus)"};
  }
  const std::string got = std::to_string(count) + " GPU evidence" + (count == 1 ? "" : "s");
  if (count != *policy.expected_count) {
    return {"GPU-COUNT", CheckState::kFail,
            got + "; expected " + std::to_string(*policy.expected_count)};
  }
  return {"GPU-COUNT", CheckState::kPass, got + ", as expected"};
}

CheckResult CheckGpuMeasurements(const GpuPolicy& policy) {
  if (policy.rim_dir.empty()) {
    return {"GPU-MEASURE", CheckState::kSkip,
            "no reference integrity manifests given (expect.gpu_rims): measurements not compared"};
  }
  return {"GPU-MEASURE", CheckState::kSkip,
          "RIM comparison is not available in this build: " + policy.rim_dir +
              " was not evaluated, measurements not compared"};
}

Result<crypto::Bytes> ExpectedGpuNonce(protocol::Dialect dialect, std::string_view sent_nonce_hex) {
  std::string hex(sent_nonce_hex);
  if (dialect == protocol::Dialect::kIonet && hex.size() < 64) hex.append(64 - hex.size(), '0');
  return crypto::DecodeHexExact(hex, 32);
}

}  // namespace teeharness::attestation::gpu
