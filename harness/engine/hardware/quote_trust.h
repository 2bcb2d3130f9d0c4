#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/policy/quote_policy.h"
#include "harness/attestation/verify/quote_verifier.h"
#include "harness/attestation/verify/report_hardware.h"
#include "harness/attestation/verify/verifier_cache.h"
#include "harness/engine/hardware/hardware_tally.h"
#include "harness/engine/hardware/pcs_collateral.h"
#include "reports/run_result.h"

namespace teeharness::engine {

// The wall clock in unix seconds: the time a report's quote is verified at.
int64_t UnixSecondsNow();

// What every report's quote is verified against during a run: the trust roots, the collateral,
// the policy and the caches that make a warm quote cost two P-256 verifications. Built at start
// (and again after the built-in mock restarts, with its new PKI) while no flow runs; then read by
// every worker. Also what each report's GPU evidence and dstack event log are verified against.
// Thread-safe once built (Verify, VerifyHardware and Summary lock only the summary counters).
class QuoteTrust {
 public:
  struct Settings {
    bool verify = true;
    std::vector<attestation::pki::Certificate> roots;           // empty: Intel SGX Root CA
    std::string root_description;                               // for the report
    std::shared_ptr<const attestation::Collateral> collateral;  // null: TCB evaluation skipped
    std::shared_ptr<PcsCollateral> pcs;  // collateral per platform from a PCS (instead of a file)
    std::string collateral_source;
    std::string collateral_problem;    // why there is none, as QUOTE-TCB's skip or failure reason
    bool collateral_unusable = false;  // the collateral was had but does not parse: a failure
    attestation::QuotePolicy policy;
    bool dcap_qvl_tcb_rule = false;
    // Each report's GPUs and dstack part: the roots a GPU's chain may end at (empty: NVIDIA's
    // Device Identity CA), expect.gpus / gpu_rims, expect.dstack.
    std::vector<attestation::pki::Certificate> gpu_roots;
    std::string gpu_root_description;
    attestation::gpu::GpuPolicy gpu_policy;
    attestation::dstack::DstackPins dstack_pins;
  };

  explicit QuoteTrust(Settings settings);

  bool verify() const { return settings_.verify; }

  // Verifies one quote at `at` (unix seconds): the first root whose chain check passes, else the
  // first root's verdict. Counts it in the summary.
  attestation::QuoteVerification Verify(crypto::ByteSpan quote, int64_t at);

  // Verifies the report's GPUs and (phala, near) dstack part beside `v`, its quote's
  // verification, appending their checks to `v.checks`; `sent_nonce` is the nonce the harness
  // sent; `gpus_expected` false for a CPU-only TEE's attestation (NEAR's gateway). Counts them in
  // the summary.
  attestation::ReportHardware VerifyHardware(protocol::Dialect dialect,
                                             const std::string& sent_nonce,
                                             const protocol::AttestationReport& report, int64_t at,
                                             bool gpus_expected, attestation::QuoteVerification& v);

  // What the run saw so far.
  reports::AttestationSummary Summary() const;

  // Fetches the collateral of `quote`'s platform now, when it comes from a PCS (start-up only),
  // waiting for it until `deadline` at most (the fetch carries on in the background).
  void Prefetch(crypto::ByteSpan quote, int64_t at, std::chrono::steady_clock::time_point deadline);
  bool fetches_collateral() const { return settings_.pcs != nullptr; }

 private:
  void Count(const attestation::QuoteVerification& verification);

  Settings settings_;
  attestation::VerifierCache cache_;
  attestation::gpu::GpuChainCache gpu_cache_;
  std::vector<const attestation::pki::Certificate*> gpu_roots_;  // into settings_.gpu_roots
  HardwareTally hardware_;
  mutable std::mutex mutex_;
  reports::AttestationSummary summary_;  // by mutex_
  std::set<std::string> advisories_;     // by mutex_
  std::set<std::string> fmspcs_;         // by mutex_
  std::set<std::string> modules_;        // by mutex_
  // MRTD and RTMR0-3 (hex) -> quotes; at most kMaxMeasurements sets plus an overflow entry.
  static constexpr size_t kMaxMeasurements = 16;
  std::map<std::array<std::string, 5>, uint64_t> measurements_;  // by mutex_
};

}  // namespace teeharness::engine
