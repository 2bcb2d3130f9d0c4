#pragma once

#include <optional>
#include <string>

#include "harness/base/result.h"
#include "harness/engine/quote_trust.h"
#include "harness/scenario/scenario.h"

namespace teeharness::engine {

// What the built-in mock publishes about its PKI and image, fetched from it by the runner: its
// root (/mock/pki/root.pem), its collateral (/mock/pki/collateral.json) and its reference
// measurements (/mock/pki/reference.json). Each field holds the body, or the fetch problem.
struct BuiltinMockPki {
  Result<std::string> root_pem = Error{"not fetched"};
  Result<std::string> collateral_json = Error{"not fetched"};
  Result<std::string> reference_json = Error{"not fetched"};
};

// The run's quote verification settings from the scenario (attestation section and expect's
// policy), and, when the harness started the mock itself (`mock` given), the mock's root, its
// collateral and its reference measurements (pinned unless the scenario pins its own). Against any
// other target only Intel's root and the scenario's trust_roots are trusted. Errors are the
// user's (an unreadable trust root or collateral file, a collateral URL): exit 2. Collateral that
// came from a server and does not parse is evidence: QUOTE-TCB fails with it. Thread-safe (pure).
Result<QuoteTrust::Settings> MakeQuoteTrustSettings(const scenario::Scenario& scenario,
                                                    const BuiltinMockPki* mock);

}  // namespace teeharness::engine
