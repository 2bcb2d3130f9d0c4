#include "harness/attestation/verify/report_hardware.h"

#include <algorithm>
#include <utility>

#include "harness/attestation/dstack/app_info.h"

namespace teeharness::attestation {
namespace {

bool ChainFailed(const gpu::NvidiaPayloadVerification& gpus) {
  for (const CheckResult& c : gpus.Checks()) {
    if (c.id == "GPU-CHAIN" && c.state == CheckState::kFail) return true;
  }
  return false;
}

// The nonce bound into each GPU's evidence. A sent nonce that is not hex cannot have been bound:
// GPU-NONCE then fails on comparison with 32 zero bytes, which no GPU signs by accident.
crypto::Bytes BoundNonce(protocol::Dialect dialect, const std::string& sent_nonce) {
  Result<crypto::Bytes> expected = gpu::ExpectedGpuNonce(dialect, sent_nonce);
  return expected.ok() ? std::move(expected).value() : crypto::Bytes(32, 0);
}

gpu::NvidiaPayloadVerification VerifyGpus(protocol::Dialect dialect, const std::string& sent_nonce,
                                          const protocol::AttestationReport& report,
                                          const ReportHardwareOptions& options) {
  gpu::GpuVerifyOptions gpu_options;
  gpu_options.at = options.at;
  gpu_options.policy = options.gpu_policy;
  gpu_options.cache = options.gpu_cache;
  if (!sent_nonce.empty()) gpu_options.expected_nonce = BoundNonce(dialect, sent_nonce);
  std::optional<gpu::NvidiaPayloadVerification> first;
  const size_t roots = std::max<size_t>(options.gpu_roots.size(), 1);
  for (size_t i = 0; i < roots; ++i) {
    gpu_options.trust_root = options.gpu_roots.empty() ? nullptr : options.gpu_roots[i];
    gpu::NvidiaPayloadVerification gpus =
        gpu::VerifyNvidiaPayload(report.nvidia_payload_json, gpu_options);
    if (!ChainFailed(gpus)) return gpus;
    if (!first) first = std::move(gpus);
  }
  return std::move(*first);
}

}  // namespace

ReportHardware VerifyReportHardware(protocol::Dialect dialect, const std::string& sent_nonce,
                                    const protocol::AttestationReport& report,
                                    const ReportHardwareOptions& options, QuoteVerification& v) {
  ReportHardware out;
  if (!options.gpus_expected && report.nvidia_payload_json.empty()) {
    for (const char* id : {"GPU-SIG", "GPU-CHAIN", "GPU-NONCE", "GPU-MEASURE", "GPU-COUNT"}) {
      v.checks.push_back({id, CheckState::kSkip, "a CPU-only attestation: no GPU evidence"});
    }
  } else {
    out.gpus = VerifyGpus(dialect, sent_nonce, report, options);
    for (CheckResult& c : out.gpus->Checks()) v.checks.push_back(std::move(c));
    if (!out.gpus->gpus.empty()) v.revocation_unchecked = true;
  }
  if (dialect == protocol::Dialect::kIonet) return out;  // io.net carries no dstack evidence
  out.dstack =
      dstack::VerifyDstack(dstack::MakeDstackInput(report.event_log_json, report.info_json),
                           v.quote ? &v.quote->body : nullptr, options.dstack_pins);
  for (const CheckResult& c : out.dstack->checks) v.checks.push_back(c);
  return out;
}

dstack::DstackVerification VerifyTcbInfo(const std::string& tcb_info_json,
                                         const dstack::DstackPins& pins, QuoteVerification& v) {
  dstack::DstackInput input;
  Result<dstack::TcbInfo> tcb = dstack::ParseTcbInfo(tcb_info_json);
  if (!tcb.ok()) {
    input.event_log_problem = tcb.error();
  } else {
    if (tcb->has_event_log) input.event_log = tcb->event_log;
    input.info.emplace();
    input.info->tcb_info = std::move(tcb).value();
  }
  dstack::DstackVerification d =
      dstack::VerifyDstack(input, v.quote ? &v.quote->body : nullptr, pins);
  for (const CheckResult& c : d.checks) v.checks.push_back(c);
  return d;
}

}  // namespace teeharness::attestation
