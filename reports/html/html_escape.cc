#include "reports/html/html_escape.h"

#include <cstdint>

#include "harness/base/utf8.h"

namespace teeharness::reports::html {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// How many bytes one U+FFFD replaces at text[i]: the lead byte and the continuation bytes that
// could still have belonged to it (the "maximal subpart" of WHATWG's decoder), at least one.
size_t BadPrefixLength(std::string_view text, size_t i) {
  size_t n = 1;
  const uint8_t lead = static_cast<uint8_t>(text[i]);
  const size_t expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 1;
  while (n < expected && i + n < text.size()) {
    // Trying the prefix as if the sequence ended here tells whether byte n still fits.
    const uint8_t b = static_cast<uint8_t>(text[i + n]);
    if (b < 0x80 || b > 0xBF) break;
    if (n == 1 && ((lead == 0xE0 && b < 0xA0) || (lead == 0xED && b > 0x9F) ||
                   (lead == 0xF0 && b < 0x90) || (lead == 0xF4 && b > 0x8F))) {
      break;
    }
    ++n;
  }
  return n;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t i = 0;
  while (i < text.size()) {
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      out += kReplacement;
      i += BadPrefixLength(text, i);
      continue;
    }
    if (length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    const char c = text[i++];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        if (static_cast<uint8_t>(c) < 0x20 || c == 0x7F) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace teeharness::reports::html
