#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <string>

#include "harness/attestation/verify/quote_verifier.h"

namespace teeharness::attestation {

// The stable `teeharness attest verify --json` object (README: "attest verify --json"):
// {verdict, tcb_status, advisory_ids, fmspc, tcb_rule, checks:[{id,result,reason}], td:{...}}.
// All hex is lowercase. Thread-safe (pure).
// `extra` (optional) writes further members (key and value pairs) before the object closes:
// `attest verify --report` adds `gpus` and `dstack` with it.
std::string VerificationJson(
    const QuoteVerification& verification,
    const std::function<void(rapidjson::Writer<rapidjson::StringBuffer>&)>& extra = {});

}  // namespace teeharness::attestation
