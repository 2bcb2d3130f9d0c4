#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace teeharness::engine {

// A linear rate ramp (arrivals/s) from `from` to `to` over `seconds`; a constant rate has from==to.
struct RateStage {
  double from = 0;
  double to = 0;
  double seconds = 0;
};

// Intended arrival times of an open workload, in seconds from the phase start: arrival k happens
// when the cumulative expected count Λ(t) = ∫rate reaches k + 0.5 (evenly spaced), or at the
// points of a Poisson process with that intensity. Stream `index` of `streams` yields every
// streams-th arrival (deterministic) or an independent Poisson stream of intensity rate/streams, so
// N workers together produce the schedule once. Not thread-safe: one per worker.
class ArrivalSchedule {
 public:
  ArrivalSchedule(std::vector<RateStage> stages, unsigned index, unsigned streams, bool poisson,
                  uint64_t seed);

  // The next intended time, or nullopt after the last stage.
  std::optional<double> Next();

  double total_seconds() const { return total_seconds_; }
  // Λ(total): expected arrivals of all streams together.
  double expected_arrivals() const;

 private:
  // The t at which Λ(t) == target, or nullopt when past the end.
  std::optional<double> Invert(double target) const;

  std::vector<RateStage> stages_;
  std::vector<double> stage_start_;     // seconds
  std::vector<double> stage_arrivals_;  // Λ at each stage start
  double total_seconds_ = 0;
  unsigned index_;
  unsigned streams_;
  bool poisson_;
  std::mt19937_64 rng_;
  uint64_t next_k_ = 0;     // deterministic: this stream's next arrival number
  double poisson_sum_ = 0;  // Poisson: running sum of Exp(1) in this stream's Λ units
};

}  // namespace teeharness::engine
