#pragma once

#include <optional>
#include <string>

#include "harness/base/result.h"
#include "harness/engine/hardware/quote_trust.h"
#include "harness/scenario/scenario.h"

namespace teeharness::engine {

// What the built-in mock publishes about its PKI and image, fetched from it by the runner: its
// root (/mock/pki/root.pem), its reference measurements (/mock/pki/reference.json) and its GPU
// device root (/mock/pki/nvidia-root.pem), each the body or the fetch problem; its collateral comes
// from its PCS routes under `base_url`.
struct BuiltinMockPki {
  std::string base_url;
  Result<std::string> root_pem = Error{"not fetched"};
  Result<std::string> reference_json = Error{"not fetched"};
  Result<std::string> nvidia_root_pem = Error{"not fetched"};  // /mock/pki/nvidia-root.pem
  Result<std::string> rim_root_pem = Error{"not fetched"};     // /mock/pki/nvidia-rim-root.pem
  Result<std::string> driver_rim = Error{"not fetched"};       // /mock/pki/rims/driver.swidtag
  Result<std::string> vbios_rim = Error{"not fetched"};        // /mock/pki/rims/vbios.swidtag
};

// The run's quote verification settings from the scenario (attestation section and expect's
// policy), and, when the harness started the mock itself (`mock` given), the mock's root, its PCS
// routes as the collateral source and its reference measurements (pinned unless the scenario pins
// its own), and the mock's GPU device root. Against any other target only Intel's root and the
// scenario's trust_roots are trusted (for GPUs NVIDIA's Device Identity CA and gpu_trust_roots),
// and collateral comes from attestation.collateral (a file, or a PCS URL cached on disk) or by
// default from Intel's PCS. GPU RIMs: expect.gpu_rims loaded and verified (at `now`) against
// attestation.gpu_rim_trust_roots (and the mock's RIM root when it started the mock); without
// gpu_rims, the started mock's own RIMs. Errors are the user's (an unreadable trust root or
// collateral file, a RIM that does not verify, gpu_rims without a RIM root): exit 2. Thread-safe
// (pure apart from creating the collateral store).
Result<QuoteTrust::Settings> MakeQuoteTrustSettings(const scenario::Scenario& scenario,
                                                    const BuiltinMockPki* mock, int64_t now);

}  // namespace teeharness::engine
