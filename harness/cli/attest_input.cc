#include "harness/cli/attest_input.h"

#include <charconv>
#include <optional>

#include "harness/attestation/collateral/rfc3339.h"
#include "harness/base/read_file.h"
#include "harness/protocol/attestation_response.h"

namespace teeharness::cli {

Result<std::string> ReadAttestFile(const std::string& path) { return ReadFile(path); }

Result<int64_t> ParseAttestTime(const std::string& text) {
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size()) return seconds;
  Result<int64_t> parsed = attestation::ParseRfc3339(text);
  if (!parsed.ok()) return MakeError("--at '", text, "' is neither unix seconds nor RFC 3339");
  return parsed;
}

Result<std::shared_ptr<const attestation::gpu::rim::RimStore>> LoadRimFlags(
    const std::optional<std::string>& rims, const std::optional<std::string>& rim_trust_root,
    int64_t at) {
  if (!rims) {
    if (rim_trust_root) return MakeError("--rim-trust-root is given without --rims");
    return std::shared_ptr<const attestation::gpu::rim::RimStore>();
  }
  if (!rim_trust_root) {
    return MakeError("--rims ", *rims,
                     " needs --rim-trust-root PEM (NVIDIA's RIM root, verifier_RIM_root.pem of "
                     "nvtrust, is not built in)");
  }
  Result<std::string> pem = ReadAttestFile(*rim_trust_root);
  if (!pem.ok()) return MakeError("--rim-trust-root: ", pem.error());
  Result<attestation::pki::Certificate> root = attestation::pki::Certificate::FromPem(*pem);
  if (!root.ok()) return MakeError("--rim-trust-root ", *rim_trust_root, ": ", root.error());
  Result<attestation::gpu::rim::RimStore> store =
      attestation::gpu::rim::RimStore::LoadDirectory(*rims, {*root}, at);
  if (!store.ok()) return MakeError("--rims: ", store.error());
  return std::make_shared<const attestation::gpu::rim::RimStore>(std::move(store).value());
}

int AttestExitCode(attestation::Verdict verdict) {
  switch (verdict) {
    case attestation::Verdict::kValid:
      return 0;
    case attestation::Verdict::kRejected:
      return 1;
    case attestation::Verdict::kIncomplete:
      return 3;
  }
  return 1;
}

namespace {

// "gateway" -> -1, "model" -> 0, "model:N" -> N; nullopt when it is neither.
std::optional<int> AttestationIndex(const std::string& which) {
  if (which == "gateway") return -1;
  if (which == "model") return 0;
  if (which.rfind("model:", 0) != 0 || which.size() == 6 || which.size() > 10) return std::nullopt;
  int index = 0;
  for (char c : which.substr(6)) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + (c - '0');
  }
  return index;
}

}  // namespace

Result<SelectedAttestation> SelectAttestation(protocol::Dialect dialect, const std::string& body,
                                              const std::string& which) {
  SelectedAttestation out;
  Result<protocol::AttestationResponse> response =
      protocol::ParseAttestationResponse(dialect, body);
  if (!response.ok() || !response->near_2026) {
    if (!which.empty()) {
      return MakeError(
          "--attestation applies to a NEAR 2026 response (gateway_attestation and "
          "model_attestations); this is a single report");
    }
    out.report = protocol::ParseAttestationReport(dialect, body);
    return out;
  }
  const size_t models = response->entries.size() - 1;  // the gateway comes first
  const std::string choices = "--attestation gateway" +
                              std::string(models > 0 ? " or model:0" : "") +
                              (models > 1 ? ".." + std::to_string(models - 1) : "");
  if (which.empty()) {
    return MakeError("a NEAR 2026 response holds gateway_attestation and ", models,
                     " model attestation(s): choose one with ", choices);
  }
  const std::optional<int> index = AttestationIndex(which);
  if (!index)
    return MakeError("--attestation: expected gateway, model or model:N, got '", which, "'");
  if (*index >= static_cast<int>(models)) {
    return MakeError("--attestation ", which, ": the response holds ", models,
                     " model attestation(s); use ", choices);
  }
  const protocol::AttestationEntry& entry = response->entries[static_cast<size_t>(*index + 1)];
  out.report = entry.report;
  out.label = entry.label;
  out.gateway = entry.role == protocol::AttestationEntry::Role::kGateway;
  return out;
}

}  // namespace teeharness::cli
