#include "harness/attestation/collateral/rfc3339.h"

#include <cctype>
#include <cstdio>

namespace teeharness::attestation {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's algorithm):
// no timegm, no locale, no TZ.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool LeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view s) {
  int year, month, day, hour, minute, second;
  const bool shape =
      Digits(s, 0, 4, year) && s.size() > 4 && s[4] == '-' && Digits(s, 5, 2, month) &&
      s.size() > 7 && s[7] == '-' && Digits(s, 8, 2, day) && s.size() > 10 &&
      (s[10] == 'T' || s[10] == 't') && Digits(s, 11, 2, hour) && s.size() > 13 && s[13] == ':' &&
      Digits(s, 14, 2, minute) && s.size() > 16 && s[16] == ':' && Digits(s, 17, 2, second);
  if (!shape) return MakeError("'", s, "' is not an RFC 3339 time (YYYY-MM-DDThh:mm:ssZ)");
  size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    const size_t digits = at;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) ++at;
    if (at == digits) return MakeError("'", s, "' has an empty fraction");
  }
  const std::string_view zone = s.substr(at);
  if (zone != "Z" && zone != "z" && zone != "+00:00") {
    return MakeError("'", s, "' is not UTC (Z or +00:00)");
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && LeapYear(year)) || hour > 23 || minute > 59 ||
      second > 59) {
    return MakeError("'", s, "' is not a valid date and time");
  }
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

std::string FormatRfc3339(int64_t t) {
  // Floor division, written so that nothing overflows even at INT64_MIN.
  int64_t days = t / 86400;
  int64_t secs = t % 86400;
  if (secs < 0) {
    --days;
    secs += 86400;
  }
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buffer;
}

}  // namespace teeharness::attestation
