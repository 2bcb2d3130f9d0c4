#include "mocks/signature_cache.h"

namespace teeharness::mocks {

void SignatureCache::Put(const std::string& chat_id, CachedSignature signature,
                         Clock::time_point now, std::optional<Clock::duration> ttl) {
  std::lock_guard lock(mutex_);
  EvictExpiredLocked(now);
  if (auto it = entries_.find(chat_id); it != entries_.end()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  while (entries_.size() >= capacity_ && !lru_.empty()) {
    entries_.erase(lru_.back());
    lru_.pop_back();
    ++evictions_;
  }
  lru_.push_front(chat_id);
  entries_.emplace(chat_id, Entry{std::move(signature), now + ready_delay_,
                                  now + ttl.value_or(ttl_), lru_.begin()});
}

std::optional<CachedSignature> SignatureCache::Get(const std::string& chat_id,
                                                   Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(chat_id);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.expires_at) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    ++expirations_;
    return std::nullopt;
  }
  if (now < it->second.ready_at) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.signature;
}

void SignatureCache::EvictExpiredLocked(Clock::time_point now) {
  // Entries expire in insertion order (one TTL), so the oldest sit at the back unless touched;
  // checking a few from the back keeps the cost per insert constant.
  for (int i = 0; i < 4 && !lru_.empty(); ++i) {
    const auto it = entries_.find(lru_.back());
    if (it == entries_.end() || now < it->second.expires_at) break;
    entries_.erase(it);
    lru_.pop_back();
    ++expirations_;
  }
}

size_t SignatureCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

uint64_t SignatureCache::evictions() const {
  std::lock_guard lock(mutex_);
  return evictions_;
}

uint64_t SignatureCache::expirations() const {
  std::lock_guard lock(mutex_);
  return expirations_;
}

}  // namespace teeharness::mocks
