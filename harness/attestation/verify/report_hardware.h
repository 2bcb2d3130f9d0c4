#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/attestation/dstack/dstack_policy.h"
#include "harness/attestation/dstack/dstack_verifier.h"
#include "harness/attestation/gpu/gpu_chain_cache.h"
#include "harness/attestation/gpu/gpu_policy.h"
#include "harness/attestation/gpu/gpu_verifier.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/verify/quote_verifier.h"
#include "harness/protocol/attestation_report.h"
#include "harness/protocol/dialect.h"

namespace teeharness::attestation {

// What a report's GPUs and dstack part are verified against, beside its quote. Value type; the
// pointed-to roots and cache outlive the call.
struct ReportHardwareOptions {
  int64_t at = 0;  // verification time, unix seconds
  // Tried in order, as the quote's roots are: the first under which every GPU's chain passes,
  // else the first's verdict. Empty: NVIDIA's Device Identity CA.
  std::vector<const pki::Certificate*> gpu_roots;
  gpu::GpuPolicy gpu_policy;
  dstack::DstackPins dstack_pins;
  gpu::GpuChainCache* gpu_cache = nullptr;  // optional; a warm GPU is then one P-384 verify
  // false for an attestation of a CPU-only TEE (NEAR 2026's gateway): without nvidia_payload its
  // GPU checks are skipped, saying so, instead of failing; evidence it does carry is verified.
  bool gpus_expected = true;
};

// The GPU and dstack results of one report (what JSON output reads).
struct ReportHardware {
  std::optional<gpu::NvidiaPayloadVerification> gpus;  // none for a CPU-only attestation
  std::optional<dstack::DstackVerification> dstack;    // none for io.net (no dstack evidence)
};

// Verifies the report's GPUs (GPU-SIG, GPU-CHAIN, GPU-NONCE, GPU-MEASURE, GPU-COUNT over every
// GPU of nvidia_payload / io.net's gpu) and, for phala and near, its dstack part
// (EVENTLOG-REPLAY, COMPOSE-HASH against `v`'s TD report), appending each check to `v.checks`.
// `sent_nonce` is the hex nonce the harness sent (empty: GPU-NONCE is skipped); it is bound per
// the dialect's rule. Pure apart from the cache; never throws; thread-safe. The CLI and the run
// both verify reports through it.
ReportHardware VerifyReportHardware(protocol::Dialect dialect, const std::string& sent_nonce,
                                    const protocol::AttestationReport& report,
                                    const ReportHardwareOptions& options, QuoteVerification& v);

// A dstack tcb_info JSON from any source ({mrtd, rtmr0..3, os_image_hash, compose_hash,
// device_id, event_log (list or JSON string), app_compose}, an object or a JSON string) checked
// against `v`'s quote: EVENTLOG-REPLAY and COMPOSE-HASH, appended to `v.checks`. A tcb_info that
// cannot be parsed fails EVENTLOG-REPLAY (it is evidence, not usage). Thread-safe (pure).
dstack::DstackVerification VerifyTcbInfo(const std::string& tcb_info_json,
                                         const dstack::DstackPins& pins, QuoteVerification& v);

}  // namespace teeharness::attestation
