#pragma once

#include <memory>
#include <string>
#include <thread>

#include "harness/base/result.h"
#include "reports/metrics_registry.h"

namespace teeharness::reports {

// Serves GET /metrics from its own thread (Boost.Beast, its own io_context), so scrapes are not
// slowed by load on the workers: the Prometheus text format 0.0.4, or OpenMetrics when the scrape's
// Accept header asks for application/openmetrics-text. Thread-safe: Start/Stop from one thread.
class MetricsServer {
 public:
  explicit MetricsServer(const MetricsRegistry& registry);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Binds HOST:PORT (port 0: the kernel picks one) and starts serving. Errors name the address.
  Result<bool> Start(const std::string& host_port);
  void Stop();
  int port() const { return port_; }
  const std::string& host() const { return host_; }

 private:
  struct Impl;
  const MetricsRegistry& registry_;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace teeharness::reports
