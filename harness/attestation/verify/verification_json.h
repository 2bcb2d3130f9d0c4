#pragma once

#include <string>

#include "harness/attestation/verify/quote_verifier.h"

namespace teeharness::attestation {

// The stable `teeharness attest verify --json` object (README: "attest verify --json"):
// {verdict, tcb_status, advisory_ids, fmspc, tcb_rule, checks:[{id,result,reason}], td:{...}}.
// All hex is lowercase. Thread-safe (pure).
std::string VerificationJson(const QuoteVerification& verification);

}  // namespace teeharness::attestation
