#include "harness/workload/distribution.h"

#include <algorithm>
#include <cmath>

namespace teeharness::workload {

uint64_t SplitMix64::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double SplitMix64::Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

SplitMix64 GeneratorFor(uint64_t seed, uint64_t index) {
  // Two rounds of mixing: neighbouring indices must not give correlated streams.
  SplitMix64 mix(seed ^ (index * 0xd1b54a32d192ed03ULL));
  return SplitMix64(mix.Next() ^ index);
}

namespace {

// Box-Muller: one standard normal draw from two uniforms.
double StandardNormal(SplitMix64& g) {
  const double u1 = 1.0 - g.Uniform01();  // (0, 1]: log(0) is not taken
  const double u2 = g.Uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double Histogram(const Distribution& d, SplitMix64& g) {
  double total = 0;
  for (const auto& [value, weight] : d.buckets) total += weight;
  double pick = g.Uniform01() * total;
  for (const auto& [value, weight] : d.buckets) {
    if (pick < weight) return value;
    pick -= weight;
  }
  return d.buckets.empty() ? 0 : d.buckets.back().first;  // rounding at the very top
}

}  // namespace

double Sample(const Distribution& d, SplitMix64& g) {
  switch (d.kind) {
    case Distribution::Kind::kConstant:
      return d.value;
    case Distribution::Kind::kUniform:
      return d.min + g.Uniform01() * (d.max - d.min);
    case Distribution::Kind::kNormal: {
      const double high = d.max > 0 ? d.max : d.mean + 4 * d.sd;
      return std::clamp(d.mean + d.sd * StandardNormal(g), d.min, std::max(d.min, high));
    }
    case Distribution::Kind::kHistogram:
      return Histogram(d, g);
  }
  return 0;
}

uint32_t SampleTokens(const Distribution& d, SplitMix64& g) {
  const double value = std::round(Sample(d, g));
  if (!(value >= 1)) return 1;
  return value >= 4e9 ? 4000000000u : static_cast<uint32_t>(value);
}

Result<bool> ValidateDistribution(const Distribution& d) {
  auto finite = [](double v) { return std::isfinite(v) && v >= 0; };
  switch (d.kind) {
    case Distribution::Kind::kConstant:
      if (!finite(d.value)) return Error{"value: must be a non-negative number"};
      break;
    case Distribution::Kind::kUniform:
      if (!finite(d.min) || !finite(d.max)) return Error{"min/max: must be non-negative numbers"};
      if (d.min > d.max) return Error{"min: greater than max"};
      break;
    case Distribution::Kind::kNormal:
      if (!finite(d.mean)) return Error{"mean: must be a non-negative number"};
      if (!finite(d.sd)) return Error{"sd: must be a non-negative number"};
      if (!finite(d.min) || !finite(d.max)) return Error{"min/max: must be non-negative numbers"};
      if (d.max > 0 && d.min > d.max) return Error{"min: greater than max"};
      break;
    case Distribution::Kind::kHistogram:
      if (d.buckets.empty()) return Error{"histogram: no buckets"};
      for (const auto& [value, weight] : d.buckets) {
        if (!finite(value)) return Error{"histogram: a value is not a non-negative number"};
        if (!(weight > 0) || !std::isfinite(weight)) {
          return Error{"histogram: a weight is not a positive number"};
        }
      }
      break;
  }
  return true;
}

}  // namespace teeharness::workload
