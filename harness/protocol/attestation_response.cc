#include "harness/protocol/attestation_response.h"

#include "harness/protocol/json_body.h"

namespace teeharness::protocol {

AttestationResponse FromNearAttestation(NearAttestation near) {
  AttestationResponse out;
  out.near_2026 = true;
  out.tls_certificate = std::move(near.tls_certificate);
  out.entries.push_back(
      {AttestationEntry::Role::kGateway, "gateway_attestation", std::move(near.gateway)});
  for (size_t i = 0; i < near.models.size(); ++i) {
    out.entries.push_back({AttestationEntry::Role::kModel,
                           "model_attestations[" + std::to_string(i) + "]",
                           std::move(near.models[i])});
  }
  return out;
}

Result<AttestationResponse> ParseAttestationResponse(Dialect dialect, std::string_view body) {
  rapidjson::Document document;
  if (Result<bool> parsed = ParseJsonObject(body, "attestation report", document); !parsed.ok()) {
    return Error{parsed.error()};
  }
  if (dialect == Dialect::kNear && IsNear2026Report(document)) {
    return FromNearAttestation(ReadNearAttestation(document));
  }
  AttestationResponse out;
  out.entries.push_back(
      {AttestationEntry::Role::kNode, "", ReadAttestationReport(dialect, document)});
  return out;
}

}  // namespace teeharness::protocol
