#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/chain.h"

namespace teeharness::attestation::gpu {

// A GPU's certificate chain as its evidence carries it, parsed once per distinct PEM text.
struct GpuChainEntry {
  std::string problem;  // non-empty when the PEM could not be parsed
  std::vector<pki::Certificate> chain;
};

// What repeats across the GPU evidences of a run: parsed chains by their PEM text and chain
// verdicts by certificate bytes (pki::ChainCache). A warm GPU then costs its SPDM parse and one
// P-384 verification. Bounded (cleared when full). Thread-safe (internal mutex; parsing runs
// outside it).
class GpuChainCache {
 public:
  std::shared_ptr<const GpuChainEntry> Chain(std::string_view pem);
  pki::ChainCache& verdicts() { return verdicts_; }

 private:
  static constexpr size_t kMaxChains = 256;
  pki::ChainCache verdicts_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const GpuChainEntry>> chains_;  // by mutex_
};

// Parses `pem` without a cache. Thread-safe.
std::shared_ptr<const GpuChainEntry> ParseGpuChain(std::string_view pem);

}  // namespace teeharness::attestation::gpu
