#pragma once

#include <string>
#include <string_view>

#include "harness/crypto/bytes.h"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace teeharness::crypto {

// Streaming SHA-256 (OpenSSL). Response bodies are fed chunk by chunk as they arrive, so the hash
// of the exact bytes received is ready when the transfer ends without keeping the body. Not
// thread-safe: one instance per stream. Movable, not copyable.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(ByteSpan bytes);
  void Update(std::string_view bytes) { Update(AsBytes(bytes)); }
  // Returns the digest and resets the instance for a new message.
  Hash32 Finish();

  static Hash32 Hash(ByteSpan bytes);
  static Hash32 Hash(std::string_view bytes) { return Hash(AsBytes(bytes)); }
  static std::string HashHex(std::string_view bytes);

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace teeharness::crypto
