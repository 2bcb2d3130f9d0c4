#include "reports/request_log/request_line.h"

#include <charconv>
#include <cmath>

namespace teeharness::reports {
namespace {

// Written by hand rather than with RapidJSON's Writer and printf: the writer thread renders every
// request of the run (tens of thousands a second), and in the engine benchmark it shares the
// harness's core. Integers and doubles go through std::to_chars (no locale, no allocation).

void Integer(std::string& out, int64_t value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

// Unix seconds with exactly six decimals (microseconds).
void Seconds(std::string& out, int64_t micros) {
  if (micros < 0) {
    out += '-';
    micros = -micros;
  }
  Integer(out, micros / 1'000'000);
  char fraction[8];
  int64_t rest = micros % 1'000'000;
  for (int i = 6; i >= 1; --i) {
    fraction[i] = static_cast<char>('0' + rest % 10);
    rest /= 10;
  }
  fraction[0] = '.';
  out.append(fraction, 7);
}

// A JSON string: quotes, backslashes and control characters escaped; other bytes as they are (as
// RapidJSON's Writer does without encoding validation).
void String(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
      }
    } else {
      out += c;
    }
  }
  out += '"';
}

void StringOrNull(std::string& out, const std::string& text) {
  if (text.empty()) {
    out += "null";
  } else {
    String(out, text);
  }
}

void Count(std::string& out, uint64_t value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, end);
}

void OptionalCount(std::string& out, const std::optional<uint64_t>& value) {
  if (value) {
    Count(out, *value);
  } else {
    out += "null";
  }
}

}  // namespace

int64_t WallClockAnchor::UnixMicros(std::chrono::steady_clock::time_point t) const {
  const auto wall_at =
      wall + std::chrono::duration_cast<std::chrono::system_clock::duration>(t - steady);
  return std::chrono::duration_cast<std::chrono::microseconds>(wall_at.time_since_epoch()).count();
}

void AppendRequestLine(const RequestRecord& r, const WallClockAnchor& anchor, std::string& out) {
  out += "{\"phase\":";
  String(out, r.phase);
  out += ",\"op\":";
  String(out, r.op);
  out += ",\"worker\":";
  Integer(out, r.worker);
  out += ",\"iteration\":";
  Count(out, r.iteration);
  out += ",\"intended\":";
  Seconds(out, anchor.UnixMicros(r.intended));
  out += ",\"start\":";
  Seconds(out, anchor.UnixMicros(r.start));
  out += ",\"first_byte\":";
  Seconds(out, anchor.UnixMicros(r.first_byte));
  out += ",\"end\":";
  Seconds(out, anchor.UnixMicros(r.end));
  out += ",\"status\":";
  Integer(out, r.status);
  out += ",\"bytes\":";
  Count(out, r.bytes);
  out += ",\"chat_id\":";
  StringOrNull(out, r.chat_id);
  out += ",\"ttft_seconds\":";
  if (r.ttft_seconds && std::isfinite(*r.ttft_seconds)) {
    char digits[32];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), *r.ttft_seconds);
    out.append(digits, end);
  } else {
    out += "null";
  }
  out += ",\"tokens\":{\"prompt\":";
  OptionalCount(out, r.prompt_tokens);
  out += ",\"completion\":";
  OptionalCount(out, r.completion_tokens);
  out += r.tokens_estimated ? ",\"estimated\":true}" : ",\"estimated\":false}";
  out += ",\"error\":";
  StringOrNull(out, r.error);
  out += ",\"failed_checks\":[";
  for (size_t i = 0; i < r.failed_checks.size(); ++i) {
    if (i > 0) out += ',';
    String(out, r.failed_checks[i]);
  }
  out += "]}\n";
}

}  // namespace teeharness::reports
