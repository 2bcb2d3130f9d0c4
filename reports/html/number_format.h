#pragma once

#include <string>

namespace teeharness::reports::html {

// Numbers for people, independent of the C locale (std::to_chars). Thread-safe (pure).

// `value` with up to `digits` significant digits, no exponent for everyday magnitudes.
std::string FormatNumber(double value, int digits = 3);
// A duration in seconds as "850 us", "12.3 ms", "1.25 s", "3.2 min".
std::string FormatSeconds(double seconds);
// A coordinate for SVG: fixed, two decimals.
std::string FormatCoordinate(double value);

}  // namespace teeharness::reports::html
