#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "harness/attestation/dstack/dstack_evidence.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::dstack {

// How a TD's mr_config_id binds the compose hash (PROTOCOLS.md; dstack-types mr_config.rs).
struct MrConfigBinding {
  bool bound = false;    // false: all zero, nothing bound
  bool checked = false;  // the binding could be recomputed (else `reason` says why not)
  bool matches = false;  // when checked
  int version = 0;       // first byte: 1, 2 or 3
  std::string reason;    // what was compared, or why it could not be
};

// Evaluates `mr_config_id` against the workload identity:
//  v1: 0x01 ‖ compose_hash ‖ 15 zero bytes;
//  v2: 0x02 ‖ keccak256(compose_hash ‖ app_id ‖ key provider kind byte ‖ key_provider_id) ‖ 15
//      zero bytes;
//  v3: 0x03 ‖ SHA-256("dstack-mr-config-v3:" ‖ 0x00 ‖ document) ‖ 15 zero bytes, where the
//      document is `document` when the guest shipped it (its compose_hash must then equal ours),
//      else the canonical (JCS) document rebuilt from the identity; when neither matches the
//      binding is not checkable (the exact document is needed), and the reason says so.
// Thread-safe (pure).
MrConfigBinding EvaluateMrConfig(const std::array<uint8_t, 48>& mr_config_id,
                                 const DstackEvidence& identity,
                                 const std::optional<std::string>& document);

}  // namespace teeharness::attestation::dstack
