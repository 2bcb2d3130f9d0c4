#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::attestation {

// Strict RFC 3339 UTC timestamps as Intel's collateral writes them ("2025-06-19T10:16:03Z"; a
// fractional part and a +00:00 offset are accepted too). Thread-safe (pure).
Result<int64_t> ParseRfc3339(std::string_view text);
std::string FormatRfc3339(int64_t unix_seconds);

}  // namespace teeharness::attestation
