#include "harness/engine/run_state.h"

namespace teeharness::engine {

AttestationState::Identity AttestationState::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::vector<checks::Outcome> AttestationState::OnAttested(const std::string& address,
                                                          const std::string& digest) {
  std::lock_guard lock(mutex_);
  current_.address = address;
  current_.image_digest = digest;
  return tracker_.OnAttested(address);
}

std::vector<checks::Outcome> AttestationState::OnSigned(const std::string& signer,
                                                        const std::string& chat_id) {
  std::lock_guard lock(mutex_);
  return tracker_.OnSigned(signer, chat_id);
}

void AttestationState::OnRestart() {
  std::lock_guard lock(mutex_);
  tracker_.OnRestart();
  current_ = Identity{"", "", tracker_.epoch()};
  previous_.clear();
}

uint64_t AttestationState::address_changes() const {
  std::lock_guard lock(mutex_);
  return tracker_.changes();
}

std::pair<std::string, std::string> AttestationState::Previous(unsigned worker) const {
  std::lock_guard lock(mutex_);
  const auto it = previous_.find(worker);
  return it == previous_.end() ? std::pair<std::string, std::string>{} : it->second;
}

void AttestationState::SetPrevious(unsigned worker, std::string fingerprint, std::string nonce) {
  std::lock_guard lock(mutex_);
  previous_[worker] = {std::move(fingerprint), std::move(nonce)};
}

void LiveCounters::OnIterationEnd(bool succeeded, Clock::time_point at) {
  if (succeeded) {
    consecutive_failures.store(0, std::memory_order_relaxed);
    last_success_ticks.store(at.time_since_epoch().count(), std::memory_order_relaxed);
  } else {
    consecutive_failures.fetch_add(1, std::memory_order_relaxed);
  }
}

void LiveCounters::StartPhase() {
  consecutive_failures.store(0, std::memory_order_relaxed);
  last_success_ticks.store(0, std::memory_order_relaxed);
}

reports::CounterSeries* SeriesCache::Requests(const std::string& op, const std::string& status) {
  auto [it, inserted] = requests_.try_emplace({op, status}, nullptr);
  if (inserted)
    it->second = config_.metrics->requests->Counter({config_.scenario_name, phase_, op, status});
  return it->second;
}

reports::HistogramSeries* SeriesCache::Duration(const std::string& op) {
  auto [it, inserted] = durations_.try_emplace(op, nullptr);
  if (inserted) {
    it->second = config_.metrics->request_duration->Histogram({config_.scenario_name, phase_, op});
  }
  return it->second;
}

reports::HistogramSeries* SeriesCache::Ttft() {
  if (!ttft_) ttft_ = config_.metrics->ttft->Histogram({config_.scenario_name, phase_});
  return ttft_;
}

reports::HistogramSeries* SeriesCache::SignatureReady() {
  if (!signature_ready_) {
    signature_ready_ = config_.metrics->signature_ready->Histogram({config_.scenario_name, phase_});
  }
  return signature_ready_;
}

reports::HistogramSeries* SeriesCache::Verify(const std::string& algo) {
  auto [it, inserted] = verify_.try_emplace(algo, nullptr);
  if (inserted) {
    it->second = config_.metrics->verify_duration->Histogram({config_.scenario_name, phase_, algo});
  }
  return it->second;
}

reports::CounterSeries* SeriesCache::CounterOf(reports::MetricFamily* family,
                                               const std::string& extra) {
  auto [it, inserted] = counters_.try_emplace(Key{family, extra}, nullptr);
  if (inserted) {
    reports::Labels labels = {config_.scenario_name, phase_};
    if (!extra.empty()) labels.push_back(extra);
    it->second = family->Counter(labels);
  }
  return it->second;
}

reports::HistogramSeries* SeriesCache::HistogramOf(reports::MetricFamily* family,
                                                   const std::string& extra) {
  auto [it, inserted] = histograms_.try_emplace(Key{family, extra}, nullptr);
  if (inserted) {
    reports::Labels labels = {config_.scenario_name, phase_};
    if (!extra.empty()) labels.push_back(extra);
    it->second = family->Histogram(labels);
  }
  return it->second;
}

reports::CounterSeries* SeriesCache::Errors(const std::string& kind) {
  return CounterOf(config_.metrics->errors, kind);
}
reports::CounterSeries* SeriesCache::SignatureRetries() {
  return CounterOf(config_.metrics->signature_retries, "");
}
reports::CounterSeries* SeriesCache::Iterations(const std::string& outcome) {
  return CounterOf(config_.metrics->iterations, outcome);
}
reports::HistogramSeries* SeriesCache::Iteration(const std::string& from) {
  return HistogramOf(config_.metrics->iteration, from);
}
reports::HistogramSeries* SeriesCache::InterToken() {
  return HistogramOf(config_.metrics->inter_token, "");
}
reports::HistogramSeries* SeriesCache::Retention() {
  return HistogramOf(config_.metrics->retention, "");
}

}  // namespace teeharness::engine
