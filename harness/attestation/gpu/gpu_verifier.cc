#include "harness/attestation/gpu/gpu_verifier.h"

#include <algorithm>

#include "harness/attestation/collateral/rfc3339.h"
#include "harness/attestation/gpu/nvidia_payload.h"
#include "harness/attestation/pki/ecdsa.h"
#include "harness/attestation/pki/trust_roots.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation::gpu {
namespace {

constexpr const char* kGpuIds[] = {"GPU-SIG", "GPU-CHAIN", "GPU-NONCE", "GPU-MEASURE"};

CheckResult Pass(const char* id, std::string reason) {
  return {id, CheckState::kPass, std::move(reason)};
}
CheckResult Fail(const char* id, std::string reason) {
  return {id, CheckState::kFail, std::move(reason)};
}
CheckResult Skip(const char* id, std::string reason) {
  return {id, CheckState::kSkip, std::move(reason)};
}

CheckResult CheckChain(const GpuChainEntry& entry, const GpuVerifyOptions& options) {
  if (!entry.problem.empty()) return Fail("GPU-CHAIN", entry.problem);
  const pki::Certificate& root =
      options.trust_root ? *options.trust_root : pki::NvidiaDeviceIdentityCa();
  pki::ChainOptions chain_options;
  chain_options.at = options.at;
  Result<pki::ChainVerdict> verdict =
      options.cache ? options.cache->verdicts().Verify(entry.chain, root, chain_options)
                    : pki::VerifyChain(entry.chain, root, chain_options);
  if (!verdict.ok()) return Fail("GPU-CHAIN", verdict.error());
  return Pass("GPU-CHAIN", std::to_string(entry.chain.size()) + " certificates to " +
                               root.subject() + ", valid at " + FormatRfc3339(options.at) +
                               "; revocation (OCSP) not checked: offline");
}

CheckResult CheckSignature(const SpdmEvidence& spdm, crypto::ByteSpan bytes,
                           const GpuChainEntry& entry) {
  if (entry.chain.empty()) {
    return Skip("GPU-SIG", "no leaf certificate: the certificate chain could not be parsed");
  }
  if (!pki::VerifyWithCertificate(entry.chain.front(), bytes.subspan(0, spdm.signed_length),
                                  spdm.signature)) {
    return Fail("GPU-SIG",
                "the P-384 signature over request ‖ response does not verify with the leaf key "
                "of " +
                    entry.chain.front().subject());
  }
  return Pass("GPU-SIG", "SPDM measurements (" + std::to_string(spdm.blocks.size()) +
                             " blocks) signed by " + entry.chain.front().subject());
}

CheckResult CheckNonce(const SpdmEvidence& spdm, const GpuVerifyOptions& options) {
  const std::string signed_nonce = crypto::EncodeHex(spdm.request.nonce);
  if (options.expected_nonce.empty()) {
    return Skip("GPU-NONCE", "no expected nonce given; the evidence carries " + signed_nonce);
  }
  if (!std::equal(options.expected_nonce.begin(), options.expected_nonce.end(),
                  spdm.request.nonce.begin(), spdm.request.nonce.end())) {
    return Fail("GPU-NONCE", "the signed request nonce is " + signed_nonce + "; expected " +
                                 crypto::EncodeHex(options.expected_nonce));
  }
  return Pass("GPU-NONCE", "the signed request nonce is the expected " + signed_nonce);
}

// The worst state of `id` over every GPU, with the first GPU that caused it.
CheckResult Aggregate(const char* id, const std::vector<GpuVerification>& gpus) {
  const CheckResult* worst = nullptr;
  size_t worst_index = 0;
  auto rank = [](CheckState s) { return s == CheckState::kFail ? 2 : s == CheckState::kSkip; };
  for (const GpuVerification& gpu : gpus) {
    const CheckResult* c = gpu.Find(id);
    if (c != nullptr && (worst == nullptr || rank(c->state) > rank(worst->state))) {
      worst = c;
      worst_index = gpu.index;
    }
  }
  if (worst == nullptr) {
    // A report without GPUs proves no GPU: that rejects it once, under GPU-SIG.
    return std::string_view(id) == "GPU-SIG" ? Fail(id, "no GPU evidence in the report")
                                             : Skip(id, "no GPU evidence in the report");
  }
  if (worst->state == CheckState::kPass) {
    return Pass(id, std::to_string(gpus.size()) + " GPU(s): " + worst->reason);
  }
  return {id, worst->state, "GPU " + std::to_string(worst_index) + ": " + worst->reason};
}

}  // namespace

