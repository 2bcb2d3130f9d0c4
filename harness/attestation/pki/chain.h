#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/crl.h"
#include "harness/attestation/pki/signature_memo.h"
#include "harness/base/result.h"

namespace teeharness::attestation::pki {

struct ChainOptions {
  int64_t at = 0;                // Verification time, unix seconds (never the wall clock here).
  std::vector<const Crl*> crls;  // Each must be signed by a cert of the chain (or the root) and
                                 // current at `at`. Not owned; must outlive the call.
  // Optional: signatures already verified (by another chain sharing a certificate or CRL) are not
  // verified again. ChainCache::Verify supplies its own. Not owned.
  SignatureMemo* signatures = nullptr;
};

struct ChainVerdict {
  // The verdict holds until this time (inclusive): min over every certificate's notAfter
  // (root included) and every CRL's nextUpdate.
  int64_t earliest_not_after = 0;
  // ... and from this time on (inclusive): max over notBefore and CRL thisUpdate.
  int64_t latest_not_before = 0;
};

// Verifies a certificate chain against one trust anchor at an explicit time. `chain` is leaf first,
// ending at the root or just below it. Checks, in order, each error naming the certificate by
// index and subject:
//  1. the top equals `trusted_root` byte for byte (DER), or else is issued and signed by it;
//  2. each certificate's issuer name equals the next one's subject and its signature verifies
//     with the next one's key;
//  3. every certificate, root included, is valid at `at` (notBefore <= at <= notAfter);
//  4. every CA (all but the leaf) has basicConstraints CA:TRUE, keyCertSign if it has keyUsage,
//     and a pathLenConstraint (if any) not exceeded by the CAs below it;
//  5. each CRL is signed by the chain certificate whose subject is the CRL's issuer (that cert
//     must have cRLSign if it has keyUsage), is current (thisUpdate <= at <= nextUpdate), and
//     lists none of the certificates below that CA which name it as issuer.
// Thread-safe (no shared state).
Result<ChainVerdict> VerifyChain(const std::vector<Certificate>& chain,
                                 const Certificate& trusted_root, const ChainOptions& options);

// Memoizes successful VerifyChain results by the SHA-256 of (chain DERs, CRL DERs, root DER), so a
// load test presenting the same PCK chain per quote pays for the signatures once. A hit re-checks
// only the time window [latest_not_before, earliest_not_after]; outside it (or on a miss) the full
// verification runs again, so errors are always VerifyChain's. Failures are not cached. Bounded:
// the cache is cleared when it reaches `max_entries`. Thread-safe (internal mutex; verification
// runs outside the lock).
class ChainCache {
 public:
  explicit ChainCache(size_t max_entries = 1024) : max_entries_(max_entries) {}

  Result<ChainVerdict> Verify(const std::vector<Certificate>& chain,
                              const Certificate& trusted_root, const ChainOptions& options);

  size_t size() const;
  size_t hits() const;

 private:
  size_t max_entries_;
  SignatureMemo signatures_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, ChainVerdict> verdicts_;  // Guarded by mutex_.
  size_t hits_ = 0;                                         // Guarded by mutex_.
};

}  // namespace teeharness::attestation::pki
