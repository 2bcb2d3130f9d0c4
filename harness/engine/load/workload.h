#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "harness/engine/load/arrival_schedule.h"
#include "harness/engine/loop/worker_loop.h"
#include "reports/latency_histogram.h"

namespace teeharness::engine {

// N worker threads, each running its own WorkerLoop. Thread-safe: Start/Stop from the control
// thread; loops are reached through Post.
class Workers {
 public:
  explicit Workers(unsigned count);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  unsigned size() const { return static_cast<unsigned>(loops_.size()); }
  WorkerLoop& loop(unsigned index) { return *loops_[index]; }

 private:
  std::vector<std::unique_ptr<WorkerLoop>> loops_;
  std::vector<std::thread> threads_;
};

// What a phase's load looks like (closed: virtual users; open: an arrival rate).
struct WorkloadSpec {
  enum class Kind { kClosed, kOpen };
  Kind kind = Kind::kClosed;
  unsigned concurrency = 1;                 // closed
  std::optional<uint64_t> iterations;       // closed: total over all users
  std::optional<Clock::duration> duration;  // closed: stop starting iterations after this
  std::vector<RateStage> stages;            // open
  bool poisson = false;                     // open
  uint64_t max_in_flight = 1000;            // open: arrivals beyond it are dropped, never delayed
  uint64_t seed = 1;
  // Called on the worker's loop with each started arrival's schedule lag in seconds (open model);
  // must be thread-safe across workers (the metrics registry's histograms are).
  std::function<void(double)> on_lag;
  // Called on the worker's loop for each arrival dropped at max_in_flight (open model); must be
  // thread-safe across workers.
  std::function<void()> on_drop;
};

// One flow run, started on worker `worker`'s loop. It must call `done` exactly once, on that
// loop, when the flow is over. `intended` is when it was scheduled to start (open model) or
// actually started (closed model): latency is measured from it.
using Iteration =
    std::function<void(unsigned worker, Clock::time_point intended, std::function<void()> done)>;

struct WorkloadResult {
  uint64_t scheduled = 0;  // arrivals due (open) or iterations begun (closed)
  uint64_t started = 0;
  uint64_t dropped = 0;
  uint64_t completed = 0;
  double seconds = 0;
  double target_rate = 0;  // open: expected arrivals / duration
  bool interrupted = false;
  bool aborted = false;                    // stopped by `abort` (and not by `interrupt`)
  reports::LatencyHistogram schedule_lag;  // started - intended (open model)
};

// Runs a workload to completion on `workers`, blocking the calling (control) thread. `interrupt`
// stops new iterations; in-flight ones get `grace` to finish before they are aborted. `abort`
// (optional; an abort rule tripped) stops them the same way, with `abort_grace`. Once the grace is
// over, in-flight transfers are cut and every request an iteration would still send fails at once
// (TransportError::kAborted), so the phase ends promptly however the server behaves.
WorkloadResult RunWorkload(Workers& workers, const WorkloadSpec& spec, const Iteration& iteration,
                           const std::atomic<bool>& interrupt,
                           std::chrono::milliseconds grace = std::chrono::seconds(5),
                           const std::atomic<bool>* abort = nullptr,
                           std::chrono::milliseconds abort_grace = std::chrono::seconds(5));

}  // namespace teeharness::engine
