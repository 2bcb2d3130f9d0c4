#include "harness/engine/hardware/quote_trust.h"

#include <algorithm>
#include <chrono>

#include "harness/attestation/quote/tdx_quote.h"
#include "harness/crypto/hex.h"
#include "harness/engine/bounded_counts.h"

namespace teeharness::engine {

int64_t UnixSecondsNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

QuoteTrust::QuoteTrust(Settings settings) : settings_(std::move(settings)) {
  summary_.verify = settings_.verify;
  summary_.trust_root = settings_.root_description;
  summary_.collateral = settings_.collateral_source;
  summary_.collateral_problem = settings_.collateral_problem;
  summary_.tcb_rule = settings_.dcap_qvl_tcb_rule ? "dcap-qvl" : "intel";
  summary_.gpu_trust_root = settings_.gpu_root_description;
  if (settings_.gpu_policy.rims) {
    const attestation::gpu::rim::RimStore& rims = *settings_.gpu_policy.rims;
    std::string list;
    for (const attestation::gpu::rim::LoadedRim& rim : rims.rims()) {
      if (list.size() > 200) {
        list += ", ...";
        break;
      }
      list += (list.empty() ? "" : ", ") +
              std::string(attestation::gpu::rim::RimKindName(rim.kind)) + " " +
              rim.tag.colloquial_version;
    }
    summary_.gpu_rims = rims.source() + ": " + std::to_string(rims.rims().size()) + " RIM(s)" +
                        (list.empty() ? "" : ": " + list);
  }
  for (const attestation::pki::Certificate& root : settings_.gpu_roots) gpu_roots_.push_back(&root);
}

namespace {

// The PEM PCK chain of a quote ("" when it does not parse: the verifier says why).
std::string PckChainPem(crypto::ByteSpan quote) {
  Result<attestation::TdxQuote> parsed = attestation::ParseTdxQuote(quote);
  if (!parsed.ok()) return {};
  Result<attestation::QuoteSignature> signature = attestation::ParseQuoteSignature(quote, *parsed);
  return signature.ok() ? signature->pck_chain_pem : std::string();
}

bool ChainFailed(const attestation::QuoteVerification& v) {
  const attestation::CheckResult* chain = v.Find("QUOTE-CHAIN");
  return chain != nullptr && chain->state == attestation::CheckState::kFail;
}

}  // namespace

attestation::QuoteVerification QuoteTrust::Verify(crypto::ByteSpan quote, int64_t at) {
  attestation::QuoteVerifyOptions options;
  options.at = at;
  options.collateral = settings_.collateral.get();
  std::string collateral_problem = settings_.collateral_problem;
  bool collateral_unusable = settings_.collateral_unusable;
  PcsCollateral::Lookup fetched;  // keeps the platform's collateral alive while verifying
  if (settings_.pcs) {
    fetched = settings_.pcs->For(PckChainPem(quote), cache_, at);
    options.collateral = fetched.collateral.get();
    collateral_problem = fetched.problem;
    collateral_unusable = false;
  }
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
  if (!collateral_problem.empty()) {
    for (attestation::CheckResult& c : v.checks) {
      if (c.id != "QUOTE-TCB" || c.state == attestation::CheckState::kFail) continue;
      c.state =
          collateral_unusable ? attestation::CheckState::kFail : attestation::CheckState::kSkip;
      c.reason = collateral_problem;
    }
  }
  Count(v);
  return v;
}

attestation::ReportHardware QuoteTrust::VerifyHardware(protocol::Dialect dialect,
                                                       const std::string& sent_nonce,
                                                       const protocol::AttestationReport& report,
                                                       int64_t at, bool gpus_expected,
                                                       attestation::QuoteVerification& v) {
  attestation::ReportHardwareOptions options;
  options.at = at;
  options.gpu_roots = gpu_roots_;
  options.gpu_policy = settings_.gpu_policy;
  options.dstack_pins = settings_.dstack_pins;
  options.gpu_cache = &gpu_cache_;
  options.gpus_expected = gpus_expected;
  attestation::ReportHardware hardware =
      attestation::VerifyReportHardware(dialect, sent_nonce, report, options, v);
  hardware_.Count(hardware);
  return hardware;
}

void QuoteTrust::Count(const attestation::QuoteVerification& v) {
  std::array<std::string, 5> measured;
  if (v.quote) {
    const attestation::TdReportBody& td = v.quote->body;
    measured = {crypto::EncodeHex(td.mr_td), crypto::EncodeHex(td.rtmr[0]),
                crypto::EncodeHex(td.rtmr[1]), crypto::EncodeHex(td.rtmr[2]),
                crypto::EncodeHex(td.rtmr[3])};
  }
  std::lock_guard lock(mutex_);
  ++summary_.quotes;
  ++summary_.verdicts[std::string(attestation::VerdictName(v.verdict()))];
  if (!v.tcb_status.empty()) ++summary_.tcb_status[v.tcb_status];
  for (const std::string& id : v.advisory_ids) advisories_.insert(id);
  if (!v.fmspc.empty()) fmspcs_.insert(v.fmspc);
  if (!v.tdx_module_id.empty()) modules_.insert(v.tdx_module_id);
  if (v.quote) {
    std::array<std::string, 5> overflow;
    overflow.fill("(more distinct measurements than reported)");
    CountBounded(measurements_, std::move(measured), kMaxMeasurements, overflow);
  }
  if (!v.tcb_rule.empty()) summary_.tcb_rule = v.tcb_rule;
}

void QuoteTrust::Prefetch(crypto::ByteSpan quote, int64_t at,
                          std::chrono::steady_clock::time_point deadline) {
  if (settings_.pcs) settings_.pcs->Prefetch(quote, cache_, at, deadline);
}

reports::AttestationSummary QuoteTrust::Summary() const {
  std::lock_guard lock(mutex_);
  reports::AttestationSummary s = summary_;
  if (settings_.pcs) {
    const attestation::CollateralStore::Stats stats = settings_.pcs->stats();
    s.collateral_fetches = static_cast<uint64_t>(stats.fetches);
    s.collateral_disk_hits = static_cast<uint64_t>(stats.disk_hits);
    s.collateral_fetch_failures = static_cast<uint64_t>(stats.fetch_failures);
  }
  s.advisory_ids.assign(advisories_.begin(), advisories_.end());
  s.fmspc.assign(fmspcs_.begin(), fmspcs_.end());
  s.tdx_module_ids.assign(modules_.begin(), modules_.end());
  for (const auto& [m, quotes] : measurements_) {
    s.measurements.push_back({m[0], m[1], m[2], m[3], m[4], quotes});
  }
  hardware_.AddTo(s);
  return s;
}

}  // namespace teeharness::engine
