#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/attestation/gpu/gpu_chain_cache.h"
#include "harness/attestation/gpu/gpu_policy.h"
#include "harness/attestation/gpu/spdm_evidence.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/verify/check_result.h"

namespace teeharness::attestation::gpu {

// `valid` becomes `incomplete`: certificate revocation (OCSP) is not queried offline.
inline Verdict CapOffline(Verdict verdict) {
  return verdict == Verdict::kValid ? Verdict::kIncomplete : verdict;
}

// What GPU evidence is verified against.
struct GpuVerifyOptions {
  int64_t at = 0;                                // verification time, unix seconds
  crypto::Bytes expected_nonce;                  // 32 bytes; empty: GPU-NONCE is skipped
  const pki::Certificate* trust_root = nullptr;  // default: NVIDIA Device Identity CA
  GpuPolicy policy;
  GpuChainCache* cache = nullptr;  // optional; shares parsed chains and chain verdicts
};

// One GPU's result: what the JSON report's `gpus[]` carries.
struct GpuVerification {
  size_t index = 0;
  std::string nonce;   // hex of the signed request nonce; empty when the evidence did not parse
  std::string driver;  // driver version from the opaque data, e.g. "550.90.07"
  std::string vbios;   // e.g. "96.00.9F.00.01"
  size_t measurement_blocks = 0;
  GpuRimSummary rims;               // what GPU-MEASURE compared (compared=false: nothing)
  std::vector<CheckResult> checks;  // GPU-SIG, GPU-CHAIN, GPU-NONCE, GPU-MEASURE

  // At best `incomplete`: the OCSP status of the GPU's (and its RIMs') certificates is never
  // queried (offline), a check that could not run, so every check passing is not `valid`.
  Verdict verdict() const { return CapOffline(VerdictOf(checks)); }
  const CheckResult* Find(std::string_view id) const;
};

// Verifies one GPU's evidence (SPDM bytes) with its PEM certificate chain:
//  GPU-SIG    the P-384 signature over SHA-384(request ‖ response without signature) verifies
//             with the chain's leaf key;
//  GPU-CHAIN  the chain reaches the trust root (compared as a whole certificate), every
//             certificate valid at `at`; OCSP is not queried (offline) and the reason says so;
//  GPU-NONCE  the signed request nonce equals `expected_nonce`;
//  GPU-MEASURE the measurements against the policy's RIMs (skipped without RIMs).
// Malformed evidence fails GPU-SIG with the parse error; never throws. Thread-safe when
// `options.cache` is (it is).
GpuVerification VerifyGpuEvidence(crypto::ByteSpan evidence, std::string_view certificate_pem,
                                  const GpuVerifyOptions& options, size_t index = 0);

// Every GPU of a report's `nvidia_payload`.
struct NvidiaPayloadVerification {
  std::string arch;
  std::string payload_nonce;
  std::string problem;  // non-empty when the payload itself could not be parsed
  std::vector<GpuVerification> gpus;
  CheckResult count;  // GPU-COUNT

  // One result per check id over all GPUs (failed if any GPU failed it, naming the GPU; skipped
  // if any skipped and none failed; no GPU at all fails GPU-SIG and skips the others), then
  // GPU-COUNT.
  std::vector<CheckResult> Checks() const;
  // At best `incomplete` when GPUs were verified (OCSP offline, as GpuVerification).
  Verdict verdict() const {
    return gpus.empty() ? VerdictOf(Checks()) : CapOffline(VerdictOf(Checks()));
  }
};

// Parses `payload_json` (the `nvidia_payload` text) and verifies each GPU's evidence. Pure apart
// from the cache; thread-safe. The run can call it per report.
NvidiaPayloadVerification VerifyNvidiaPayload(std::string_view payload_json,
                                              const GpuVerifyOptions& options);

}  // namespace teeharness::attestation::gpu
