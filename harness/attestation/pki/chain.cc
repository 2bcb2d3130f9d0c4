#include "harness/attestation/pki/chain.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <limits>

#include "harness/attestation/pki/pki_time.h"
#include "harness/attestation/pki/signed_object.h"
#include "harness/crypto/sha256.h"

namespace teeharness::attestation::pki {
namespace {

// "certificate 1 (CN=...)", or "the trusted root (CN=...)" for an anchor not in the chain.
std::string Describe(const std::vector<const Certificate*>& full, size_t index, size_t chain_size) {
  if (index >= chain_size) return "the trusted root (" + full[index]->subject() + ")";
  return "certificate " + std::to_string(index) + " (" + full[index]->subject() + ")";
}

bool NamesEqual(const X509_NAME* a, const X509_NAME* b) {
  return a != nullptr && b != nullptr && X509_NAME_cmp(a, b) == 0;
}

bool SignedBy(crypto::ByteSpan der, const Certificate& issuer, SignatureMemo* memo) {
  return memo ? memo->Verifies(der, issuer) : IssuerSignatureVerifies(der, issuer);
}

}  // namespace

Result<ChainVerdict> VerifyChain(const std::vector<Certificate>& chain,
                                 const Certificate& trusted_root, const ChainOptions& options) {
  if (chain.empty()) return MakeError("empty certificate chain");
  const int64_t at = options.at;

  // 1. Anchor: the whole chain as pointers, with the root appended when the chain stops below it.
  std::vector<const Certificate*> full;
  full.reserve(chain.size() + 1);
  for (const Certificate& cert : chain) full.push_back(&cert);
  const size_t top = chain.size() - 1;
  if (chain[top].der() != trusted_root.der()) {
    const bool issued = NamesEqual(X509_get_issuer_name(chain[top].get()),
                                   X509_get_subject_name(trusted_root.get()));
    if (!issued || !SignedBy(chain[top].der(), trusted_root, options.signatures)) {
      return MakeError(Describe(full, top, chain.size()),
                       " is neither the trusted root nor issued and signed by it (",
                       trusted_root.subject(), ")");
    }
    full.push_back(&trusted_root);
  }

  // 2. Links: names and signatures, leaf upwards. (The anchor's link was checked above.)
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    const Certificate& cert = *full[i];
    const Certificate& issuer = *full[i + 1];
    if (!NamesEqual(X509_get_issuer_name(cert.get()), X509_get_subject_name(issuer.get()))) {
      return MakeError(Describe(full, i, chain.size()), " names issuer ", cert.issuer(),
                       " but the next certificate is ", issuer.subject());
    }
    if (!SignedBy(cert.der(), issuer, options.signatures)) {
      return MakeError(Describe(full, i, chain.size()),
                       " has a signature that does not verify with ",
                       Describe(full, i + 1, chain.size()), "'s key");
    }
  }