const CheckResult* GpuVerification::Find(std::string_view id) const {
  for (const CheckResult& c : checks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

GpuVerification VerifyGpuEvidence(crypto::ByteSpan evidence, std::string_view certificate_pem,
                                  const GpuVerifyOptions& options, size_t index) {
  GpuVerification out;
  out.index = index;
  std::shared_ptr<const GpuChainEntry> entry =
      options.cache ? options.cache->Chain(certificate_pem) : ParseGpuChain(certificate_pem);
  Result<SpdmEvidence> spdm = ParseSpdmEvidence(evidence);
  if (!spdm.ok()) {
    out.checks.push_back(Fail("GPU-SIG", spdm.error()));
    out.checks.push_back(CheckChain(*entry, options));
    out.checks.push_back(Skip("GPU-NONCE", "the evidence could not be parsed"));
    out.checks.push_back(Skip("GPU-MEASURE", "the evidence could not be parsed"));
    return out;
  }
  out.nonce = crypto::EncodeHex(spdm->request.nonce);
  out.driver = spdm->opaque.DriverVersion();
  out.vbios = spdm->opaque.VbiosVersion();
  out.measurement_blocks = spdm->blocks.size();
  out.checks.push_back(CheckSignature(*spdm, evidence, *entry));
  out.checks.push_back(CheckChain(*entry, options));
  out.checks.push_back(CheckNonce(*spdm, options));
  out.checks.push_back(CheckGpuMeasurements(options.policy, *spdm, &out.rims));
  return out;
}

std::vector<CheckResult> NvidiaPayloadVerification::Checks() const {
  std::vector<CheckResult> out;
  for (const char* id : kGpuIds) {
    if (!problem.empty()) {
      out.push_back(std::string_view(id) == "GPU-SIG"
                        ? Fail(id, problem)
                        : Skip(id, "the nvidia_payload could not be parsed"));
    } else {
      out.push_back(Aggregate(id, gpus));
    }
  }
  out.push_back(count);
  return out;
}

NvidiaPayloadVerification VerifyNvidiaPayload(std::string_view payload_json,
                                              const GpuVerifyOptions& options) {
  NvidiaPayloadVerification out;
  Result<NvidiaPayload> payload = ParseNvidiaPayload(payload_json);
  if (!payload.ok()) {
    out.problem = payload.error();
    out.count = CheckGpuCount(0, options.policy);
    return out;
  }
  out.arch = payload->arch;
  out.payload_nonce = payload->nonce;
  for (size_t i = 0; i < payload->gpus.size(); ++i) {
    const GpuEvidenceEntry& gpu = payload->gpus[i];
    if (!gpu.problem.empty()) {
      GpuVerification bad;
      bad.index = i;
      bad.checks.push_back(Fail("GPU-SIG", gpu.problem));
      for (size_t k = 1; k < std::size(kGpuIds); ++k) {
        bad.checks.push_back(Skip(kGpuIds[k], "the evidence entry could not be decoded"));
      }
      out.gpus.push_back(std::move(bad));
      continue;
    }
    out.gpus.push_back(VerifyGpuEvidence(gpu.evidence, gpu.certificate_pem, options, i));
  }
  out.count = CheckGpuCount(out.gpus.size(), options.policy);
  return out;
}

}  // namespace teeharness::attestation::gpu
