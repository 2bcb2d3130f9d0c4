#include "mocks/generation_model.h"

#include <algorithm>

namespace teeharness::mocks {
namespace {

GenerationModel::Duration Seconds(double s) {
  return std::chrono::duration_cast<GenerationModel::Duration>(
      std::chrono::duration<double>(std::max(0.0, s)));
}

}  // namespace

GenerationModel::GenerationModel(Settings settings)
    : settings_(std::move(settings)), slots_(settings_.capacity, Clock::time_point{}) {}

GenerationModel::Plan GenerationModel::Admit(Clock::time_point now, uint32_t tokens,
                                             workload::SplitMix64& draws) {
  Plan plan;
  plan.ttft = Seconds(workload::Sample(settings_.ttft, draws));
  const Duration base_itl = Seconds(workload::Sample(settings_.itl, draws));
  const uint32_t gaps = tokens > 0 ? tokens - 1 : 0;
  if (settings_.capacity == 0 && settings_.batch_slowdown == 0) {
    plan.per_token = base_itl;  // nothing depends on the others: no bookkeeping, no lock
    return plan;
  }
  std::lock_guard lock(mutex_);
  Clock::time_point start = now;
  unsigned others = 0;
  size_t slot = 0;
  if (settings_.capacity > 0) {
    slot = static_cast<size_t>(std::min_element(slots_.begin(), slots_.end()) - slots_.begin());
    start = std::max(now, slots_[slot]);
    for (size_t i = 0; i < slots_.size(); ++i) others += i != slot && slots_[i] > start;
  } else {
    while (!running_.empty() && running_.top() <= now) running_.pop();
    others = static_cast<unsigned>(running_.size());
  }
  plan.queued = start - now;
  plan.batch = others + 1;
  plan.per_token = std::chrono::duration_cast<Duration>(
      base_itl * (1 + settings_.batch_slowdown * static_cast<double>(others)));
  const Clock::time_point end = start + plan.ttft + plan.per_token * gaps;
  if (settings_.capacity > 0) {
    slots_[slot] = end;
  } else {
    running_.push(end);
  }
  return plan;
}

}  // namespace teeharness::mocks
