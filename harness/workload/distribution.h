#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::workload {

// A distribution of non-negative values: token counts (prompt and output lengths) or, in the mock,
// seconds (time to first token, per-token delay). Value type.
//   constant  value
//   uniform   [min, max]
//   normal    mean, sd, clipped to [min, max] (max 0: mean + 4 sd)
//   histogram (value, weight) buckets, usually read from a file (LoadHistogramFile)
struct Distribution {
  enum class Kind { kConstant, kUniform, kNormal, kHistogram };
  Kind kind = Kind::kConstant;
  double value = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double sd = 0;
  std::string histogram_file;                      // where the buckets came from (messages)
  std::vector<std::pair<double, double>> buckets;  // histogram: value -> weight (> 0)
};

// A small, fast generator with a fixed algorithm (splitmix64), so that a seed gives the same
// draws on every platform and standard library (std::normal_distribution does not promise that).
// Not thread-safe: one per thread or per request.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  double Uniform01();  // [0, 1)

 private:
  uint64_t state_;
};

// The generator for item `index` of a stream seeded with `seed`: independent of the order in
// which items are drawn, so that prompt i is the same whichever worker builds it.
SplitMix64 GeneratorFor(uint64_t seed, uint64_t index);

// One draw. Normal is clipped to [min, max]; histogram picks a bucket by weight. Deterministic for
// a given generator state.
double Sample(const Distribution& distribution, SplitMix64& generator);

// A token count drawn from `distribution`: rounded to the nearest integer, at least 1.
uint32_t SampleTokens(const Distribution& distribution, SplitMix64& generator);

// Checks the parameters (min <= max, sd >= 0, non-empty histogram with positive weights); the
// message names the offending field.
Result<bool> ValidateDistribution(const Distribution& distribution);

}  // namespace teeharness::workload
