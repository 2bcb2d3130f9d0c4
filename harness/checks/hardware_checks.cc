#include "harness/checks/hardware_checks.h"

#include <array>
#include <string_view>

#include "harness/checks/catalog.h"

namespace teeharness::checks {
namespace {

constexpr std::array<std::string_view, 7> kQuoteChecks = {
    "QUOTE-FORMAT", "QUOTE-SIG", "QUOTE-CHAIN", "QUOTE-QE", "QUOTE-TCB", "TD-ATTR", "TD-MEASURE"};
constexpr std::array<std::string_view, 7> kReportChecks = {
    "GPU-SIG",     "GPU-CHAIN",       "GPU-NONCE",   "GPU-COUNT",
    "GPU-MEASURE", "EVENTLOG-REPLAY", "COMPOSE-HASH"};

// Outcome ids are string_views of static storage: the catalog's.
std::string_view StaticId(std::string_view id) {
  const CheckInfo* info = FindCheck(id);
  return info != nullptr ? info->id : std::string_view("QUOTE-FORMAT");
}

}  // namespace

std::vector<Outcome> QuoteOutcomes(const attestation::QuoteVerification& verification,
                                   const std::string& context) {
  std::vector<Outcome> outcomes;
  outcomes.reserve(verification.checks.size());
  for (const attestation::CheckResult& check : verification.checks) {
    const std::string_view id = StaticId(check.id);
    switch (check.state) {
      case attestation::CheckState::kPass:
        outcomes.push_back(Outcome::Pass(id));
        break;
      case attestation::CheckState::kFail:
        outcomes.push_back(Outcome::Fail(id, context + ": " + check.reason));
        break;
      case attestation::CheckState::kSkip:
        // The reason of a skip is the same for every report; no context keeps the tally readable.
        outcomes.push_back(Outcome::Skip(id, check.reason));
        break;
    }
  }
  return outcomes;
}

std::vector<Outcome> QuoteSkipped(const std::string& reason) {
  std::vector<Outcome> outcomes;
  for (std::string_view id : kQuoteChecks) outcomes.push_back(Outcome::Skip(id, reason));
  return outcomes;
}

std::vector<Outcome> HardwareSkipped(const std::string& reason) {
  std::vector<Outcome> outcomes = QuoteSkipped(reason);
  for (std::string_view id : kReportChecks) outcomes.push_back(Outcome::Skip(id, reason));
  return outcomes;
}

}  // namespace teeharness::checks
