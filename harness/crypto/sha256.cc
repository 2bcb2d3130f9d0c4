#include "harness/crypto/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <utility>

#include "harness/crypto/hex.h"

namespace teeharness::crypto {
namespace {

// Fetched once: EVP_sha256() would make OpenSSL 3 look the provider up again at every init.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex2(ctx_, Sha256Md(), nullptr) != 1) {
    // Only reachable when OpenSSL itself is broken (no memory or no default provider).
    throw std::runtime_error("OpenSSL SHA-256 unavailable");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256::Sha256(Sha256&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  std::swap(ctx_, other.ctx_);
  return *this;
}

void Sha256::Update(ByteSpan bytes) { EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()); }

Hash32 Sha256::Finish() {
  Hash32 digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx_, digest.data(), &size);
  EVP_DigestInit_ex2(ctx_, nullptr, nullptr);
  return digest;
}

Hash32 Sha256::Hash(ByteSpan bytes) {
  Hash32 digest{};
  // One-shot SHA256() is not deprecated in OpenSSL 3 and skips the context allocation.
  SHA256(bytes.data(), bytes.size(), digest.data());
  return digest;
}

std::string Sha256::HashHex(std::string_view bytes) { return EncodeHex(Hash(bytes)); }

}  // namespace teeharness::crypto
