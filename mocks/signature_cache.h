#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace teeharness::mocks {

// What the mock keeps per completion (the body of GET /v1/signature/{id} for each algorithm).
struct CachedSignature {
  std::string text;
  std::string ecdsa_signature;
  std::string ecdsa_address;
  std::string ed25519_signature;
  std::string ed25519_public_key;
  std::string signature_kind;  // near 2026: "provider_tee" or "gateway" ("" = not sent)
  std::string error_code;      // non-empty: 200 {"error_code"} instead of a signature
};

// The deployed servers' in-memory signature cache: TTL from when the response was generated, a
// capacity cap with LRU eviction (so under load signatures vanish before their time, as in the
// field), and an optional delay before an entry becomes visible (the race right after [DONE]).
// Thread-safe (one mutex; lookups and inserts are O(1)).
class SignatureCache {
 public:
  using Clock = std::chrono::steady_clock;

  SignatureCache(Clock::duration ttl, size_t capacity, Clock::duration ready_delay)
      : ttl_(ttl), capacity_(capacity), ready_delay_(ready_delay) {}

  // `ttl` overrides the cache's TTL for this entry (the early_expiry fault).
  void Put(const std::string& chat_id, CachedSignature signature, Clock::time_point now,
           std::optional<Clock::duration> ttl = std::nullopt);
  // nullopt when unknown, not ready yet, expired or evicted.
  std::optional<CachedSignature> Get(const std::string& chat_id, Clock::time_point now);

  size_t size() const;
  uint64_t evictions() const;
  uint64_t expirations() const;

 private:
  struct Entry {
    CachedSignature signature;
    Clock::time_point ready_at;
    Clock::time_point expires_at;
    std::list<std::string>::iterator lru;
  };
  void EvictExpiredLocked(Clock::time_point now);

  const Clock::duration ttl_;
  const size_t capacity_;
  const Clock::duration ready_delay_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // front = most recently used
  uint64_t evictions_ = 0;
  uint64_t expirations_ = 0;
};

}  // namespace teeharness::mocks
