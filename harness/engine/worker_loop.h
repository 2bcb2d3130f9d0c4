#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <vector>

#include "harness/engine/http_exchange.h"

typedef void CURLM;

namespace teeharness::engine {

// One worker: a libcurl multi handle (connections reused across requests), a timer heap and a
// task queue, driven by one thread in Run(). Flows run entirely on this thread, so they need no
// locks. Thread-safety: Post(), Stop() and in_flight() may be called from any thread; everything
// else only on the loop thread (from tasks, timers and exchange callbacks).
class WorkerLoop {
 public:
  using Task = std::function<void()>;

  WorkerLoop();
  ~WorkerLoop();
  WorkerLoop(const WorkerLoop&) = delete;
  WorkerLoop& operator=(const WorkerLoop&) = delete;

  // Runs until Stop(). Call from the thread that owns this worker.
  void Run();
  void Stop();
  void Post(Task task);

  // Loop thread only.
  void At(Clock::time_point when, Task task);
  void Send(std::unique_ptr<HttpExchange> exchange);
  // Aborts every transfer in flight; each completes with TransportError::kAborted.
  void AbortAll();
  // While refusing, Send completes every new exchange at once with TransportError::kAborted,
  // unsent: after AbortAll at the end of a stopped phase, an iteration that would go on to its
  // next request (the next negative case, say) ends instead of waiting on a hung server again.
  void SetRefusing(bool refusing) { refusing_ = refusing; }
  size_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

 private:
  struct Timer {
    Clock::time_point when;
    uint64_t sequence;  // FIFO among equal times
    Task task;
    bool operator>(const Timer& other) const {
      return when != other.when ? when > other.when : sequence > other.sequence;
    }
  };

  void RunDueTimers();
  void RunPostedTasks();
  void CollectFinished();
  void Finish(HttpExchange* exchange, int curl_code);
  // Completes `owned` with `error` from the loop, without sending it.
  void FailUnsent(std::unique_ptr<HttpExchange> owned, TransportError error, const char* message);
  void* AcquireEasy();
  void ReleaseEasy(void* easy);
  int PollTimeoutMs() const;
  static std::string Authority(const std::string& url);

  // A name that failed to resolve is not asked for again for this long (see Send).
  static constexpr std::chrono::seconds kUnresolvableFor{1};
  std::map<std::string, Clock::time_point> unresolvable_until_;  // authority -> until
  bool refusing_ = false;

  CURLM* multi_;
  std::vector<void*> idle_easy_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timer_sequence_ = 0;
  std::vector<HttpExchange*> active_;
  std::atomic<size_t> in_flight_{0};
  std::atomic<bool> stop_{false};
  std::mutex posted_mutex_;
  std::vector<Task> posted_;
};

}  // namespace teeharness::engine
