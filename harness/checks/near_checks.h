#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/checks/outcome.h"
#include "harness/protocol/signature_response.h"

namespace teeharness::checks {

// The signing keys one restart epoch's attestation established.
struct AttestedKeys {
  std::string node;                 // the flat report's signing_address (phala, ionet, near 2025)
  std::string gateway;              // NEAR 2026 gateway_attestation's ("" = none)
  std::vector<std::string> models;  // NEAR 2026 model_attestations[]' (in response order)
};

// Which attested key must have signed one completion, and which form of the text it signs, by the
// signature's signature_kind (PROTOCOLS.md "NEAR 2026"). Value type.
struct SignerBinding {
  std::string attested_address;  // "" when no attestation established such a key
  std::string problem;           // why attested_address is empty (SIG-ADDRESS evidence)
  std::string label;  // the attestation it is: "gateway_attestation", "model_attestations[i]", ""
  bool gateway = false;            // signed by the gateway: text sha256(req):sha256(resp)
  bool model_attestation = false;  // bound to one of keys.models
};

// provider_tee (or absent: older rows): the model attestation whose signing_address the signature
// claims, else the only (or first) model attestation; a flat report's key when the response had no
// gateway. gateway: the gateway attestation's key. Any other kind names no attested key.
// Thread-safe (pure).
SignerBinding BindSigner(std::string_view signature_kind, std::string_view claimed_address,
                         const AttestedKeys& keys);

// The iteration failure kind of a 200 error_code body: "stream_disconnected",
// "signature_unsupported", or "signature_error_code" for any other code. Thread-safe.
std::string SignatureErrorKind(std::string_view code);

// SIG-READY fails: the server said the chat has no signature (never a pass). Thread-safe.
Outcome CheckSignatureErrorCode(const std::string& chat_id,
                                const protocol::SignatureErrorCode& error);

}  // namespace teeharness::checks
