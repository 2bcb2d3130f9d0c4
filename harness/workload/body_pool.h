#pragma once

#include <vector>

#include "harness/workload/request_source.h"

namespace teeharness::workload {

// Bodies built before the run, sent in a fixed order (identity or a permutation), cycling.
// Thread-safe (immutable after construction).
class BodyPool : public RequestSource {
 public:
  BodyPool(std::vector<PreparedBody> bodies, std::vector<uint32_t> order, std::string_view kind)
      : bodies_(std::move(bodies)), order_(std::move(order)), kind_(kind) {}

  Result<BodyRef> Body(uint64_t sequence) const override;
  uint64_t distinct() const override { return bodies_.size(); }
  std::string_view kind() const override { return kind_; }

 private:
  std::vector<PreparedBody> bodies_;
  std::vector<uint32_t> order_;  // empty: sequential
  std::string_view kind_;
};

// 0..n-1 shuffled by `seed` (Fisher-Yates over SplitMix64: the same on every platform).
std::vector<uint32_t> ShuffledOrder(uint32_t n, uint64_t seed);

}  // namespace teeharness::workload
