#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/chain.h"
#include "harness/attestation/policy/quote_policy.h"
#include "harness/attestation/quote/tdx_quote.h"
#include "harness/attestation/verify/check_result.h"
#include "harness/attestation/verify/verifier_cache.h"

namespace teeharness::attestation {

// What a quote is verified against. `collateral` may be null (offline without collateral): the
// signatures, the chain to the root and every pin are still checked, TCB evaluation is skipped.
struct QuoteVerifyOptions {
  int64_t at = 0;                                // verification time, unix seconds
  const Collateral* collateral = nullptr;        // dcap-qvl's QuoteCollateralV3
  const pki::Certificate* trust_root = nullptr;  // default: Intel SGX Root CA
  QuotePolicy policy;
  VerifierCache* cache = nullptr;  // optional; shares chains, CRLs and collateral across quotes
  bool dcap_qvl_tcb_rule = false;  // compare all 16 TEE_TCB_SVN bytes, as dcap-qvl does
};

// Everything the checks and the JSON output read.
struct QuoteVerification {
  std::vector<CheckResult> checks;  // QUOTE-FORMAT .. TD-MEASURE, in order
  std::optional<TdxQuote> quote;    // when QUOTE-FORMAT passed
  std::string tcb_status;           // empty when not evaluated
  std::vector<std::string> advisory_ids;
  std::string tcb_rule;       // "intel" | "dcap-qvl" (which comparison applied)
  std::string tdx_module_id;  // e.g. TDX_03 when the module identity rule applied
  std::string qe_tcb_status;
  std::string fmspc;                 // hex, from the PCK certificate
  int64_t collateral_not_after = 0;  // earliest nextUpdate/notAfter that was checked
  // Set when GPU evidence was verified alongside: its certificates' (and RIMs') OCSP status is
  // never queried offline, a check that could not run, so `valid` is capped at `incomplete`.
  bool revocation_unchecked = false;

  Verdict verdict() const {
    const Verdict verdict = VerdictOf(checks);
    return revocation_unchecked && verdict == Verdict::kValid ? Verdict::kIncomplete : verdict;
  }
  const CheckResult* Find(std::string_view id) const;
};

// Verifies a TDX quote: QUOTE-FORMAT, QUOTE-SIG, QUOTE-CHAIN, QUOTE-QE, QUOTE-TCB, TD-ATTR,
// TD-MEASURE. Never throws; malformed bytes fail QUOTE-FORMAT and skip the rest. Thread-safe when
// `options.cache` is (it is).
QuoteVerification VerifyQuote(crypto::ByteSpan quote, const QuoteVerifyOptions& options);

}  // namespace teeharness::attestation
