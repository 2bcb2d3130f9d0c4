#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>

namespace teeharness::engine {

// Counts `key` in `counts`; once `max_distinct` keys are held, a new key is counted under
// `overflow` instead, so that a server sending another value every time cannot grow a summary
// without bound and nothing counted is lost. Not thread-safe (the caller holds its lock).
template <typename Key>
void CountBounded(std::map<Key, uint64_t>& counts, Key key, size_t max_distinct,
                  const Key& overflow) {
  if (counts.count(key) == 0 && counts.size() >= max_distinct) key = overflow;
  ++counts[std::move(key)];
}

}  // namespace teeharness::engine
