#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::attestation {

// Strict RFC 3339 UTC timestamps as Intel's collateral writes them ("2025-06-19T10:16:03Z"). A
// fractional part (dropped) and a +00:00 offset are accepted; other offsets, missing parts,
// impossible dates (02-30, 02-29 of a common year), hour 24 and leap second 60 are errors that
// quote the text. Days are counted with Howard Hinnant's civil-calendar algorithm rather than
// timegm(): same result for every valid date, but no TZ, no locale and no platform time_t limits.
// FormatRfc3339 writes "YYYY-MM-DDThh:mm:ssZ" and round-trips with ParseRfc3339 for years
// 0000-9999. Thread-safe (pure).
Result<int64_t> ParseRfc3339(std::string_view text);
std::string FormatRfc3339(int64_t unix_seconds);

}  // namespace teeharness::attestation
