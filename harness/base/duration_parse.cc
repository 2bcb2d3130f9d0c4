#include "harness/base/duration_parse.h"

#include <charconv>
#include <cmath>

namespace teeharness {

Result<std::chrono::nanoseconds> ParseDurationText(std::string_view text) {
  double value = 0;
  // from_chars for doubles ignores the C locale (a comma locale must not change "1.5s").
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || text.empty()) {
    return MakeError("expected a duration like 250ms, 90s or 2m, got '", text, "'");
  }
  const std::string_view unit(end, text.data() + text.size() - end);
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "us") {
    scale = 1e3;
  } else if (unit == "ns") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else {
    return MakeError("unknown duration unit '", unit, "' in '", text, "' (ns, us, ms, s, m, h)");
  }
  const double nanos = value * scale;
  if (!(nanos >= 0) || nanos > 1e18) return MakeError("duration out of range: '", text, "'");
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(nanos)));
}

std::string FormatDuration(std::chrono::nanoseconds duration) {
  const int64_t ns = duration.count();
  if (ns % 3600'000'000'000 == 0 && ns != 0) return std::to_string(ns / 3600'000'000'000) + "h";
  if (ns % 60'000'000'000 == 0 && ns != 0) return std::to_string(ns / 60'000'000'000) + "m";
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
  return std::to_string(ns) + "ns";
}

}  // namespace teeharness
