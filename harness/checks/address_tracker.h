#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/checks/outcome.h"

namespace teeharness::checks {

// What the scenario promises about the signing address (expect.address).
struct AddressExpectation {
  enum class Kind { kStableUntilRestart, kStableAcrossRestarts, kPinned };
  Kind kind = Kind::kStableUntilRestart;
  std::string pinned;  // for kPinned
};

// Tracks the attested signing address over a whole run and turns it into ADDR-STABLE and
// ADDR-RESTART outcomes. An "epoch" is the time between two restarts of the target (epoch 0 before
// the first restart). Several addresses alternating inside one epoch are reported as replicas with
// different keys. Not thread-safe: the engine feeds it from one thread (or under its own lock).
class AddressTracker {
 public:
  explicit AddressTracker(AddressExpectation expectation);

  // The target was restarted: a new epoch begins; the next attestation must be observed before
  // signatures of the new epoch can be attributed.
  void OnRestart();

  // An attestation report named `address` (any case). Returns ADDR-STABLE (and, for the first
  // report after a restart, ADDR-RESTART).
  std::vector<Outcome> OnAttested(const std::string& address);

  // A signature recovered to `signer`. Returns ADDR-RESTART for signatures after a restart: they
  // must match the address attested in this epoch.
  std::vector<Outcome> OnSigned(const std::string& signer, const std::string& chat_id);

  int epoch() const { return epoch_; }
  // Distinct addresses seen in the current epoch, in first-seen order.
  const std::vector<std::string>& epoch_addresses() const { return epoch_addresses_; }
  // Times the attested address differed from the previous attestation (over the whole run).
  uint64_t changes() const { return changes_; }
  const std::string& current() const { return current_; }

 private:
  std::vector<Outcome> CheckPinned(const std::string& address) const;

  AddressExpectation expectation_;
  int epoch_ = 0;
  std::string current_;                  // last attested address, lowercase
  std::string previous_epoch_address_;   // last address of the previous epoch
  bool awaiting_reattestation_ = false;  // restarted, no report yet in this epoch
  std::vector<std::string> epoch_addresses_;
  uint64_t changes_ = 0;
};

}  // namespace teeharness::checks
