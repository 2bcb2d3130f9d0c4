#pragma once

#include <string>
#include <vector>

#include "harness/attestation/verify/quote_verifier.h"
#include "harness/checks/outcome.h"

namespace teeharness::checks {

// The hardware checks of one report (QUOTE-FORMAT .. TD-MEASURE, then GPU-* and the dstack ones
// when verified) as outcomes: the
// verifier's pass/fail/skip with its reason, prefixed by `context` (which report: "nonce ab12..")
// so that a failure's evidence says where it came from. Thread-safe (pure).
std::vector<Outcome> QuoteOutcomes(const attestation::QuoteVerification& verification,
                                   const std::string& context);

// Every quote check skipped with `reason` (no quote to verify). Thread-safe (pure).
std::vector<Outcome> QuoteSkipped(const std::string& reason);

// Every hardware check (the quote's, the GPUs', the event log's and the compose's) skipped with
// `reason` (attestation.verify false, or a report that could not be parsed). Thread-safe (pure).
std::vector<Outcome> HardwareSkipped(const std::string& reason);

}  // namespace teeharness::checks
