#include "harness/engine/load/arrival_schedule.h"

#include <algorithm>
#include <cmath>

namespace teeharness::engine {

ArrivalSchedule::ArrivalSchedule(std::vector<RateStage> stages, unsigned index, unsigned streams,
                                 bool poisson, uint64_t seed)
    : stages_(std::move(stages)),
      index_(index),
      streams_(streams == 0 ? 1 : streams),
      poisson_(poisson),
      rng_(seed + index) {
  double start = 0;
  double arrivals = 0;
  for (const RateStage& stage : stages_) {
    stage_start_.push_back(start);
    stage_arrivals_.push_back(arrivals);
    start += stage.seconds;
    arrivals += (stage.from + stage.to) / 2 * stage.seconds;
  }
  stage_start_.push_back(start);
  stage_arrivals_.push_back(arrivals);
  total_seconds_ = start;
}

double ArrivalSchedule::expected_arrivals() const { return stage_arrivals_.back(); }

std::optional<double> ArrivalSchedule::Invert(double target) const {
  for (size_t i = 0; i < stages_.size(); ++i) {
    if (target > stage_arrivals_[i + 1]) continue;
    const RateStage& s = stages_[i];
    const double u = target - stage_arrivals_[i];  // arrivals needed inside this stage
    const double a = s.from;
    const double k = (s.to - s.from) / (2 * s.seconds);  // Λ(t) = a t + k t^2 within the stage
    double t;
    if (std::abs(k) < 1e-12) {
      t = a > 0 ? u / a : 0;
    } else {
      const double discriminant = std::max(0.0, a * a + 4 * k * u);
      t = (-a + std::sqrt(discriminant)) / (2 * k);
    }
    return stage_start_[i] + std::clamp(t, 0.0, s.seconds);
  }
  return std::nullopt;
}

std::optional<double> ArrivalSchedule::Next() {
  double target;
  if (poisson_) {
    // This stream has intensity rate/streams: its unit-rate arrival S_j maps to Λ = streams * S_j.
    poisson_sum_ += std::exponential_distribution<double>(1.0)(rng_);
    target = poisson_sum_ * streams_;
  } else {
    target = static_cast<double>(next_k_ * streams_ + index_) + 0.5;
    ++next_k_;
  }
  return Invert(target);
}

}  // namespace teeharness::engine
