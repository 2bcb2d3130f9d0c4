#pragma once

#include <string>
#include <utility>
#include <vector>

#include "harness/attestation/collateral/collateral.h"

namespace teeharness::attestation {

// Writes `c` as dcap-qvl's QuoteCollateralV3 JSON, the format ParseCollateralJson (and
// `attest verify --collateral FILE`) reads: tcb_info and qe_identity as JSON strings holding their
// exact text, chains as PEM strings, signatures and CRLs as lowercase hex;
// pck_certificate_chain only when non-empty. `metadata` (string pairs) is written as one more
// member, "teeharness_cache", which the parser ignores. Round-trips:
// ParseCollateralJson(CollateralToJson(c)) == c. Thread-safe (pure).
std::string CollateralToJson(const Collateral& c,
                             const std::vector<std::pair<std::string, std::string>>& metadata = {});

}  // namespace teeharness::attestation
