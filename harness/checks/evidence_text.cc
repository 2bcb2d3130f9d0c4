#include "harness/checks/evidence_text.h"

#include <cstdio>

#include "harness/base/utf8.h"

namespace teeharness::checks {
namespace {

std::string Escaped(const char* format, unsigned value) {
  char buffer[8];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

}  // namespace

std::string PrintableEvidence(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 8);
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8SequenceLength(text, i);
    std::string piece;
    if (length == 0) {
      piece = Escaped("\\x%02X", c);
    } else if (c == '\n') {
      piece = "\\n";
    } else if (c == '\r') {
      piece = "\\r";
    } else if (c == '\t') {
      piece = "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      piece = Escaped("\\u%04X", c);
    } else {
      piece.assign(text.substr(i, length));
    }
    if (out.size() + piece.size() > max_bytes) return out + "...";
    out += piece;
    i += length == 0 ? 1 : length;
  }
  return out;
}

}  // namespace teeharness::checks
