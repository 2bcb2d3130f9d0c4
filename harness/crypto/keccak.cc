#include "harness/crypto/keccak.h"

#include <cryptopp/keccak.h>

#include <charconv>

namespace teeharness::crypto {

Hash32 Keccak256(ByteSpan bytes) {
  CryptoPP::Keccak_256 keccak;
  keccak.Update(bytes.data(), bytes.size());
  Hash32 digest{};
  keccak.Final(digest.data());
  return digest;
}

Hash32 Eip191Digest(std::string_view message) {
  static constexpr std::string_view kPrefix =
      "\x19"
      "Ethereum Signed Message:\n";
  char length[24];
  const auto [end, ec] = std::to_chars(length, length + sizeof(length), message.size());
  CryptoPP::Keccak_256 keccak;
  keccak.Update(reinterpret_cast<const uint8_t*>(kPrefix.data()), kPrefix.size());
  keccak.Update(reinterpret_cast<const uint8_t*>(length), end - length);
  keccak.Update(reinterpret_cast<const uint8_t*>(message.data()), message.size());
  Hash32 digest{};
  keccak.Final(digest.data());
  return digest;
}

}  // namespace teeharness::crypto
