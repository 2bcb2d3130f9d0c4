// Attestation reports of every dialect and shape (NEAR 2026's gateway and model attestations
// included), then the checks over each attestation: untrusted JSON must never crash, assert or
// throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/checks/attestation_checks.h"
#include "harness/protocol/attestation_report.h"
#include "harness/protocol/attestation_response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (protocol::Dialect dialect :
       {protocol::Dialect::kPhala, protocol::Dialect::kNear, protocol::Dialect::kIonet}) {
    checks::AttestationObservation observation;
    observation.dialect = dialect;
    observation.sent_nonce = "abcd";
    observation.requested_algo = "ecdsa";
    observation.previous_fingerprint = "x";
    observation.expected_model_name = "m";
    std::string fingerprint;
    const Result<protocol::AttestationReport> report =
        protocol::ParseAttestationReport(dialect, body);
    (void)checks::CheckAttestation(observation, report, &fingerprint);
    const Result<protocol::AttestationResponse> response =
        protocol::ParseAttestationResponse(dialect, body);
    if (!response.ok()) continue;
    for (const protocol::AttestationEntry& entry : response->entries) {
      (void)checks::CheckAttestation(observation, entry.report, &fingerprint);
    }
  }
  return 0;
}
