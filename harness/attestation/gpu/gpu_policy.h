#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "harness/attestation/verify/check_result.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"
#include "harness/protocol/dialect.h"

namespace teeharness::attestation::gpu {

// What the GPUs are held to beyond NVIDIA's signature and chain (scenario `expect.gpus`,
// `expect.gpu_rims`). Value type.
struct GpuPolicy {
  std::optional<size_t> expected_count;  // GPU-COUNT runs only when given
  std::string rim_dir;                   // GPU-MEASURE runs only when given
};

// GPU-COUNT over the GPUs a report carried. Skipped without an expected count. Thread-safe.
CheckResult CheckGpuCount(size_t count, const GpuPolicy& policy);

// GPU-MEASURE for one GPU. Reference integrity manifests are not evaluated by this build: with no
// `rim_dir` the check is skipped saying none was given; with one, it is skipped saying RIM
// comparison is not available (never passed). Thread-safe.
CheckResult CheckGpuMeasurements(const GpuPolicy& policy);

// The 32 bytes the GPU must have signed for the nonce the harness sent, per dialect: phala and
// near bind the 64-hex nonce as is; io.net right-pads a shorter hex nonce with '0' to 64 digits
// first (PROTOCOLS.md). An Error when the sent nonce is not hex or too long. Thread-safe.
Result<crypto::Bytes> ExpectedGpuNonce(protocol::Dialect dialect, std::string_view sent_nonce_hex);

}  // namespace teeharness::attestation::gpu
