#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>

#include "harness/attestation/dstack/dstack_verifier.h"
#include "harness/attestation/gpu/gpu_verifier.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/verify/quote_verifier.h"
#include "harness/protocol/attestation_report.h"
#include "harness/protocol/dialect.h"

namespace teeharness::cli {

// `attest verify --report`: appends the report's GPU checks (GPU-SIG, GPU-CHAIN, GPU-NONCE,
// GPU-MEASURE, GPU-COUNT over every GPU of nvidia_payload / io.net's gpu) and, for phala and near,
// its dstack checks (EVENTLOG-REPLAY, COMPOSE-HASH against the quote's TD report) to `v`.
// `sent_nonce` empty: GPU-NONCE is skipped. `gpu_root` null: NVIDIA's Device Identity CA.
struct ReportHardware {
  std::optional<attestation::gpu::NvidiaPayloadVerification> gpus;
  std::optional<attestation::dstack::DstackVerification> dstack;
};

ReportHardware AddReportHardwareChecks(protocol::Dialect dialect, const std::string& sent_nonce,
                                       const protocol::AttestationReport& report, int64_t at,
                                       const attestation::pki::Certificate* gpu_root,
                                       attestation::QuoteVerification& v);

// `attest verify --quote Q --tcb-info F`: a dstack tcb_info JSON from any source ({mrtd,
// rtmr0..3, os_image_hash, compose_hash, device_id, event_log (list or JSON string), app_compose},
// an object or a JSON string) checked against the quote: EVENTLOG-REPLAY and COMPOSE-HASH. A
// tcb_info that cannot be parsed fails EVENTLOG-REPLAY (it is evidence, not usage).
attestation::dstack::DstackVerification AddTcbInfoChecks(const std::string& tcb_info_json,
                                                         attestation::QuoteVerification& v);

// Writes `gpus` ([{index, nonce, driver, vbios, checks}]) and `dstack` ({app_id, ...}; null when
// not verified) into the `attest verify --json` object.
void WriteReportHardwareJson(rapidjson::Writer<rapidjson::StringBuffer>& w,
                             const ReportHardware& hardware);

}  // namespace teeharness::cli
