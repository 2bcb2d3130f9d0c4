#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/collateral/collateral_key.h"
#include "harness/attestation/collateral/http_get.h"
#include "harness/attestation/collateral/pcs_client.h"
#include "harness/base/result.h"

namespace teeharness::attestation {

// $XDG_CACHE_HOME/teeharness/collateral (when absolute, as the XDG spec requires), else
// $HOME/.cache/teeharness/collateral; "" when neither is set (then the cache is memory only).
std::string DefaultCollateralCacheDir();

struct CollateralStoreOptions {
  std::string base_url;   // a PCS v4 service (see PcsEndpoints)
  std::string cache_dir;  // "" = memory only; usually DefaultCollateralCacheDir()
  HttpGet http;           // null = CurlHttpGet()
  // Where the one warning about an unwritable cache directory goes. null = stderr.
  std::function<void(const std::string&)> warn;
};

// Collateral from one PCS v4 service, fetched once per (FMSPC, PCK CA) and kept in memory and on
// disk (one file per (base URL, FMSPC, ca), named by the SHA-256 of the three, holding dcap-qvl's
// QuoteCollateralV3 JSON plus a "teeharness_cache" member, so `attest verify --collateral FILE`
// reads it too). An entry serves verification time `at` while at <= its earliest nextUpdate
// (CollateralNextUpdate); a stale, unreadable or mismatched entry is refetched. Disk writes are
// atomic (temp file + rename); an unwritable directory is warned about once and the store keeps
// going in memory. Collateral that does not parse is handed back (the verifier rejects it) but
// never cached. Thread-safe: Get may be called from any thread; a miss fetches under a lock, so
// concurrent misses fetch once. The fetch is synchronous: call Get at start-up or at the first
// sight of an FMSPC, never per request.
class CollateralStore {
 public:
  explicit CollateralStore(CollateralStoreOptions options);

  // The collateral for `key` as valid at `at`: from memory, disk, or the service. A fetch failure
  // is an Error naming the URL and the HTTP status or transport error.
  Result<std::shared_ptr<const Collateral>> Get(const CollateralKey& key, int64_t at);

  const std::string& base_url() const { return endpoints_.base_url(); }
  struct Stats {
    int memory_hits = 0, disk_hits = 0, fetches = 0, fetch_failures = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::shared_ptr<const Collateral> collateral;
    int64_t next_update = 0;
  };
  std::string CacheKey(const CollateralKey& key) const;
  std::string CachePath(const std::string& cache_key) const;
  std::optional<Entry> FromMemory(const std::string& cache_key, int64_t at);
  std::optional<Entry> FromDisk(const std::string& cache_key, const CollateralKey& key, int64_t at);
  void ToDisk(const std::string& cache_key, const CollateralKey& key, const Entry& entry);
  void Warn(const std::string& message);

  const PcsEndpoints endpoints_;
  const std::string cache_dir_;
  const HttpGet http_;
  const std::function<void(const std::string&)> warn_;
  std::mutex fetch_mutex_;  // held across a miss: disk read, fetch, disk write
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // guarded by mutex_
  bool disk_writable_ = true;             // guarded by mutex_
  Stats stats_;                           // guarded by mutex_
};

}  // namespace teeharness::attestation
