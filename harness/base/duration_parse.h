#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness {

// Parses "250ms", "1.5s", "90s", "2m", "1h", "100us" (and a bare number as seconds) into
// nanoseconds. Negative, empty or unit-less garbage is an Error saying what was expected.
// Locale-independent; thread-safe.
Result<std::chrono::nanoseconds> ParseDurationText(std::string_view text);

// The shortest exact form: "300s", "250ms", "2m".
std::string FormatDuration(std::chrono::nanoseconds duration);

}  // namespace teeharness
