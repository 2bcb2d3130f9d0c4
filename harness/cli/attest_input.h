#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "harness/attestation/gpu/rim/rim_store.h"
#include "harness/attestation/verify/check_result.h"
#include "harness/base/result.h"
#include "harness/protocol/attestation_report.h"
#include "harness/protocol/dialect.h"

namespace teeharness::cli {

// Small pieces shared by the `attest` subcommands. Thread-safe (pure, apart from reading files).

// The whole file, bytes as they are. An Error names the path.
Result<std::string> ReadAttestFile(const std::string& path);

// `--at`: unix seconds or RFC 3339.
Result<int64_t> ParseAttestTime(const std::string& text);

// `--rims DIR --rim-trust-root PEM`: the folder's RIMs, each parsed and its signature and chain
// verified to the root at `at`, once. nullptr without --rims. An Error (a usage error, exit 2)
// names the flag or the file and why; --rims without --rim-trust-root is one (NVIDIA's RIM root is
// not built in).
Result<std::shared_ptr<const attestation::gpu::rim::RimStore>> LoadRimFlags(
    const std::optional<std::string>& rims, const std::optional<std::string>& rim_trust_root,
    int64_t at);

// 0 valid, 1 rejected, 3 incomplete (2, usage, is the caller's).
int AttestExitCode(attestation::Verdict verdict);

// The attestation `attest verify --report` checks, out of a report body of `dialect`: the flat
// report (phala, ionet, NEAR 2025), or the one attestation of a NEAR 2026 envelope `which` names
// (`gateway`, `model` for the first model TEE, `model:N`). A body that does not parse is evidence
// (`report` holds the Error, and the checks reject it); an Error of the call itself is the user's
// (a 2026 envelope without `which`, `which` naming an attestation it does not hold, or `which`
// with a flat report): exit 2.
struct SelectedAttestation {
  Result<protocol::AttestationReport> report = Error{"no report"};
  std::string label;     // "" for a flat report, "gateway_attestation", "model_attestations[N]"
  bool gateway = false;  // NEAR's gateway: a CPU-only TEE, no GPU evidence expected
};
Result<SelectedAttestation> SelectAttestation(protocol::Dialect dialect, const std::string& body,
                                              const std::string& which);

}  // namespace teeharness::cli
