#include "harness/engine/load/workload.h"

#include <condition_variable>
#include <mutex>

namespace teeharness::engine {
namespace {

// Per-worker state, touched only on that worker's loop thread (counters are summed after the
// worker reported completion, which the latch orders).
struct WorkerState {
  uint64_t scheduled = 0, started = 0, dropped = 0, completed = 0;
  uint64_t in_flight = 0;
  bool producing = true;  // still scheduling new iterations
  reports::LatencyHistogram lag;
  std::unique_ptr<ArrivalSchedule> schedule;
  unsigned vus = 0;
  unsigned vus_running = 0;
  bool reported = false;
};

// Counts down as workers finish; the control thread waits on it.
class Latch {
 public:
  explicit Latch(unsigned count) : count_(count) {}
  void CountDown() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) done_.notify_all();
  }
  // Waits until zero or `deadline`; true when zero.
  bool WaitUntil(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return done_.wait_until(lock, deadline, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  unsigned count_;
};

struct Run {
  Workers& workers;
  const WorkloadSpec& spec;
  const Iteration& iteration;
  const std::atomic<bool>& interrupt;
  const std::atomic<bool>* abort;
  std::vector<WorkerState> states;
  Latch latch;
  std::atomic<int64_t> remaining_iterations{0};  // signed: it may go below zero
  std::atomic<uint64_t> global_in_flight{0};
  Clock::time_point start;
  std::optional<Clock::time_point> deadline;

  Run(Workers& w, const WorkloadSpec& s, const Iteration& i, const std::atomic<bool>& stop,
      const std::atomic<bool>* abort_flag)
      : workers(w),
        spec(s),
        iteration(i),
        interrupt(stop),
        abort(abort_flag),
        states(w.size()),
        latch(w.size()) {}

  bool Stopped() const {
    return interrupt.load(std::memory_order_relaxed) ||
           (abort != nullptr && abort->load(std::memory_order_relaxed));
  }
  bool Stopping() const { return Stopped() || (deadline && Clock::now() >= *deadline); }

  void MaybeReport(unsigned w) {
    WorkerState& state = states[w];
    if (!state.reported && !state.producing && state.in_flight == 0) {
      state.reported = true;
      latch.CountDown();
    }
  }

  // Closed model: one virtual user's loop.
  void StartVu(unsigned w) {
    WorkerState& state = states[w];
    if (Stopping() || (spec.iterations && remaining_iterations.fetch_sub(1) <= 0)) {
      if (--state.vus_running == 0) state.producing = false;
      MaybeReport(w);
      return;
    }
    ++state.scheduled;
    ++state.started;
    ++state.in_flight;
    iteration(w, Clock::now(), [this, w] {
      WorkerState& s = states[w];
      --s.in_flight;
      ++s.completed;
      // Trampoline through the loop: a flow that completes synchronously must not recurse.
      workers.loop(w).At(Clock::now(), [this, w] { StartVu(w); });
    });
  }

  // Open model: schedules this worker's next arrival.
  void ScheduleNext(unsigned w) {
    WorkerState& state = states[w];
    std::optional<double> next = Stopping() ? std::nullopt : state.schedule->Next();
    if (!next) {
      state.producing = false;
      MaybeReport(w);
      return;
    }
    const Clock::time_point intended =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*next));
    workers.loop(w).At(intended, [this, w, intended] { Arrive(w, intended); });
  }

  void Arrive(unsigned w, Clock::time_point intended) {
    WorkerState& state = states[w];
    ++state.scheduled;
    if (global_in_flight.load(std::memory_order_relaxed) >= spec.max_in_flight) {
      ++state.dropped;  // counted, never silently delayed
      if (spec.on_drop) spec.on_drop();
    } else {
      ++state.started;
      ++state.in_flight;
      global_in_flight.fetch_add(1, std::memory_order_relaxed);
      const double lag = std::chrono::duration<double>(Clock::now() - intended).count();
      state.lag.RecordSeconds(lag);
      if (spec.on_lag) spec.on_lag(lag);
      iteration(w, intended, [this, w] {
        WorkerState& s = states[w];
        --s.in_flight;
        ++s.completed;
        global_in_flight.fetch_sub(1, std::memory_order_relaxed);
        MaybeReport(w);
      });
    }
    ScheduleNext(w);
  }
};

}  // namespace

