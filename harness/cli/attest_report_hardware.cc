#include "harness/cli/attest_report_hardware.h"

#include "harness/attestation/dstack/app_info.h"
#include "harness/attestation/dstack/dstack_json.h"
#include "harness/attestation/dstack/dstack_verifier.h"
#include "harness/attestation/gpu/gpu_json.h"
#include "harness/attestation/gpu/gpu_policy.h"
#include "harness/attestation/gpu/gpu_verifier.h"

namespace teeharness::cli {

ReportHardware AddReportHardwareChecks(protocol::Dialect dialect, const std::string& sent_nonce,
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
  ReportHardware out;
  out.gpus = attestation::gpu::VerifyNvidiaPayload(report.nvidia_payload_json, options);
  for (attestation::CheckResult& c : out.gpus->Checks()) v.checks.push_back(std::move(c));
  if (dialect == protocol::Dialect::kIonet) return out;  // io.net carries no dstack evidence
  out.dstack = attestation::dstack::VerifyDstack(
      attestation::dstack::MakeDstackInput(report.event_log_json, report.info_json),
      v.quote ? &v.quote->body : nullptr, {});
  for (const attestation::CheckResult& c : out.dstack->checks) v.checks.push_back(c);
  return out;
}

attestation::dstack::DstackVerification AddTcbInfoChecks(const std::string& tcb_info_json,
                                                         attestation::QuoteVerification& v) {
  attestation::dstack::DstackInput input;
  Result<attestation::dstack::TcbInfo> tcb = attestation::dstack::ParseTcbInfo(tcb_info_json);
  if (!tcb.ok()) {
    input.event_log_problem = tcb.error();
  } else {
    if (tcb->has_event_log) input.event_log = tcb->event_log;
    input.info.emplace();
    input.info->tcb_info = std::move(tcb).value();
  }
  attestation::dstack::DstackVerification d =
      attestation::dstack::VerifyDstack(input, v.quote ? &v.quote->body : nullptr, {});
  for (const attestation::CheckResult& c : d.checks) v.checks.push_back(c);
  return d;
}

void WriteReportHardwareJson(rapidjson::Writer<rapidjson::StringBuffer>& w,
                             const ReportHardware& hardware) {
  w.Key("gpus");
  w.StartArray();
  if (hardware.gpus) {
    for (const attestation::gpu::GpuVerification& gpu : hardware.gpus->gpus) {
      attestation::gpu::WriteGpuJson(w, gpu);
    }
  }
  w.EndArray();
  w.Key("dstack");
  if (hardware.dstack) {
    attestation::dstack::WriteDstackJson(w, *hardware.dstack);
  } else {
    w.Null();
  }
}

}  // namespace teeharness::cli
