#pragma once

#include <optional>
#include <string>

#include "harness/attestation/dstack/dstack_evidence.h"

namespace teeharness::attestation::dstack {

// Scenario `expect.dstack`: optional pins on the workload identity (hex, any case, 0x allowed;
// key_provider a name such as "kms"). Value type.
struct DstackPins {
  std::optional<std::string> compose_hash;
  std::optional<std::string> os_image_hash;
  std::optional<std::string> app_id;
  std::optional<std::string> key_provider;

  bool empty() const { return !compose_hash && !os_image_hash && !app_id && !key_provider; }
};

// The first pin `evidence` does not meet, as a sentence naming it, or nullopt. Thread-safe.
std::optional<std::string> PinMismatch(const DstackPins& pins, const DstackEvidence& evidence);

}  // namespace teeharness::attestation::dstack
