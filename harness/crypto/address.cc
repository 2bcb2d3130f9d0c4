#include "harness/crypto/address.h"

#include <algorithm>
#include <cctype>

#include "harness/crypto/hex.h"
#include "harness/crypto/keccak.h"

namespace teeharness::crypto {

std::string ToLowerAddress(const Address20& address) { return "0x" + EncodeHex(address); }

std::string ToChecksumAddress(const Address20& address) {
  std::string lower = EncodeHex(address);
  const Hash32 hash = Keccak256(std::string_view(lower));
  // EIP-55: a letter is upper case when the matching nibble of keccak256(lowercase hex) is >= 8.
  for (size_t i = 0; i < lower.size(); ++i) {
    const uint8_t nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0xf;
    if (std::isalpha(static_cast<unsigned char>(lower[i])) && nibble >= 8) {
      lower[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(lower[i])));
    }
  }
  return "0x" + lower;
}

Result<Address20> ParseAddress(std::string_view text) {
  Result<Bytes> bytes = DecodeHexExact(text, 20);
  if (!bytes.ok()) return MakeError("address: ", bytes.error());
  const std::string_view digits = text.substr(HasHexPrefix(text) ? 2 : 0);
  const bool has_lower = std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'a'; });
  const bool has_upper =
      std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  Address20 address{};
  std::copy(bytes->begin(), bytes->end(), address.begin());
  if (has_lower && has_upper) {
    const std::string expected = ToChecksumAddress(address);
    if (digits != std::string_view(expected).substr(2)) {
      return MakeError("address: EIP-55 checksum mismatch (mixed case should read ", expected, ")");
    }
  }
  return address;
}

bool SameAddress(std::string_view a, std::string_view b) {
  Result<Address20> left = ParseAddress(a);
  Result<Address20> right = ParseAddress(b);
  return left.ok() && right.ok() && *left == *right;
}

}  // namespace teeharness::crypto
