#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"
#include "harness/protocol/dialect.h"

namespace teeharness::protocol {

// An attestation report of any dialect, normalised to what the checks need. Every field is
// untrusted server data; `schema_problems` lists what deviated from the dialect's documented shape
// (evidence for ATTEST-SCHEMA) while parsing carried on with what was usable. Value type.
struct AttestationReport {
  std::string signing_address;  // ECDSA: 0x + 40 hex; Ed25519: 64 hex public key
  std::string signing_algo;     // "ecdsa" when the dialect does not say (ionet)
  std::string echoed_nonce;     // phala/near request_nonce; ionet nonce
  std::string gpu_nonce;        // nvidia_payload.nonce / gpu.nonce
  std::string gpu_arch;
  size_t gpu_evidence_count = 0;
  std::string quote_encoding;      // "hex", "base64" or "" when absent
  crypto::Bytes quote;             // the TDX quote bytes, decoded
  std::string signing_public_key;  // phala/near
  std::string model_name;          // near
  std::string image_digest;        // ionet
  size_t all_attestations = 0;     // phala/near: entries in all_attestations
  bool listed_in_all_attestations = false;
  // NEAR 2026 (PROTOCOLS.md "NEAR 2026"): the gateway's own `report_data` field (128 hex; "" when
  // the report has none), and each attestation's optional TLS certificate fingerprint (64 hex).
  std::string report_data_field;
  std::string tls_cert_fingerprint;
  // False for a CPU-only TEE whose report carries no GPU evidence by design (NEAR's gateway): the
  // GPU half of NONCE-BIND does not apply to it. Set by the parser from the report's role.
  bool gpu_expected = true;
  std::vector<std::string> schema_problems;
  // Raw JSON texts of the hardware evidence, for the GPU and dstack verifiers (empty when absent):
  // nvidia_payload (io.net: the `gpu` object), event_log (array or string, as sent) and info.
  std::string nvidia_payload_json;
  std::string event_log_json;
  std::string info_json;
};

// Parses a report body. An Error means nothing usable (not JSON, not an object); anything else is
// returned with schema_problems filled. Never throws or asserts on any input. Thread-safe.
Result<AttestationReport> ParseAttestationReport(Dialect dialect, std::string_view body);

// As ParseAttestationReport, from an already parsed JSON object. Thread-safe.
AttestationReport ReadAttestationReport(Dialect dialect, const rapidjson::Value& root);

}  // namespace teeharness::protocol
