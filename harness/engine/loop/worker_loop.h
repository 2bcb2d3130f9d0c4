#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "harness/engine/http1/client.h"
#include "harness/engine/loop/header_lists.h"
#include "harness/engine/loop/http_exchange.h"
#include "harness/engine/loop/socket_poller.h"

typedef void CURLM;

namespace teeharness::engine {

// One worker: a libcurl multi handle (connections reused across requests), a timer heap and a
// task queue, driven by one thread in Run(). Flows run entirely on this thread, so they need no
// locks. libcurl is driven through curl_multi_socket_action: it tells the loop which sockets to
// watch (an epoll set, SocketPoller) and when its own next timeout is due, and the loop hands it
// only the sockets that became ready, instead of polling every connection on every turn. Easy
// handles are kept configured between transfers (only what differs per request is set again).
// Plain-http requests to a literal address skip libcurl: the native HTTP/1.1 client (engine/http1)
// carries them on the same epoll set, and both complete exchanges the same way.
// Thread-safety: Post(), Stop() and in_flight() may be called from any thread; everything else only
// on the loop thread (from tasks, timers and exchange callbacks).
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

  // An idle easy handle and what its sticky options were set from (a copy: the values, not the
  // address, decide, since a TransportOptions may be destroyed and another built in its place).
  struct IdleEasy {
    void* easy;
    TransportOptions options;
    int method;  // MethodKind in worker_loop.cc
  };

  // libcurl's callbacks (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION).
  static int OnSocket(void* easy, int socket, int what, void* loop, void* socket_data);
  static int OnTimer(CURLM* multi, long timeout_ms, void* loop);
  void WaitAndDispatch();
  void RunDueTimers();
  void RunPostedTasks();
  void CollectFinished();
  void Finish(HttpExchange* exchange, int curl_code);
  // The native client ended `exchange`: the transport-independent end of it.
  void FinishNative(HttpExchange* exchange);
  // Counts `exchange` among the transfers in flight (the loop owns it until Retire).
  void Track(HttpExchange* exchange);
  // Takes a finished exchange out of the transfers in flight and runs its on_done.
  void Retire(HttpExchange* exchange);
  // Completes `owned` with `error` from the loop, without sending it.
  void FailUnsent(std::unique_ptr<HttpExchange> owned, TransportError error, const char* message);
  // An easy handle ready for `exchange`: an idle one (its connection and DNS caches warm) with
  // the per-request options set, reset first only when its sticky options were set for other
  // transport options or another kind of method.
  void* AcquireEasy(HttpExchange* exchange);
  void ReleaseEasy(HttpExchange* exchange);
  Clock::duration WaitTimeout() const;
  static std::string Authority(const std::string& url);

  // A name that failed to resolve is not asked for again for this long (see Send).
  static constexpr std::chrono::seconds kUnresolvableFor{1};
  std::map<std::string, Clock::time_point> unresolvable_until_;  // authority -> until
  bool refusing_ = false;

  // Before multi_: libcurl's callbacks reach it until the multi handle is cleaned up.
  SocketPoller poller_;
  // libcurl's next timeout, as its timer callback last set it (none: it has none).
  std::optional<Clock::time_point> curl_deadline_;
  // Decided once per worker (ProxyInEnvironment): false lets transfers skip libcurl's per-transfer
  // proxy environment lookup.
  const bool proxy_in_environment_;
  HeaderLists header_lists_;
  // Plain-http exchanges (see TransportOptions::native_http1); its sockets share poller_.
  http1::Client native_;
  CURLM* multi_;
  std::vector<IdleEasy> idle_easy_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t timer_sequence_ = 0;
  std::vector<HttpExchange*> active_;
  std::atomic<size_t> in_flight_{0};
  std::atomic<bool> stop_{false};
  std::mutex posted_mutex_;
  std::vector<Task> posted_;
};

}  // namespace teeharness::engine
