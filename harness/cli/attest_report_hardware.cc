#include "harness/cli/attest_report_hardware.h"

#include "harness/attestation/dstack/app_info.h"
#include "harness/attestation/dstack/dstack_verifier.h"
#include "harness/attestation/gpu/gpu_policy.h"
#include "harness/attestation/gpu/gpu_verifier.h"

namespace teeharness::cli {

void AddReportHardwareChecks(protocol::Dialect dialect, const std::string& sent_nonce,
                             const protocol::AttestationReport& report, int64_t at,
                             const attestation::pki::Certificate* gpu_root,
                             attestation::QuoteVerification& v) {
  attestation::gpu::GpuVerifyOptions options;
  options.at = at;
  options.trust_root = gpu_root;
  if (!sent_nonce.empty()) {
    // A nonce that is not hex cannot have been bound: GPU-NONCE then fails on comparison with
    // the 32 zero bytes no GPU signs by accident, naming what it carries.
    options.expected_nonce = attestation::gpu::ExpectedGpuNonce(dialect, sent_nonce).ok()
                                 ? *attestation::gpu::ExpectedGpuNonce(dialect, sent_nonce)
                                 : crypto::Bytes(32, 0);
  }
  for (attestation::CheckResult& c :
       attestation::gpu::VerifyNvidiaPayload(report.nvidia_payload_json, options).Checks()) {
    v.checks.push_back(std::move(c));
  }
  if (dialect == protocol::Dialect::kIonet) return;  // io.net reports carry no dstack evidence
  const attestation::dstack::DstackVerification d = attestation::dstack::VerifyDstack(
      attestation::dstack::MakeDstackInput(report.event_log_json, report.info_json),
      v.quote ? &v.quote->body : nullptr, {});
  for (const attestation::CheckResult& c : d.checks) v.checks.push_back(c);
}

void AddTcbInfoChecks(const std::string& tcb_info_json, attestation::QuoteVerification& v) {
  attestation::dstack::DstackInput input;
  Result<attestation::dstack::TcbInfo> tcb = attestation::dstack::ParseTcbInfo(tcb_info_json);
  if (!tcb.ok()) {
    input.event_log_problem = tcb.error();
  } else {
    if (tcb->has_event_log) input.event_log = tcb->event_log;
    input.info.emplace();
    input.info->tcb_info = std::move(tcb).value();
  }
  const attestation::dstack::DstackVerification d =
      attestation::dstack::VerifyDstack(input, v.quote ? &v.quote->body : nullptr, {});
  for (const attestation::CheckResult& c : d.checks) v.checks.push_back(c);
}

}  // namespace teeharness::cli
