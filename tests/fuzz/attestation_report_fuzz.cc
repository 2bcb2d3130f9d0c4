// Attestation reports of every dialect, then the checks over them: untrusted JSON must never crash,
// assert or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/checks/attestation_checks.h"
#include "harness/protocol/attestation_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (protocol::Dialect dialect :
       {protocol::Dialect::kPhala, protocol::Dialect::kNear, protocol::Dialect::kIonet}) {
    const Result<protocol::AttestationReport> report =
        protocol::ParseAttestationReport(dialect, body);
    checks::AttestationObservation observation;
    observation.dialect = dialect;
    observation.sent_nonce = "abcd";
    observation.requested_algo = "ecdsa";
    observation.previous_fingerprint = "x";
    std::string fingerprint;
    (void)checks::CheckAttestation(observation, report, &fingerprint);
  }
  return 0;
}
