// Issue 5 targets: one histogram observation under 50 ns with two threads recording at once, and a
// scrape of a run with 20 phases and every series under 50 ms.
#include <benchmark/benchmark.h>

#include "reports/run_metrics.h"

namespace {

using namespace teeharness::reports;

MetricsRegistry& SharedRegistry() {
  static MetricsRegistry registry;
  return registry;
}

void BM_HistogramObserve(benchmark::State& state) {
  static HistogramSeries* series = SharedRegistry()
                                       .Add("bench_seconds", "b", MetricType::kHistogram, {"op"})
                                       ->Histogram({"chat"});
  double value = 0.0001 * (state.thread_index() + 1);
  for (auto _ : state) {
    series->Observe(value);
    value = value < 10 ? value * 1.7 : 0.0001;  // walk the buckets
  }
}
BENCHMARK(BM_HistogramObserve)->Threads(1)->Threads(2);

void BM_CounterAdd(benchmark::State& state) {
  static CounterSeries* series =
      SharedRegistry().Add("bench_total", "b", MetricType::kCounter, {})->Counter({});
  for (auto _ : state) series->Add();
}
BENCHMARK(BM_CounterAdd)->Threads(1)->Threads(2);

// A registry as a 20-phase run leaves it: every family, 20 phases, every op/status/check label.
void BM_ScrapeTwentyPhases(benchmark::State& state) {
  MetricsRegistry registry;
  RunMetrics m(registry);
  const char* ops[] = {"attest", "chat", "signature", "negative", "http"};
  const char* checks[] = {"NONCE-ECHO",   "NONCE-PAD",     "NONCE-BIND",  "NONCE-FRESH",
                          "NONCE-REJECT", "ATTEST-SCHEMA", "ATTEST-BIND", "IMAGE-DIGEST",
                          "SIG-TEXT",     "SIG-RECOVER",   "SIG-ADDRESS", "SIG-FORMAT",
                          "SIG-READY",    "SIG-RETAIN",    "SIG-EXPIRE",  "SIG-UNKNOWN",
                          "ADDR-STABLE",  "ADDR-RESTART",  "ERR-SHAPE"};
  for (int p = 0; p < 20; ++p) {
    const std::string phase = "phase-" + std::to_string(p);
    for (const char* op : ops) {
      for (const char* status : {"200", "404", "429", "500", "timeout"})
        m.requests->Counter({"s", phase, op, status})->Add(7);
      m.request_duration->Histogram({"s", phase, op})->Observe(0.01);
    }
    for (const char* check : checks) {
      m.checks->Counter({"s", phase, check, "pass"})->Add(3);
      m.checks->Counter({"s", phase, check, "fail"})->Add(1);
    }
    m.ttft->Histogram({"s", phase})->Observe(0.2);
    m.signature_ready->Histogram({"s", phase})->Observe(0.01);
    m.verify_duration->Histogram({"s", phase, "ecdsa"})->Observe(0.0001);
    m.verify_duration->Histogram({"s", phase, "ed25519"})->Observe(0.0001);
    m.schedule_lag->Histogram({"s", phase})->Observe(0.00001);
    m.in_flight->Gauge({"s", phase})->Set(3);
    m.target_rate->Gauge({"s", phase})->Set(100);
    m.dropped->Counter({"s", phase})->Add(1);
  }
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string text = registry.RenderPrometheus();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ScrapeTwentyPhases)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
