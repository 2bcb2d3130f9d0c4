#include "harness/engine/run_state.h"

#include <algorithm>

namespace teeharness::engine {

AttestationState::Identity AttestationState::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::vector<checks::Outcome> AttestationState::OnAttested(const std::string& address,
                                                          const std::string& digest, bool clean) {
  std::lock_guard lock(mutex_);
  current_.address = address;
  current_.attestation_clean = clean;
  current_.image_digest = digest;
  current_.gateway_address.clear();
  current_.model_addresses.clear();
  std::vector<checks::Outcome> outcomes = tracker_.OnAttested(address);
  RecordSighting();
  return outcomes;
}

void AttestationState::RecordSighting() {
  const std::string& address = tracker_.current();
  if (address.empty()) return;
  if (!sightings_.empty() && sightings_.back().address == address &&
      sightings_.back().epoch == tracker_.epoch()) {
    return;
  }
  if (sightings_.size() < kMaxSightings) {
    sightings_.push_back({address, tracker_.epoch(), Clock::now()});
  }
}

std::vector<AttestationState::Sighting> AttestationState::Sightings() const {
  std::lock_guard lock(mutex_);
  return sightings_;
}

std::vector<checks::Outcome> AttestationState::OnAttestedNear(const std::string& gateway,
                                                              std::vector<std::string> models,
                                                              bool clean) {
  std::lock_guard lock(mutex_);
  current_.attestation_clean = clean;
  const bool still_listed =
      std::find(models.begin(), models.end(), current_.address) != models.end();
  if (!still_listed) current_.address = models.empty() ? gateway : models.front();
  current_.gateway_address = gateway;
  current_.model_addresses = std::move(models);
  current_.image_digest.clear();
  std::vector<checks::Outcome> outcomes = tracker_.OnAttested(current_.address);
  RecordSighting();
  return outcomes;
}

void AttestationState::BindModel(const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto& models = current_.model_addresses;
  if (std::find(models.begin(), models.end(), address) != models.end()) current_.address = address;
}

std::vector<checks::Outcome> AttestationState::OnSigned(const std::string& signer,
                                                        const std::string& chat_id) {
  std::lock_guard lock(mutex_);
  return tracker_.OnSigned(signer, chat_id);
}

void AttestationState::OnRestart() {
  std::lock_guard lock(mutex_);
  tracker_.OnRestart();
  current_ = Identity{};
  current_.epoch = tracker_.epoch();
  previous_.clear();
}

uint64_t AttestationState::address_changes() const {
  std::lock_guard lock(mutex_);
  return tracker_.changes();
}

std::pair<std::string, std::string> AttestationState::Previous(unsigned worker,
                                                               const std::string& label) const {
  std::lock_guard lock(mutex_);
  const auto it = previous_.find({worker, label});
  return it == previous_.end() ? std::pair<std::string, std::string>{} : it->second;
}

void AttestationState::SetPrevious(unsigned worker, std::string fingerprint, std::string nonce,
                                   const std::string& label) {
  std::lock_guard lock(mutex_);
  previous_[{worker, label}] = {std::move(fingerprint), std::move(nonce)};
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
reports::CounterSeries* SeriesCache::Tokens(const std::string& kind) {
  return CounterOf(config_.metrics->tokens, kind);
}
reports::CounterSeries* SeriesCache::EstimatedTokens() {
  return CounterOf(config_.metrics->estimated_tokens, "");
}
reports::CounterSeries* SeriesCache::Slo(const std::string& result) {
  return CounterOf(config_.metrics->slo, result);
}
reports::HistogramSeries* SeriesCache::Tpot() { return HistogramOf(config_.metrics->tpot, ""); }
reports::HistogramSeries* SeriesCache::Retention() {
  return HistogramOf(config_.metrics->retention, "");
}
reports::CounterSeries* SeriesCache::QuoteVerifications(const std::string& verdict,
                                                        const std::string& tcb_status) {
  auto [it, inserted] = quote_verifications_.try_emplace({verdict, tcb_status}, nullptr);
  if (inserted) {
    it->second = config_.metrics->quote_verifications->Counter(
        {config_.scenario_name, phase_, verdict, tcb_status});
  }
  return it->second;
}

}  // namespace teeharness::engine
