#include "harness/attestation/pki/certificate_pool.h"

namespace teeharness::attestation::pki {

Result<Certificate> CertificatePool::FromDer(crypto::ByteSpan der) {
  std::string key(der.begin(), der.end());
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_der_.find(key); it != by_der_.end()) return it->second;
  }
  // Parsed outside the lock; a certificate that does not parse is not remembered (its error is
  // the caller's evidence each time).
  Result<Certificate> parsed = Certificate::FromDer(der);
  if (!parsed.ok()) return parsed;
  std::lock_guard lock(mutex_);
  if (by_der_.size() >= max_entries_) by_der_.clear();
  by_der_.emplace(std::move(key), *parsed);
  return parsed;
}

void CertificatePool::Add(const Certificate& certificate) {
  std::string key(certificate.der().begin(), certificate.der().end());
  std::lock_guard lock(mutex_);
  if (by_der_.size() >= max_entries_) by_der_.clear();
  by_der_.emplace(std::move(key), certificate);
}

}  // namespace teeharness::attestation::pki
