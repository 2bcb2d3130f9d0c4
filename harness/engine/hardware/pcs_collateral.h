#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "harness/attestation/collateral/collateral_store.h"
#include "harness/attestation/verify/verifier_cache.h"

namespace teeharness::engine {

// Collateral for each quote's platform (FMSPC, PCK CA) from a PCS v4 service, through the
// CollateralStore's memory and disk cache, without ever blocking a worker's loop: the run fetches
// its target's platform before the first phase (Prefetch); a platform first seen mid-run starts a
// background fetch, and until it completes that platform's quotes are verified without collateral
// (QUOTE-TCB skipped, saying why). A failed fetch is kept, not retried per quote: its error (URL
// and status) is the skip reason. Thread-safe.
class PcsCollateral {
 public:
  explicit PcsCollateral(attestation::CollateralStoreOptions options);
  ~PcsCollateral();  // waits for a fetch still running (bounded by the HTTP timeouts)

  struct Lookup {
    std::shared_ptr<const attestation::Collateral> collateral;  // null: none (yet)
    std::string problem;  // why there is none: fetching, or the fetch's error
  };

  // The collateral for the platform of a quote whose PCK chain is `pck_pem`, as of `at`.
  // Never blocks on the network.
  Lookup For(const std::string& pck_pem, attestation::VerifierCache& cache, int64_t at);

  // Starts fetching the platform of `quote` and waits for it until `deadline` at most (start-up
  // only; a fetch still running then completes in the background).
  void Prefetch(crypto::ByteSpan quote, attestation::VerifierCache& cache, int64_t at,
                std::chrono::steady_clock::time_point deadline);

  const std::string& base_url() const { return store_.base_url(); }
  attestation::CollateralStore::Stats stats() const { return store_.stats(); }

 private:
  using Fetched = Result<std::shared_ptr<const attestation::Collateral>>;
  struct Platform {
    std::string problem;  // the PCK chain names no platform
    std::string name;     // "fmspc/ca", the store's key
    attestation::CollateralKey key;
    std::shared_future<Fetched> fetch;
  };
  Platform PlatformOf(const std::string& pck_pem, attestation::VerifierCache& cache, int64_t at);

  attestation::CollateralStore store_;
  std::mutex mutex_;
  std::map<std::string, Platform> by_pem_;  // by mutex_; bounded like the PCK chain cache
};

}  // namespace teeharness::engine
