#include "harness/attestation/verify/verifier_cache.h"

#include <algorithm>

#include "harness/attestation/pki/ecdsa.h"

namespace teeharness::attestation {
namespace {

// A collateral piece signed by the leaf of `issuer_chain`, which must chain to `root` (the root CA
// CRL applies). Returns the problem, or "" when it verifies.
std::string CheckSigned(const char* what, std::string_view json, crypto::ByteSpan signature,
                        std::string_view issuer_chain, const pki::Certificate& root,
                        const pki::Crl* root_crl, int64_t at, pki::ChainCache* chains,
                        pki::CertificatePool* pool, int64_t& not_after) {
  Result<std::vector<pki::Certificate>> chain =
      pool ? pki::ParsePemChain(issuer_chain, *pool) : pki::ParsePemChain(issuer_chain);
  if (!chain.ok()) return std::string(what) + " issuer chain: " + chain.error();
  pki::ChainOptions options;
  options.at = at;
  if (root_crl) options.crls = {root_crl};
  Result<pki::ChainVerdict> verdict =
      chains ? chains->Verify(*chain, root, options) : pki::VerifyChain(*chain, root, options);
  if (!verdict.ok()) return std::string(what) + " issuer chain: " + verdict.error();
  not_after = std::min(not_after, verdict->earliest_not_after);
  if (!pki::VerifyWithCertificate(chain->front(), crypto::AsBytes(json), signature)) {
    return std::string(what) + " signature does not verify with " + chain->front().subject();
  }
  return "";
}

}  // namespace

std::shared_ptr<const CollateralEval> EvaluateCollateral(const attestation::Collateral& c,
                                                         const pki::Certificate& root, int64_t at,
                                                         pki::ChainCache* chains,
                                                         pki::CertificatePool* pool) {
  if (pool) pool->Add(root);
  auto eval = std::make_shared<CollateralEval>();
  Result<pki::Crl> pck_crl = pki::Crl::FromDer(c.pck_crl);
  Result<pki::Crl> root_crl = pki::Crl::FromDer(c.root_ca_crl);
  if (!pck_crl.ok()) {
    eval->crl_problem = "PCK CRL: " + pck_crl.error();
  } else if (!root_crl.ok()) {
    eval->crl_problem = "root CA CRL: " + root_crl.error();
  } else {
    eval->pck_crl.emplace(std::move(pck_crl).value());
    eval->root_crl.emplace(std::move(root_crl).value());
  }
  const pki::Crl* root_crl_ptr = eval->root_crl ? &*eval->root_crl : nullptr;
  eval->qe_problem =
      CheckSigned("QE identity", c.qe_identity, c.qe_identity_signature, c.qe_identity_issuer_chain,
                  root, root_crl_ptr, at, chains, pool, eval->not_after);
  if (eval->qe_problem.empty()) {
    Result<QeIdentity> identity = ParseQeIdentity(c.qe_identity);
    if (identity.ok()) {
      eval->qe_identity = std::move(identity).value();
    } else {
      eval->qe_problem = "QE identity: " + identity.error();
    }
  }
  eval->tcb_problem =
      CheckSigned("TCB info", c.tcb_info, c.tcb_info_signature, c.tcb_info_issuer_chain, root,
                  root_crl_ptr, at, chains, pool, eval->not_after);
  if (eval->tcb_problem.empty()) {
    Result<TcbInfo> info = ParseTcbInfo(c.tcb_info);
    if (info.ok()) {
      eval->tcb_info = std::move(info).value();
    } else {
      eval->tcb_problem = "TCB info: " + info.error();
    }
  }
  return eval;
}

std::shared_ptr<const PckChainEntry> VerifierCache::PckChain(const std::string& pem) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = pck_.find(pem); it != pck_.end()) return it->second;
  }
  auto entry = std::make_shared<PckChainEntry>();
  Result<std::vector<pki::Certificate>> chain = pki::ParsePemChain(pem, certificates_);
  if (!chain.ok()) {
    entry->problem = "PCK certificate chain: " + chain.error();
  } else {
    entry->chain = std::move(chain).value();
    Result<pki::PckExtensions> ext = pki::ParsePckExtensions(entry->chain.front());
    if (ext.ok()) {
      entry->extensions = std::move(ext).value();
    } else {
      entry->problem = "PCK certificate SGX extensions: " + ext.error();
    }
  }
  std::lock_guard lock(mutex_);
  if (pck_.size() >= kMaxPckChains) pck_.clear();  // bounded; a real fleet has few platforms
  pck_.emplace(pem, entry);
  return entry;
}

std::shared_ptr<const CollateralEval> VerifierCache::Collateral(
    const attestation::Collateral& collateral, const pki::Certificate& root, int64_t at) {
  {
    std::lock_guard lock(mutex_);
    if (last_eval_ && last_collateral_ == &collateral && last_root_ == &root && last_at_ == at) {
      return last_eval_;
    }
  }
  std::shared_ptr<const CollateralEval> eval =
      EvaluateCollateral(collateral, root, at, &chains_, &certificates_);
  std::lock_guard lock(mutex_);
  last_collateral_ = &collateral;
  last_root_ = &root;
  last_at_ = at;
  last_eval_ = eval;
  return eval;
}

}  // namespace teeharness::attestation
