#include "harness/checks/address_tracker.h"

#include <algorithm>
#include <cctype>

namespace teeharness::checks {
namespace {

constexpr std::string_view kStable = "ADDR-STABLE";
constexpr std::string_view kRestart = "ADDR-RESTART";

// Addresses are compared case-insensitively (EIP-55, lowercase and Ed25519 hex all occur).
std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string List(const std::vector<std::string>& addresses) {
  std::string out;
  for (const std::string& address : addresses) out += (out.empty() ? "" : ", ") + address;
  return out;
}

}  // namespace

AddressTracker::AddressTracker(AddressExpectation expectation)
    : expectation_(std::move(expectation)) {
  expectation_.pinned = Lower(expectation_.pinned);
}

void AddressTracker::OnRestart() {
  ++epoch_;
  previous_epoch_address_ = current_;
  awaiting_reattestation_ = true;
  epoch_addresses_.clear();
}

std::vector<Outcome> AddressTracker::CheckPinned(const std::string& address) const {
  if (expectation_.kind != AddressExpectation::Kind::kPinned || address == expectation_.pinned) {
    return {Outcome::Pass(kStable)};
  }
  return {Outcome::Fail(
      kStable, "attested " + address + ", expected the pinned address " + expectation_.pinned)};
}

std::vector<Outcome> AddressTracker::OnAttested(const std::string& raw_address) {
  const std::string address = Lower(raw_address);
  std::vector<Outcome> outcomes;
  if (!current_.empty() && address != current_) ++changes_;
  const bool first_in_epoch = epoch_addresses_.empty();
  const bool known = std::find(epoch_addresses_.begin(), epoch_addresses_.end(), address) !=
                     epoch_addresses_.end();
  if (!known) epoch_addresses_.push_back(address);
  current_ = address;

  if (expectation_.kind == AddressExpectation::Kind::kPinned) {
    outcomes = CheckPinned(address);
  } else if (epoch_addresses_.size() > 1) {
    outcomes.push_back(Outcome::Fail(
        kStable, std::to_string(epoch_addresses_.size()) +
                     " signing addresses without a restart (replicas with different keys?): " +
                     List(epoch_addresses_)));
  } else {
    outcomes.push_back(Outcome::Pass(kStable));
  }

  if (awaiting_reattestation_ && first_in_epoch) {
    awaiting_reattestation_ = false;
    const bool changed = address != previous_epoch_address_;
    if (expectation_.kind == AddressExpectation::Kind::kStableAcrossRestarts ||
        expectation_.kind == AddressExpectation::Kind::kPinned) {
      outcomes.push_back(
          changed
              ? Outcome::Fail(kRestart, "address changed across restart " + std::to_string(epoch_) +
                                            ": " + previous_epoch_address_ + " -> " + address)
              : Outcome::Pass(kRestart));
    } else {
      // Ephemeral keys: a new address is expected; the same one is legitimate for KMS-derived keys,
      // so it is not a failure here, only its use by later signatures is checked.
      outcomes.push_back(Outcome::Pass(kRestart));
    }
  }
  return outcomes;
}

std::vector<Outcome> AddressTracker::OnSigned(const std::string& raw_signer,
                                              const std::string& chat_id) {
  if (epoch_ == 0) return {};
  const std::string signer = Lower(raw_signer);
  if (awaiting_reattestation_) {
    return {Outcome::Fail(kRestart, "chat " + chat_id + " signed by " + signer + " after restart " +
                                        std::to_string(epoch_) + " before any re-attestation")};
  }
  if (std::find(epoch_addresses_.begin(), epoch_addresses_.end(), signer) ==
      epoch_addresses_.end()) {
    return {Outcome::Fail(kRestart, "chat " + chat_id + " signed by " + signer +
                                        ", not the address attested after restart " +
                                        std::to_string(epoch_) + " (" + current_ + ")")};
  }
  return {Outcome::Pass(kRestart)};
}

}  // namespace teeharness::checks
