#include "harness/engine/load/thresholds.h"

namespace teeharness::engine {
namespace {

using scenario::Aggregate;

// Metric name -> the latency op whose histogram it reads.
const std::map<std::string, std::string>& LatencyMetrics() {
  static const std::map<std::string, std::string> kMap = {
      {"attest_seconds", "attest"},
      {"chat_seconds", "chat"},
      {"signature_seconds", "signature"},
      {"verify_seconds", "verify"},
      {"time_to_first_token_seconds", "ttft"},
      {"time_per_output_token_seconds", "tpot"},
      {"signature_ready_seconds", "signature_ready"}};
  return kMap;
}

// value (count) and the rate's numerator/denominator of a counter metric.
struct CounterView {
  double count = 0;
  double total = 0;  // denominator of rate()
};

CounterView Counter(const std::string& metric,
                    const std::vector<const PhaseMeasurements*>& phases) {
  CounterView v;
  for (const PhaseMeasurements* p : phases) {
    uint64_t errors = 0;
    for (const auto& [kind, count] : p->errors) errors += count;
    if (metric == "check_failures") {
      v.count += p->check_failed;
      v.total += p->check_passed + p->check_failed;
    } else if (metric == "requests") {
      v.count += p->requests;
      v.total += p->requests;
    } else if (metric == "errors") {
      v.count += errors;
      v.total += p->requests;
    } else if (metric == "retries") {
      v.count += p->retries;
      v.total += p->requests;
    } else if (metric == "dropped") {
      v.count += p->dropped;
      v.total += p->arrivals;
    } else if (metric == "prompt_tokens" || metric == "completion_tokens" ||
               metric == "output_tokens_per_second") {
      // Token counts: rate() is per second of the time of the phases that sent chats.
      if (!p->latency.count("chat")) continue;
      v.count += metric == "prompt_tokens" ? p->prompt_tokens : p->completion_tokens;
      v.total += p->seconds;
    } else if (metric == "goodput" || metric == "verified_goodput") {
      if (!p->has_slo) continue;  // a phase without an SLO has no goodput, not a zero one
      v.count += p->slo_met_verified + (metric == "goodput" ? p->slo_met_unverified : 0);
      v.total += p->seconds;
    }
  }
  return v;
}

// Evaluates one aggregate of a histogram; has_data false when it is empty.
double FromHistogram(const scenario::Threshold& t, const reports::LatencyHistogram& h) {
  switch (t.aggregate) {
    case Aggregate::kPercentile:
      return h.Quantile(t.parameter / 100);
    case Aggregate::kAvg:
      return h.mean_seconds();
    case Aggregate::kMin:
      return h.min_seconds();
    case Aggregate::kMax:
      return h.max_seconds();
    case Aggregate::kMed:
      return h.Quantile(0.5);
    case Aggregate::kCount:
      return static_cast<double>(h.count());
    case Aggregate::kRate:
      return h.count();
  }
  return 0;
}

}  // namespace

std::vector<reports::ThresholdResult> EvaluateThresholds(
    const std::vector<scenario::Threshold>& thresholds,
    const std::vector<PhaseMeasurements>& phases) {
  std::vector<reports::ThresholdResult> results;
  for (const scenario::Threshold& t : thresholds) {
    std::vector<const PhaseMeasurements*> scope;
    for (const PhaseMeasurements& p : phases) {
      if (t.phase.empty() || p.name == t.phase) scope.push_back(&p);
    }
    reports::ThresholdResult r{t.key, t.expression, 0, true, true};
    const auto latency = LatencyMetrics().find(t.metric);
    if (latency != LatencyMetrics().end() || t.metric == "schedule_lag_seconds") {
      reports::LatencyHistogram merged;
      const std::string op = latency == LatencyMetrics().end() ? "schedule_lag" : latency->second;
      for (const PhaseMeasurements* p : scope) {
        if (const auto it = p->latency.find(op); it != p->latency.end()) merged.Merge(it->second);
      }
      r.has_data = merged.count() > 0 || t.aggregate == Aggregate::kCount;
      r.observed = FromHistogram(t, merged);
    } else {
      const CounterView v = Counter(t.metric, scope);
      if (t.metric == "output_tokens_per_second" || t.metric == "goodput" ||
          t.metric == "verified_goodput") {
        // One value whatever the aggregate: completion tokens over the phases' time.
        r.has_data = v.total > 0;
        r.observed = v.total > 0 ? v.count / v.total : 0;
      } else if (t.aggregate == Aggregate::kRate) {
        r.has_data = v.total > 0;
        r.observed = v.total > 0 ? v.count / v.total : 0;
      } else {
        r.observed = v.count;  // count; other aggregates of a counter are its value too
      }
    }
    // No data cannot prove a latency bound: it fails, so an empty run never passes silently.
    r.passed = r.has_data && scenario::Holds(t, r.observed);
    results.push_back(r);
  }
  return results;
}

}  // namespace teeharness::engine
