#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// What a verified quote must also satisfy: accepted TCB statuses, TD attribute relaxations,
// minimums and pins. The same keys are `--policy KEY=VALUE` on the CLI and fields of a scenario's
// `expect`. Not thread-safe to mutate; share as const.
struct QuotePolicy {
  std::vector<std::string> accepted_tcb_statuses = {"UpToDate", "SWHardeningNeeded"};
  bool allow_debug = false;
  bool allow_sept_ve = false;
  bool allow_service_td = false;
  std::optional<crypto::Bytes> min_tee_tcb_svn;  // 16 bytes, byte-wise minimum
  std::optional<int> min_tcb_evaluation_data_number;
  // Exact pins by field name (fmspc, mrtd, rtmr0, ...); several values form an allowlist.
  std::map<std::string, std::vector<crypto::Bytes>> pins;

  bool HasMeasurementPolicy() const { return min_tee_tcb_svn.has_value() || !pins.empty(); }
};

// The pin names, each with the byte length its value must have.
const std::map<std::string, size_t>& PinFields();

// Applies one `KEY=VALUE` setting (or several separated by ';'). Errors name the key and why; they
// are usage errors (exit 2). Thread-safe (pure apart from `policy`).
Result<bool> ApplyPolicySetting(std::string_view settings, QuotePolicy& policy);

// Applies a JSON-like value given as text for `key` (what a scenario field holds, already
// stringified: "true", "UpToDate,OutOfDate", "9a..."). Same errors as above.
Result<bool> ApplyPolicyValue(std::string_view key, std::string_view value, QuotePolicy& policy);

}  // namespace teeharness::attestation
