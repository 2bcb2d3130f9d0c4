#include "harness/crypto/sha384.h"

#include <openssl/evp.h>

#include <memory>

namespace teeharness::crypto {
namespace {

// Fetched once: EVP_sha384() would make OpenSSL 3 look the provider up again at every init.
const EVP_MD* Sha384Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  return md;
}

struct CtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Hash48 Sha384(std::initializer_list<ByteSpan> parts) {
  Hash48 digest{};
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  // Allocation or provider failure leaves the all-zero digest, which no comparison accepts as
  // a replayed register or event digest of real data.
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), Sha384Md(), nullptr) != 1) return digest;
  for (ByteSpan part : parts) EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &size);
  return digest;
}

}  // namespace teeharness::crypto
