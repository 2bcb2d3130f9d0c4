#include "harness/attestation/gpu/gpu_chain_cache.h"

namespace teeharness::attestation::gpu {

std::shared_ptr<const GpuChainEntry> ParseGpuChain(std::string_view pem) {
  auto entry = std::make_shared<GpuChainEntry>();
  Result<std::vector<pki::Certificate>> chain = pki::ParsePemChain(pem);
  if (chain.ok()) {
    entry->chain = std::move(chain).value();
  } else {
    entry->problem = "GPU certificate chain: " + chain.error();
  }
  return entry;
}

std::shared_ptr<const GpuChainEntry> GpuChainCache::Chain(std::string_view pem) {
  const std::string key(pem);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = chains_.find(key); it != chains_.end()) return it->second;
  }
  std::shared_ptr<const GpuChainEntry> entry = ParseGpuChain(pem);
  std::lock_guard<std::mutex> lock(mutex_);
  if (chains_.size() >= kMaxChains) chains_.clear();
  chains_.emplace(key, entry);
  return entry;
}

}  // namespace teeharness::attestation::gpu
