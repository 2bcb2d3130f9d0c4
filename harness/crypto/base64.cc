#include "harness/crypto/base64.h"

#include <array>

namespace teeharness::crypto {
namespace {

constexpr std::array<int8_t, 256> MakeTable() {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}
constexpr std::array<int8_t, 256> kTable = MakeTable();

}  // namespace

Result<Bytes> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0)
    return MakeError("base64 length ", text.size(), " is not a multiple of 4");
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  Bytes out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      const bool pad_position = i + 4 == text.size() && j >= 4 - padding;
      const int value = pad_position ? 0 : kTable[static_cast<unsigned char>(c)];
      if (value < 0 || (c == '=' && !pad_position)) {
        return MakeError("invalid base64 character at position ", i + j);
      }
      group = group << 6 | static_cast<uint32_t>(value);
    }
    out.push_back(static_cast<uint8_t>(group >> 16));
    out.push_back(static_cast<uint8_t>(group >> 8));
    out.push_back(static_cast<uint8_t>(group));
  }
  out.resize(out.size() - padding);
  return out;
}

std::string EncodeBase64(ByteSpan bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const uint32_t n = bytes[i] << 16 | (i + 1 < bytes.size() ? bytes[i + 1] << 8 : 0) |
                       (i + 2 < bytes.size() ? bytes[i + 2] : 0);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += i + 1 < bytes.size() ? kAlphabet[n >> 6 & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

}  // namespace teeharness::crypto
