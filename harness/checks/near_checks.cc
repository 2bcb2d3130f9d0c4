#include "harness/checks/near_checks.h"

#include <algorithm>
#include <cctype>

namespace teeharness::checks {
namespace {

// Addresses and Ed25519 keys compare as hex, whatever their case or 0x prefix.
std::string Canonical(std::string_view hex) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  std::string out(hex);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

SignerBinding ModelBinding(std::string_view claimed, const AttestedKeys& keys) {
  SignerBinding binding;
  if (keys.models.empty()) {
    if (keys.gateway.empty()) {
      binding.attested_address = keys.node;  // a flat report: its key signs everything
    } else {
      binding.problem = "signature_kind provider_tee, but the response had no model attestation";
    }
    return binding;
  }
  binding.model_attestation = true;
  const std::string wanted = Canonical(claimed);
  const auto match =
      std::find_if(keys.models.begin(), keys.models.end(),
                   [&wanted](const std::string& a) { return Canonical(a) == wanted; });
  const size_t index = match != keys.models.end() ? match - keys.models.begin() : 0;
  binding.attested_address = keys.models[index];
  binding.label = "model_attestations[" + std::to_string(index) + "]";
  return binding;
}

}  // namespace

SignerBinding BindSigner(std::string_view kind, std::string_view claimed,
                         const AttestedKeys& keys) {
  if (kind.empty() || kind == "provider_tee") return ModelBinding(claimed, keys);
  SignerBinding binding;
  if (kind == "gateway") {
    binding.gateway = true;
    binding.attested_address = keys.gateway;
    binding.label = "gateway_attestation";
    if (keys.gateway.empty()) {
      binding.problem = "signature_kind gateway, but no gateway attestation was returned";
    }
    return binding;
  }
  binding.problem = "signature_kind \"" + std::string(kind) + "\" names no attested key";
  return binding;
}

std::string SignatureErrorKind(std::string_view code) {
  if (code == "STREAM_DISCONNECTED") return "stream_disconnected";
  if (code == "SIGNATURE_UNSUPPORTED") return "signature_unsupported";
  return "signature_error_code";
}

Outcome CheckSignatureErrorCode(const std::string& chat_id,
                                const protocol::SignatureErrorCode& error) {
  constexpr size_t kMax = 160;  // evidence stays readable whatever the server sent
  const std::string message =
      error.message.size() <= kMax ? error.message : error.message.substr(0, kMax) + "...";
  return Outcome::Fail("SIG-READY", "chat " + chat_id + ": HTTP 200 with error_code " +
                                        error.code.substr(0, kMax) + " (\"" + message +
                                        "\"): no signature");
}

}  // namespace teeharness::checks