Workers::Workers(unsigned count) {
  for (unsigned i = 0; i < std::max(1u, count); ++i)
    loops_.push_back(std::make_unique<WorkerLoop>());
  for (auto& loop : loops_) threads_.emplace_back([raw = loop.get()] { raw->Run(); });
}

Workers::~Workers() {
  for (auto& loop : loops_) loop->Stop();
  for (auto& thread : threads_) thread.join();
}

WorkloadResult RunWorkload(Workers& workers, const WorkloadSpec& spec, const Iteration& iteration,
                           const std::atomic<bool>& interrupt, std::chrono::milliseconds grace,
                           const std::atomic<bool>* abort, std::chrono::milliseconds abort_grace) {
  auto owned = std::make_unique<Run>(workers, spec, iteration, interrupt, abort);
  Run& run = *owned;
  const Clock::time_point called = Clock::now();
  run.start = called + std::chrono::milliseconds(1);  // every worker starts on the same grid
  const unsigned n = workers.size();
  if (spec.kind == WorkloadSpec::Kind::kClosed) {
    if (spec.iterations) run.remaining_iterations = static_cast<int64_t>(*spec.iterations);
    if (spec.duration) run.deadline = run.start + *spec.duration;
    for (unsigned w = 0; w < n; ++w) {
      run.states[w].vus = spec.concurrency / n + (w < spec.concurrency % n ? 1 : 0);
      run.states[w].vus_running = run.states[w].vus;
    }
  } else {
    for (unsigned w = 0; w < n; ++w) {
      run.states[w].schedule =
          std::make_unique<ArrivalSchedule>(spec.stages, w, n, spec.poisson, spec.seed);
    }
  }
  for (unsigned w = 0; w < n; ++w) {
    workers.loop(w).Post([&run, w, open = spec.kind == WorkloadSpec::Kind::kOpen] {
      run.workers.loop(w).SetRefusing(false);  // a previous phase may have been cut
      if (open) {
        run.ScheduleNext(w);
        return;
      }
      // Everything is read before the first user starts: once the last one reports, the control
      // thread may destroy `run`, so this task must not touch it again (TSan found the re-read).
      const unsigned vus = run.states[w].vus;
      if (vus == 0) {
        run.states[w].producing = false;
        run.MaybeReport(w);
        return;
      }
      for (unsigned v = 0; v < vus; ++v) run.StartVu(w);
    });
  }
  // Wait for completion, then (if interrupted or aborted) give in-flight work a grace period, then
  // cut it: transfers in flight are aborted and whatever an iteration would send next is refused.
  bool finished = true;
  while (!run.latch.WaitUntil(Clock::now() + std::chrono::milliseconds(50))) {
    if (!run.Stopped()) continue;
    if (!run.latch.WaitUntil(Clock::now() + (interrupt.load() ? grace : abort_grace))) {
      for (unsigned w = 0; w < n; ++w) {
        workers.loop(w).Post([&workers, w] {
          workers.loop(w).SetRefusing(true);
          workers.loop(w).AbortAll();
        });
      }
      finished = run.latch.WaitUntil(Clock::now() + std::chrono::seconds(10));
    }
    break;
  }
  WorkloadResult result;
  // From the call, not from the grid's start: a phase whose users finish within the grid's 1 ms
  // lead (a short negative phase) would otherwise report a negative duration.
  result.seconds = std::chrono::duration<double>(Clock::now() - called).count();
  for (const WorkerState& state : run.states) {
    result.scheduled += state.scheduled;
    result.started += state.started;
    result.dropped += state.dropped;
    result.completed += state.completed;
    result.schedule_lag.Merge(state.lag);
  }
  if (spec.kind == WorkloadSpec::Kind::kOpen && !spec.stages.empty()) {
    double seconds = 0, arrivals = 0;
    for (const RateStage& s : spec.stages) {
      seconds += s.seconds;
      arrivals += (s.from + s.to) / 2 * s.seconds;
    }
    result.target_rate = seconds > 0 ? arrivals / seconds : 0;
  }
  result.interrupted = interrupt.load();
  result.aborted = !result.interrupted && abort != nullptr && abort->load();
  // A worker that never reported may still hold timers pointing at the run state: keep it alive
  // (a bounded leak on an already failing, interrupted run) rather than let them use freed memory.
  if (!finished) owned.release();
  return result;
}

}  // namespace teeharness::engine
