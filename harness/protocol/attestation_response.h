#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/protocol/attestation_report.h"
#include "harness/protocol/dialect.h"
#include "harness/protocol/near_attestation.h"

namespace teeharness::protocol {

// One attestation of a response, with the role it plays in the trust chain.
struct AttestationEntry {
  enum class Role {
    kNode,     // the one report of phala, ionet and NEAR's 2025 responses
    kGateway,  // NEAR 2026 gateway_attestation: signs signature_kind "gateway"
    kModel,    // NEAR 2026 model_attestations[i]: signs signature_kind "provider_tee"
  };
  Role role = Role::kNode;
  std::string
      label;  // names it in evidence: "" (kNode), "gateway_attestation", "model_attestations[0]"
  AttestationReport report;
};

// Every attestation one report request returned, each to be checked on its own. Value type.
struct AttestationResponse {
  bool near_2026 = false;
  std::vector<AttestationEntry> entries;  // kNode alone, or the gateway first and then each model
  std::string tls_certificate;            // NEAR 2026 tls_certificate (PEM), "" when absent
};

// Parses a report body of `dialect`; for near, either shape (the 2026 envelope when the body has
// gateway_attestation, else the 2025 flat report). An Error means nothing usable (not JSON, not an
// object); anything else carries schema problems in its entries. Never throws or asserts on any
// input. Thread-safe.
Result<AttestationResponse> ParseAttestationResponse(Dialect dialect, std::string_view body);

// The entries of a 2026 envelope, gateway first.
AttestationResponse FromNearAttestation(NearAttestation near);

}  // namespace teeharness::protocol
