#include "harness/workload/body_pool.h"

#include <numeric>

#include "harness/workload/distribution.h"

namespace teeharness::workload {

Result<BodyRef> BodyPool::Body(uint64_t sequence) const {
  if (bodies_.empty()) return Error{"no request bodies"};
  const uint64_t slot = sequence % bodies_.size();
  BodyRef ref;
  ref.borrowed = &bodies_[order_.empty() ? slot : order_[slot]];
  return ref;
}

std::vector<uint32_t> ShuffledOrder(uint32_t n, uint64_t seed) {
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  SplitMix64 draws(seed);
  for (uint32_t i = n; i > 1; --i) std::swap(order[i - 1], order[draws.Next() % i]);
  return order;
}

}  // namespace teeharness::workload