  // 3. Validity windows.
  ChainVerdict verdict{std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
  for (size_t i = 0; i < full.size(); ++i) {
    const Certificate& cert = *full[i];
    if (at < cert.not_before()) {
      return MakeError(Describe(full, i, chain.size()), " is not valid before ",
                       FormatRfc3339(cert.not_before()), " (verification time ", FormatRfc3339(at),
                       ")");
    }
    if (at > cert.not_after()) {
      return MakeError(Describe(full, i, chain.size()), " expired at ",
                       FormatRfc3339(cert.not_after()), " (verification time ", FormatRfc3339(at),
                       ")");
    }
    verdict.earliest_not_after = std::min(verdict.earliest_not_after, cert.not_after());
    verdict.latest_not_before = std::max(verdict.latest_not_before, cert.not_before());
  }

  // 4. CA constraints for everything above the leaf.
  for (size_t i = 1; i < full.size(); ++i) {
    const Certificate& cert = *full[i];
    int critical = 0;
    auto* constraints = static_cast<BASIC_CONSTRAINTS*>(
        X509_get_ext_d2i(cert.get(), NID_basic_constraints, &critical, nullptr));
    const bool is_ca = constraints != nullptr && constraints->ca != 0;
    long path_length = -1;  // -1: unlimited.
    if (is_ca && constraints->pathlen != nullptr) {
      path_length = ASN1_INTEGER_get(constraints->pathlen);
    }
    BASIC_CONSTRAINTS_free(constraints);
    if (!is_ca) {
      return MakeError(Describe(full, i, chain.size()),
                       " issues certificates but lacks basicConstraints CA:TRUE");
    }
    // CAs strictly between this one and the leaf (self-issued certificates would not count, but
    // none of our chains has them).
    const long intermediates_below = static_cast<long>(i) - 1;
    if (path_length >= 0 && intermediates_below > path_length) {
      return MakeError(Describe(full, i, chain.size()), " has pathLenConstraint ", path_length,
                       " but ", intermediates_below, " CA certificates below it");
    }
    const uint32_t usage = X509_get_key_usage(cert.get());
    if (usage != UINT32_MAX && (usage & KU_KEY_CERT_SIGN) == 0) {
      return MakeError(Describe(full, i, chain.size()),
                       " issues certificates but its keyUsage lacks keyCertSign");
    }
  }

  // 5. Revocation.
  for (size_t c = 0; c < options.crls.size(); ++c) {
    const Crl* crl = options.crls[c];
    if (crl == nullptr) return MakeError("CRL ", c, " is null");
    const X509_NAME* crl_issuer = X509_CRL_get_issuer(crl->get());
    size_t ca = full.size();
    for (size_t i = 0; i < full.size(); ++i) {
      if (NamesEqual(crl_issuer, X509_get_subject_name(full[i]->get()))) {
        ca = i;
        break;
      }
    }
    if (ca == full.size()) {
      return MakeError("CRL of ", crl->issuer(), " is not issued by any certificate of the chain");
    }
    if (!SignedBy(crl->der(), *full[ca], options.signatures)) {
      return MakeError("CRL of ", crl->issuer(), " has a signature that does not verify with ",
                       Describe(full, ca, chain.size()), "'s key");
    }
    const uint32_t usage = X509_get_key_usage(full[ca]->get());
    if (usage != UINT32_MAX && (usage & KU_CRL_SIGN) == 0) {
      return MakeError("CRL of ", crl->issuer(), " is signed by ", Describe(full, ca, chain.size()),
                       " whose keyUsage lacks cRLSign");
    }
    if (at < crl->this_update()) {
      return MakeError("CRL of ", crl->issuer(), " is not valid before ",
                       FormatRfc3339(crl->this_update()), " (verification time ", FormatRfc3339(at),
                       ")");
    }
    if (at > crl->next_update()) {
      return MakeError("CRL of ", crl->issuer(), " expired at ", FormatRfc3339(crl->next_update()),
                       " (verification time ", FormatRfc3339(at), ")");
    }
    for (size_t i = 0; i < ca; ++i) {
      const Certificate& cert = *full[i];
      if (NamesEqual(X509_get_issuer_name(cert.get()), crl_issuer) && crl->Lists(cert)) {
        return MakeError("certificate ", cert.subject(), " serial ", cert.serial_hex(),
                         " is revoked by the CRL of ", crl->issuer());
      }
    }
    verdict.earliest_not_after = std::min(verdict.earliest_not_after, crl->next_update());
    verdict.latest_not_before = std::max(verdict.latest_not_before, crl->this_update());
  }
  return verdict;
}

Result<ChainVerdict> ChainCache::Verify(const std::vector<Certificate>& chain,
                                        const Certificate& trusted_root,
                                        const ChainOptions& options) {
  // Length-prefixed sections, so different splits of the same bytes never collide.
  crypto::Sha256 hasher;
  auto add = [&hasher](char section, const crypto::Bytes& der) {
    uint8_t header[9] = {static_cast<uint8_t>(section)};
    const uint64_t size = der.size();
    for (int i = 0; i < 8; ++i) header[1 + i] = static_cast<uint8_t>(size >> (8 * i));
    hasher.Update(crypto::ByteSpan(header, sizeof(header)));
    hasher.Update(der);
  };
  for (const Certificate& cert : chain) add('C', cert.der());
  for (const Crl* crl : options.crls) {
    if (crl == nullptr) return VerifyChain(chain, trusted_root, options);  // Reports the error.
    add('L', crl->der());
  }
  add('R', trusted_root.der());
  const crypto::Hash32 digest = hasher.Finish();
  std::string key(digest.begin(), digest.end());

  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = verdicts_.find(key);
    if (it != verdicts_.end() && options.at >= it->second.latest_not_before &&
        options.at <= it->second.earliest_not_after) {
      ++hits_;
      return it->second;
    }
  }
  ChainOptions with_memo = options;
  if (with_memo.signatures == nullptr) with_memo.signatures = &signatures_;
  auto verdict = VerifyChain(chain, trusted_root, with_memo);
  if (verdict.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (verdicts_.size() >= max_entries_) verdicts_.clear();
    verdicts_[key] = *verdict;
  }
  return verdict;
}

size_t ChainCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return verdicts_.size();
}

size_t ChainCache::hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return hits_;
}

}  // namespace teeharness::attestation::pki
