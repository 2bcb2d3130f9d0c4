#include "harness/attestation/pki/signature_memo.h"

#include "harness/attestation/pki/signed_object.h"
#include "harness/crypto/sha256.h"

namespace teeharness::attestation::pki {

bool SignatureMemo::Verifies(crypto::ByteSpan der, const Certificate& issuer) {
  // Length-prefixed, so that no two different pairs hash the same input.
  crypto::Sha256 hasher;
  uint8_t size[8];
  for (int i = 0; i < 8; ++i) size[i] = static_cast<uint8_t>(uint64_t{der.size()} >> (8 * i));
  hasher.Update(crypto::ByteSpan(size, sizeof(size)));
  hasher.Update(der);
  hasher.Update(issuer.der());
  const crypto::Hash32 digest = hasher.Finish();
  std::string key(digest.begin(), digest.end());
  {
    std::lock_guard lock(mutex_);
    if (verified_.count(key) != 0) return true;
  }
  if (!IssuerSignatureVerifies(der, issuer)) return false;
  std::lock_guard lock(mutex_);
  if (verified_.size() >= max_entries_) verified_.clear();
  verified_.insert(std::move(key));
  return true;
}

}  // namespace teeharness::attestation::pki
