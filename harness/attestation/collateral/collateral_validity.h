#pragma once

#include <cstdint>

#include "harness/attestation/collateral/collateral.h"
#include "harness/base/result.h"

namespace teeharness::attestation {

// The earliest nextUpdate among the pieces of `c`: TCB info, QE identity, PCK CRL and root CA CRL
// (unix seconds). A cached copy of `c` may be used for a verification at time `at` iff
// at <= this; after it Intel may have published newer collateral. An error when a piece does not
// parse (such collateral is returned to the verifier, which rejects it, but never cached).
// Thread-safe (pure).
Result<int64_t> CollateralNextUpdate(const Collateral& c);

}  // namespace teeharness::attestation
