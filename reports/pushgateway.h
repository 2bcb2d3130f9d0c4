#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "reports/metrics_registry.h"

namespace teeharness::reports {

// Pushes the registry to a Prometheus Pushgateway with libcurl (PUT, text format 0.0.4) at an
// interval on its own thread and once more at Finish(), grouped as job "teeharness" with the
// labels scenario and instance. A failed push is counted (failures(), and the registry's
// teeharness_pushgateway_failures_total) and never stops the run. Thread-safe: Start/Finish from
// one thread; counters from any.
class Pushgateway {
 public:
  Pushgateway(const MetricsRegistry& registry, CounterSeries* failures_metric);
  ~Pushgateway();

  void Start(const std::string& base_url, const std::string& scenario, const std::string& instance,
             std::chrono::milliseconds interval);
  // Stops the periodic pushes and pushes the final values once.
  void Finish();

  uint64_t pushes() const { return pushes_.load(); }
  uint64_t failures() const { return failures_.load(); }
  const std::string& url() const { return url_; }

 private:
  bool PushOnce();

  const MetricsRegistry& registry_;
  CounterSeries* failures_metric_;
  std::string url_;
  std::chrono::milliseconds interval_{10000};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::atomic<uint64_t> pushes_{0};
  std::atomic<uint64_t> failures_{0};
};

// One grouping-key path segment: "/name/value", or "/name@base64/<url-safe base64>" when the
// value holds a '/' or is empty (the Pushgateway's documented encoding).
std::string GroupingSegment(const std::string& name, const std::string& value);

}  // namespace teeharness::reports
