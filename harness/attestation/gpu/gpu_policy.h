#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "harness/attestation/gpu/rim/rim_store.h"
#include "harness/attestation/gpu/spdm_evidence.h"
#include "harness/attestation/verify/check_result.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"
#include "harness/protocol/dialect.h"

namespace teeharness::attestation::gpu {

// What the GPUs are held to beyond NVIDIA's signature and chain (scenario `expect.gpus`,
// `expect.gpu_rims`). Value type.
struct GpuPolicy {
  std::optional<size_t> expected_count;  // GPU-COUNT runs only when given
  std::string rim_dir;                   // where the RIMs come from (scenario or --rims)
  // The RIMs of rim_dir (or the mock's), loaded and verified once at start; GPU-MEASURE runs
  // only with them. Shared, immutable.
  std::shared_ptr<const rim::RimStore> rims;
};

// Which RIMs a GPU was compared with, and how it went (the JSON report's gpus[].rims). Value
// type.
struct GpuRimSummary {
  std::string driver_file, driver_tag_id, driver_version;
  std::string vbios_file, vbios_tag_id, vbios_version;
  size_t matched = 0, mismatched = 0, missing = 0;
  bool compared = false;  // false: GPU-MEASURE did not get to compare
};

// GPU-COUNT over the GPUs a report carried. Skipped without an expected count. Thread-safe.
CheckResult CheckGpuCount(size_t count, const GpuPolicy& policy);

// GPU-MEASURE for one GPU: the driver RIM of the evidence's driver version and the VBIOS RIM of
// its VBIOS version (narrowed by NVIDIA's project/SKU file id) are taken from `policy.rims` and
// every active golden measurement compared (rim::MatchMeasurements). Skipped without RIMs; fails
// when a RIM for a version is missing (naming the version and what the folder holds), on an index
// conflict, or on a mismatch (naming the index, the alternatives and the value found).
// `summary` (optional) receives what was compared. Thread-safe.
CheckResult CheckGpuMeasurements(const GpuPolicy& policy, const SpdmEvidence& spdm,
                                 GpuRimSummary* summary = nullptr);

// The 32 bytes the GPU must have signed for the nonce the harness sent, per dialect: phala and
// near bind the 64-hex nonce as is; io.net right-pads a shorter hex nonce with '0' to 64 digits
// first (PROTOCOLS.md). An Error when the sent nonce is not hex or too long. Thread-safe.
Result<crypto::Bytes> ExpectedGpuNonce(protocol::Dialect dialect, std::string_view sent_nonce_hex);

}  // namespace teeharness::attestation::gpu
