#include "reports/html/number_format.h"

#include <charconv>
#include <cmath>

namespace teeharness::reports::html {
namespace {

std::string ToChars(double value, std::chars_format format, int precision) {
  char buffer[64];
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof(buffer), value, format, precision);
  if (error != std::errc()) return "?";
  return std::string(buffer, end);
}

}  // namespace

std::string FormatNumber(double value, int digits) {
  if (!std::isfinite(value)) return "-";
  if (value == 0) return "0";
  const double magnitude = std::abs(value);
  if (magnitude >= 1e15 || magnitude < 1e-6) {
    return ToChars(value, std::chars_format::scientific, digits - 1);
  }
  // Integers print whole; otherwise `digits` significant digits, trailing zeros removed.
  if (value == std::floor(value) && magnitude < 1e15) {
    return ToChars(value, std::chars_format::fixed, 0);
  }
  const int integer_digits = magnitude >= 1
                                 ? static_cast<int>(std::floor(std::log10(magnitude))) + 1
                                 : 1 - static_cast<int>(std::ceil(-std::log10(magnitude)));
  const int decimals = std::max(0, digits - integer_digits);
  std::string text = ToChars(value, std::chars_format::fixed, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::string FormatSeconds(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  const double magnitude = std::abs(seconds);
  if (magnitude == 0) return "0 s";
  if (magnitude < 1e-3) return FormatNumber(seconds * 1e6) + " us";
  if (magnitude < 1) return FormatNumber(seconds * 1e3) + " ms";
  if (magnitude < 120) return FormatNumber(seconds) + " s";
  return FormatNumber(seconds / 60) + " min";
}

std::string FormatCoordinate(double value) {
  return ToChars(std::isfinite(value) ? value : 0, std::chars_format::fixed, 2);
}

}  // namespace teeharness::reports::html
