#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "harness/attestation/gpu/rim/swid_tag.h"
#include "harness/attestation/gpu/spdm_evidence.h"

namespace teeharness::attestation::gpu::rim {

// One active golden measurement that the evidence did not meet. Value type.
struct MeasurementFailure {
  int index = 0;       // the RIM's 0-based index (SPDM block index - 1)
  std::string source;  // "driver" or "VBIOS"
  std::vector<crypto::Bytes> expected;
  bool missing = false;  // no block at that index; otherwise `found` is its value
  crypto::Bytes found;

  std::string Describe() const;  // "index 7 (driver): found 0e0e..., expected one of [...]"
};

// The comparison of one GPU's measurement blocks with its driver and VBIOS RIMs. Value type.
struct RimMatch {
  size_t matched = 0;                        // active golden measurements met
  size_t mismatched = 0;                     // present with another value (or size)
  size_t missing = 0;                        // no block at the index
  std::vector<int> conflicts;                // indexes active in both RIMs (nvtrust rejects those)
  std::vector<MeasurementFailure> failures;  // in index order

  bool ok() const { return conflicts.empty() && failures.empty(); }
};

// nvtrust's rule: the active measurements of both RIMs are the golden list (an index active in
// both is a conflict); for each, the evidence must hold measurement block index + 1 whose value
// equals one of its alternatives (and is `size` bytes). Inactive entries are not compared.
// Thread-safe (pure).
RimMatch MatchMeasurements(const std::vector<MeasurementBlock>& blocks, const SwidTag& driver,
                           const SwidTag& vbios);

}  // namespace teeharness::attestation::gpu::rim
