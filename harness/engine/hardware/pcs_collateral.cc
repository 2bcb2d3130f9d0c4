#include "harness/engine/hardware/pcs_collateral.h"

#include <chrono>

#include "harness/attestation/quote/tdx_quote.h"
#include "harness/crypto/hex.h"

namespace teeharness::engine {
namespace {

constexpr size_t kMaxPlatforms = 256;

}  // namespace

PcsCollateral::PcsCollateral(attestation::CollateralStoreOptions options)
    : store_(std::move(options)) {}

PcsCollateral::~PcsCollateral() {
  std::lock_guard lock(mutex_);
  for (auto& [pem, platform] : by_pem_) {
    if (platform.fetch.valid()) platform.fetch.wait();
  }
}

PcsCollateral::Platform PcsCollateral::PlatformOf(const std::string& pck_pem,
                                                  attestation::VerifierCache& cache, int64_t at) {
  std::unique_lock lock(mutex_);
  auto it = by_pem_.find(pck_pem);
  if (it == by_pem_.end()) {
    if (by_pem_.size() >= kMaxPlatforms) {
      for (auto& [pem, platform] : by_pem_) {
        if (platform.fetch.valid()) platform.fetch.wait();
      }
      by_pem_.clear();
    }
    Platform platform;
    const std::shared_ptr<const attestation::PckChainEntry> chain = cache.PckChain(pck_pem);
    Result<attestation::CollateralKey> key =
        chain->chain.empty() ? Result<attestation::CollateralKey>(Error{chain->problem})
                             : attestation::CollateralKeyFromPckChain(chain->chain);
    if (!key.ok()) {
      platform.problem = "no collateral: " + key.error();
    } else {
      platform.key = *key;
      platform.name =
          crypto::EncodeHex(key->fmspc) + "/" + std::string(attestation::PckCaName(key->ca));
      // The fetch runs on its own thread: a worker's loop never waits for the network.
      attestation::CollateralStore* store = &store_;
      platform.fetch = std::async(std::launch::async, [store, key = *key, at] {
                         return store->Get(key, at);
                       }).share();
    }
    it = by_pem_.emplace(pck_pem, std::move(platform)).first;
  }
  Platform platform = it->second;  // a copy: the map may be cleared once the lock is released
  return platform;
}

PcsCollateral::Lookup PcsCollateral::For(const std::string& pck_pem,
                                         attestation::VerifierCache& cache, int64_t at) {
  const Platform platform = PlatformOf(pck_pem, cache, at);
  if (!platform.problem.empty()) return {nullptr, platform.problem};
  if (platform.fetch.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return {nullptr, "collateral for platform " + platform.name + " is being fetched from " +
                         store_.base_url() + " (first seen during the run)"};
  }
  const Fetched& fetched = platform.fetch.get();
  if (!fetched.ok()) return {nullptr, "collateral unavailable: " + fetched.error()};
  return {*fetched, ""};
}

void PcsCollateral::Prefetch(crypto::ByteSpan quote, attestation::VerifierCache& cache, int64_t at,
                             std::chrono::steady_clock::time_point deadline) {
  Result<attestation::TdxQuote> parsed = attestation::ParseTdxQuote(quote);
  if (!parsed.ok()) return;
  Result<attestation::QuoteSignature> signature = attestation::ParseQuoteSignature(quote, *parsed);
  if (!signature.ok()) return;
  const Platform platform = PlatformOf(signature->pck_chain_pem, cache, at);
  if (platform.fetch.valid()) platform.fetch.wait_until(deadline);
}

}  // namespace teeharness::engine
