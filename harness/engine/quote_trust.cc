#include "harness/engine/quote_trust.h"

#include <algorithm>

namespace teeharness::engine {

QuoteTrust::QuoteTrust(Settings settings) : settings_(std::move(settings)) {
  summary_.verify = settings_.verify;
  summary_.trust_root = settings_.root_description;
  summary_.collateral = settings_.collateral_source;
  summary_.collateral_problem = settings_.collateral_problem;
  summary_.tcb_rule = settings_.dcap_qvl_tcb_rule ? "dcap-qvl" : "intel";
}

namespace {

bool ChainFailed(const attestation::QuoteVerification& v) {
  const attestation::CheckResult* chain = v.Find("QUOTE-CHAIN");
  return chain != nullptr && chain->state == attestation::CheckState::kFail;
}

}  // namespace

attestation::QuoteVerification QuoteTrust::Verify(crypto::ByteSpan quote, int64_t at) {
  attestation::QuoteVerifyOptions options;
  options.at = at;
  options.collateral = settings_.collateral.get();
  options.policy = settings_.policy;
  options.cache = &cache_;
  options.dcap_qvl_tcb_rule = settings_.dcap_qvl_tcb_rule;
  auto with_root = [&](size_t i) {
    options.trust_root = settings_.roots.empty() ? nullptr : &settings_.roots[i];
    return attestation::VerifyQuote(quote, options);
  };
  // The first root the chain reaches; when it reaches none, the first root's verdict says so.
  attestation::QuoteVerification v = with_root(0);
  for (size_t i = 1; i < settings_.roots.size() && ChainFailed(v); ++i) {
    attestation::QuoteVerification other = with_root(i);
    if (!ChainFailed(other)) v = std::move(other);
  }
  if (!settings_.collateral_problem.empty()) {
    for (attestation::CheckResult& c : v.checks) {
      if (c.id != "QUOTE-TCB" || c.state == attestation::CheckState::kFail) continue;
      c.state = settings_.collateral_unusable ? attestation::CheckState::kFail
                                              : attestation::CheckState::kSkip;
      c.reason = settings_.collateral_problem;
    }
  }
  Count(v);
  return v;
}

void QuoteTrust::Count(const attestation::QuoteVerification& v) {
  std::lock_guard lock(mutex_);
  ++summary_.quotes;
  ++summary_.verdicts[std::string(attestation::VerdictName(v.verdict()))];
  if (!v.tcb_status.empty()) ++summary_.tcb_status[v.tcb_status];
  for (const std::string& id : v.advisory_ids) advisories_.insert(id);
  if (!v.fmspc.empty()) fmspcs_.insert(v.fmspc);
  if (!v.tdx_module_id.empty()) modules_.insert(v.tdx_module_id);
  if (!v.tcb_rule.empty()) summary_.tcb_rule = v.tcb_rule;
}

reports::AttestationSummary QuoteTrust::Summary() const {
  std::lock_guard lock(mutex_);
  reports::AttestationSummary s = summary_;
  s.advisory_ids.assign(advisories_.begin(), advisories_.end());
  s.fmspc.assign(fmspcs_.begin(), fmspcs_.end());
  s.tdx_module_ids.assign(modules_.begin(), modules_.end());
  return s;
}

}  // namespace teeharness::engine
