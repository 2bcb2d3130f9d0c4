#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/protocol/attestation_report.h"

namespace teeharness::protocol {

// NEAR's 2026 attestation response (PROTOCOLS.md "NEAR 2026"): the cloud-api gateway's own
// attestation and one per model TEE (inference-proxy) serving the model. Each is a complete
// AttestationReport, checked on its own; problems of the envelope itself (a missing
// gateway_attestation, a model_attestations that is not an array) are schema problems of the
// gateway's report, the envelope's author. Value type.
struct NearAttestation {
  AttestationReport gateway;              // gateway_attestation (CPU-only: gpu_expected false)
  std::vector<AttestationReport> models;  // model_attestations[], in the order sent
  std::string tls_certificate;            // PEM as sent; "" when absent
};

// True when `root` is the 2026 envelope (it has gateway_attestation); NEAR's 2025 flat report is
// read by ParseAttestationReport. Thread-safe (pure).
bool IsNear2026Report(const rapidjson::Value& root);

// Reads the 2026 envelope from a parsed object. Never throws or asserts on any input.
NearAttestation ReadNearAttestation(const rapidjson::Value& root);

// Parses a 2026 body. An Error means nothing usable (not JSON, not an object). Thread-safe.
Result<NearAttestation> ParseNearAttestation(std::string_view body);

}  // namespace teeharness::protocol
