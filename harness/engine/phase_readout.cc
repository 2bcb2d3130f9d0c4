#include "harness/engine/phase_readout.h"

namespace teeharness::engine {
namespace {

using reports::Labels;
using reports::MetricFamily;

bool InPhase(const Labels& labels, const std::string& scenario, const std::string& phase) {
  return labels.size() >= 2 && labels[0] == scenario && labels[1] == phase;
}

// Calls fn(extra_label, series) for each series of the phase; extra_label is the third label value
// or "" when the family has only scenario and phase.
template <typename Fn>
void ForPhase(const MetricFamily* family, const std::string& scenario, const std::string& phase,
              Fn&& fn) {
  family->ForEach([&](const Labels& labels, const MetricFamily::Series& series) {
    if (InPhase(labels, scenario, phase)) fn(labels.size() > 2 ? labels[2] : std::string(), series);
  });
}

void AddHistogram(std::map<std::string, reports::LatencyHistogram>& latency,
                  const std::string& name, const MetricFamily::Series& series) {
  if (!series.histogram) return;
  reports::LatencyHistogram detail = series.histogram->Detail();
  if (detail.count() > 0) latency[name].Merge(detail);
}

std::map<std::string, uint64_t> CountersByLabel(const MetricFamily* family,
                                                const std::string& scenario,
                                                const std::string& phase) {
  std::map<std::string, uint64_t> counts;
  ForPhase(family, scenario, phase, [&](const std::string& label, const MetricFamily::Series& s) {
    if (s.counter && s.counter->Value() > 0) counts[label] += s.counter->Value();
  });
  return counts;
}

uint64_t Total(const std::map<std::string, uint64_t>& counts) {
  uint64_t total = 0;
  for (const auto& [label, count] : counts) total += count;
  return total;
}

}  // namespace

uint64_t PhaseMeasurements::succeeded() const {
  const auto it = outcomes.find("succeeded");
  return it == outcomes.end() ? 0 : it->second;
}

uint64_t PhaseMeasurements::failed() const { return Total(outcomes) - succeeded(); }

PhaseMeasurements ReadPhase(const reports::RunMetrics& m, const std::string& scenario,
                            const std::string& phase) {
  PhaseMeasurements out;
  out.name = phase;
  auto& latency = out.latency;
  ForPhase(m.request_duration, scenario, phase,
           [&](const std::string& op, const auto& s) { AddHistogram(latency, op, s); });
  ForPhase(m.ttft, scenario, phase,
           [&](const std::string&, const auto& s) { AddHistogram(latency, "ttft", s); });
  ForPhase(m.inter_token, scenario, phase,
           [&](const std::string&, const auto& s) { AddHistogram(latency, "itl", s); });
  ForPhase(m.tpot, scenario, phase,
           [&](const std::string&, const auto& s) { AddHistogram(latency, "tpot", s); });
  ForPhase(m.signature_ready, scenario, phase,
           [&](const std::string&, const auto& s) { AddHistogram(latency, "signature_ready", s); });
  ForPhase(m.verify_duration, scenario, phase,
           [&](const std::string&, const auto& s) { AddHistogram(latency, "verify", s); });
  ForPhase(m.retention, scenario, phase, [&](const std::string&, const auto& s) {
    AddHistogram(latency, "retention_window", s);
  });
  ForPhase(m.schedule_lag, scenario, phase,
           [&](const std::string&, const auto& s) { AddHistogram(latency, "schedule_lag", s); });
  ForPhase(m.iteration, scenario, phase, [&](const std::string& from, const auto& s) {
    AddHistogram(latency, from == "actual" ? "iteration_uncorrected" : "iteration", s);
  });
  out.requests = Total(CountersByLabel(m.requests, scenario, phase));
  out.errors = CountersByLabel(m.errors, scenario, phase);
  out.retries = Total(CountersByLabel(m.signature_retries, scenario, phase));
  out.outcomes = CountersByLabel(m.iterations, scenario, phase);
  out.arrivals = Total(CountersByLabel(m.arrivals, scenario, phase));
  out.dropped = Total(CountersByLabel(m.dropped, scenario, phase));
  const std::map<std::string, uint64_t> tokens = CountersByLabel(m.tokens, scenario, phase);
  out.prompt_tokens = tokens.count("prompt") ? tokens.at("prompt") : 0;
  out.completion_tokens = tokens.count("completion") ? tokens.at("completion") : 0;
  out.estimated_tokens = Total(CountersByLabel(m.estimated_tokens, scenario, phase));
  const std::map<std::string, uint64_t> slo = CountersByLabel(m.slo, scenario, phase);
  auto count = [&slo](const char* result) { return slo.count(result) ? slo.at(result) : 0; };
  out.slo_met_verified = count("met_verified");
  out.slo_met_unverified = count("met_unverified");
  out.slo_missed = count("missed");
  m.checks->ForEach([&](const Labels& labels, const MetricFamily::Series& s) {
    // {scenario, phase, check, result}
    if (!InPhase(labels, scenario, phase) || labels.size() < 4 || !s.counter) return;
    // A skipped check is neither: it must not breach `check_failures`, nor count as a pass.
    if (labels[3] == "pass") out.check_passed += s.counter->Value();
    if (labels[3] == "fail") out.check_failed += s.counter->Value();
  });
  return out;
}

}  // namespace teeharness::engine
