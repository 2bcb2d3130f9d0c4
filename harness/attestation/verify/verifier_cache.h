#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/collateral/qe_identity.h"
#include "harness/attestation/collateral/tcb_info.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/certificate_pool.h"
#include "harness/attestation/pki/chain.h"
#include "harness/attestation/pki/crl.h"
#include "harness/attestation/pki/sgx_extensions.h"

namespace teeharness::attestation {

// What one piece of collateral comes to at one verification time: parsed, its issuer chain and
// signature checked. Immutable once built; shared between quotes.
struct CollateralEval {
  std::optional<pki::Crl> pck_crl, root_crl;
  std::string crl_problem;  // non-empty when a CRL cannot be parsed
  std::string qe_problem;   // signature, chain or parse problem of the QE identity
  std::optional<QeIdentity> qe_identity;
  std::string tcb_problem;
  std::optional<TcbInfo> tcb_info;
  int64_t not_after = INT64_MAX;  // the issuer chains' and CRLs' earliest expiry
};

// Evaluates `collateral` at `at` against `root`. Thread-safe (pure apart from `chains`, which is).
// `pool` (optional) parses each distinct issuer certificate once.
std::shared_ptr<const CollateralEval> EvaluateCollateral(const Collateral& collateral,
                                                         const pki::Certificate& root, int64_t at,
                                                         pki::ChainCache* chains,
                                                         pki::CertificatePool* pool = nullptr);

// A PCK chain as the quote carries it, parsed once per distinct PEM text.
struct PckChainEntry {
  std::string problem;  // the PEM or the SGX extension could not be parsed
  std::vector<pki::Certificate> chain;
  std::optional<pki::PckExtensions> extensions;
};

// What repeats across quotes of one run: parsed certificates and chain verdicts by certificate
// bytes, parsed PCK chains by their PEM text, and the collateral evaluation of the last
// (collateral, time, root). A warm quote then costs its parse and its two P-256 verifications.
// Thread-safe (internal mutexes; work runs outside them).
class VerifierCache {
 public:
  std::shared_ptr<const PckChainEntry> PckChain(const std::string& pem);
  std::shared_ptr<const CollateralEval> Collateral(const attestation::Collateral& collateral,
                                                   const pki::Certificate& root, int64_t at);
  pki::ChainCache& chains() { return chains_; }
  pki::CertificatePool& certificates() { return certificates_; }

 private:
  static constexpr size_t kMaxPckChains = 256;
  pki::ChainCache chains_;
  pki::CertificatePool certificates_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const PckChainEntry>> pck_;  // by mutex_
  const attestation::Collateral* last_collateral_ = nullptr;                   // by mutex_
  const pki::Certificate* last_root_ = nullptr;                                // by mutex_
  int64_t last_at_ = 0;                                                        // by mutex_
  std::shared_ptr<const CollateralEval> last_eval_;                            // by mutex_
};

}  // namespace teeharness::attestation
