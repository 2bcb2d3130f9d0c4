#pragma once

#include <string>
#include <vector>

#include "harness/attestation/policy/quote_policy.h"
#include "harness/attestation/quote/tdx_quote.h"
#include "harness/attestation/verify/check_result.h"

namespace teeharness::attestation {

// The TD attribute bits by name (DEBUG, SEPT_VE_DISABLE, PKS, KL, PERFMON, ...), for evidence.
std::vector<std::string> DecodeTdAttributes(const std::array<uint8_t, 8>& td_attributes);

// TD-ATTR: a debug TD is not confidential, reserved bits must be clear, SEPT_VE_DISABLE must be
// set and a v5 quote's MRSERVICETD must be zero; each but the reserved bits can be relaxed.
// Thread-safe (pure).
CheckResult CheckTdAttributes(const TdxQuote& quote, const QuotePolicy& policy);

// TD-MEASURE: the pins and minimums of `policy` against the quote; skipped when none is given.
// `fmspc` is the PCK certificate's (empty when it could not be read). Thread-safe (pure).
CheckResult CheckTdMeasurements(const TdxQuote& quote, const crypto::Bytes& fmspc,
                                const QuotePolicy& policy);

}  // namespace teeharness::attestation
