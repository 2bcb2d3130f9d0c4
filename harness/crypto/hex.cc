#include "harness/crypto/hex.h"

namespace teeharness::crypto {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Printable form of an offending character, so a NUL or control byte does not garble the message.
std::string Printable(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  return std::string("byte 0x") + kDigits[byte >> 4] + kDigits[byte & 0xf];
}

}  // namespace

bool HasHexPrefix(std::string_view text) {
  return text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

bool IsHexDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (HexValue(c) < 0) return false;
  }
  return true;
}

Result<Bytes> DecodeHex(std::string_view text) {
  const size_t offset = HasHexPrefix(text) ? 2 : 0;
  const std::string_view digits = text.substr(offset);
  if (digits.size() % 2 != 0) {
    return MakeError("odd number of hex digits (", digits.size(), ")");
  }
  Bytes out(digits.size() / 2);
  for (size_t i = 0; i < digits.size(); i += 2) {
    const int high = HexValue(digits[i]);
    const int low = HexValue(digits[i + 1]);
    if (high < 0 || low < 0) {
      const size_t bad = high < 0 ? i : i + 1;
      return MakeError("invalid hex digit ", Printable(digits[bad]), " at position ", bad + offset);
    }
    out[i / 2] = static_cast<uint8_t>(high << 4 | low);
  }
  return out;
}

Result<Bytes> DecodeHexExact(std::string_view text, size_t expected_size) {
  Result<Bytes> bytes = DecodeHex(text);
  if (!bytes.ok()) return bytes;
  if (bytes->size() != expected_size) {
    return MakeError("expected ", expected_size, " bytes (", expected_size * 2,
                     " hex digits), got ", bytes->size(), " bytes");
  }
  return bytes;
}

std::string EncodeHex(ByteSpan bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace teeharness::crypto
