#include "harness/engine/load/workload.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <vector>

#include "tests/support/loopback.h"

namespace teeharness::engine {
namespace {

// An iteration that finishes `work` later on the same loop (no network).
Iteration Timed(Workers& workers, Clock::duration work, std::atomic<int>* concurrent,
                std::atomic<int>* peak) {
  return [&workers, work, concurrent, peak](unsigned w, Clock::time_point,
                                            std::function<void()> done) {
    const int now = ++*concurrent;
    int seen = peak->load();
    while (now > seen && !peak->compare_exchange_weak(seen, now)) {
    }
    workers.loop(w).At(Clock::now() + work, [concurrent, done] {
      --*concurrent;
      done();
    });
  };
}

TEST(Workload, ClosedModelRunsExactlyTheIterationsWithBoundedUsers) {
  Workers workers(2);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.concurrency = 5;
  spec.iterations = 103;
  std::atomic<bool> interrupt{false};
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(1), &concurrent, &peak), interrupt);
  EXPECT_EQ(r.started, 103u);
  EXPECT_EQ(r.completed, 103u);
  EXPECT_EQ(r.dropped, 0u);
  EXPECT_LE(peak.load(), 5);
  EXPECT_FALSE(r.interrupted);
}

TEST(Workload, APhaseFasterThanTheStartGridReportsANonNegativeDuration) {
  // The iteration completes at once, on the loop, well inside the 1 ms by which the start grid
  // leads the call: the duration is measured from the call, so it can never be negative.
  Workers workers(1);
  WorkloadSpec spec;
  spec.concurrency = 1;
  spec.iterations = 1;
  std::atomic<bool> interrupt{false};
  const WorkloadResult r = RunWorkload(
      workers, spec, [](unsigned, Clock::time_point, std::function<void()> done) { done(); },
      interrupt);
  EXPECT_EQ(r.completed, 1u);
  EXPECT_GE(r.seconds, 0.0);
}

TEST(Workload, ClosedModelForADuration) {
  Workers workers(1);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.concurrency = 2;
  spec.duration = std::chrono::milliseconds(200);
  std::atomic<bool> interrupt{false};
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(10), &concurrent, &peak), interrupt);
  EXPECT_GT(r.completed, 10u);
  EXPECT_LT(r.completed, 60u);  // 2 users x 200 ms / 10 ms = ~40
  EXPECT_EQ(r.started, r.completed);
}

TEST(Workload, OpenModelCountsEveryArrivalAndDropsBeyondMaxInFlight) {
  Workers workers(2);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.kind = WorkloadSpec::Kind::kOpen;
  spec.stages = {{500, 500, 0.4}};  // 200 arrivals
  spec.max_in_flight = 10;
  std::atomic<bool> interrupt{false};
  // Each iteration takes 50 ms: 500/s x 50 ms = 25 would be in flight, so some are dropped.
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(50), &concurrent, &peak), interrupt);
  EXPECT_EQ(r.scheduled, 200u);
  EXPECT_EQ(r.started + r.dropped, r.scheduled);  // every arrival accounted for exactly once
  EXPECT_GT(r.dropped, 0u);
  EXPECT_EQ(r.completed, r.started);
  EXPECT_LE(peak.load(), 10);
  EXPECT_DOUBLE_EQ(r.target_rate, 500);
  EXPECT_EQ(r.schedule_lag.count(), r.started);
}

TEST(Workload, InterruptStopsANeverEndingPhase) {
  Workers workers(1);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.concurrency = 3;
  spec.duration = std::chrono::hours(1);
  std::atomic<bool> interrupt{false};
  std::thread stopper([&interrupt] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    interrupt = true;
  });
  const auto start = Clock::now();
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(5), &concurrent, &peak), interrupt);
  stopper.join();
  EXPECT_TRUE(r.interrupted);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.started, r.completed);
}

// A loopback port that accepts connections (the kernel's backlog) and never answers: a hung server.
class Silent {
 public:
  Silent() {
    int port = 0;
    fd_ = testing::ListenLoopback(16, &port);
    url_ = "http://127.0.0.1:" + std::to_string(port) + "/";
  }
  ~Silent() { close(fd_); }
  const std::string& url() const { return url_; }

 private:
  int fd_;
  std::string url_;
};

// An abort stops new iterations, gives the requests in flight `abort_grace`, then cuts them; the
// request each iteration would send next is refused at once instead of waiting on the server.
TEST(Workload, AbortCutsInFlightRequestsAfterItsGraceAndRefusesTheNextOnes) {
  Silent server;
  Workers workers(1);
  TransportOptions transport;  // 60 s request timeout: only the cut ends these requests
  WorkloadSpec spec;
  spec.concurrency = 2;
  spec.iterations = 1000;
  std::atomic<bool> interrupt{false}, abort{false};
  int begun = 0;  // loop thread only
  std::mutex mutex;
  std::vector<TransportError> first, second;
  auto send = [&](unsigned w, std::function<void(HttpResult&)> then) {
    auto exchange = std::make_unique<HttpExchange>();
    exchange->call = {"GET", server.url(), {}, {}};
    exchange->options = &transport;
    exchange->on_done = std::move(then);
    workers.loop(w).Send(std::move(exchange));
  };
  const Iteration iteration = [&](unsigned w, Clock::time_point, std::function<void()> done) {
    send(w, [&, w, done](HttpResult& r) {
      {
        std::lock_guard lock(mutex);
        first.push_back(r.error);
      }
      send(w, [&, done](HttpResult& next) {
        {
          std::lock_guard lock(mutex);
          second.push_back(next.error);
        }
        done();
      });
    });
    // A rule trips once both users' first requests are in flight.
    if (++begun == 2) abort = true;
  };
  const auto start = Clock::now();
  const WorkloadResult r = RunWorkload(workers, spec, iteration, interrupt, std::chrono::seconds(5),
                                       &abort, std::chrono::milliseconds(200));
  const auto took = Clock::now() - start;
  EXPECT_TRUE(r.aborted);
  EXPECT_FALSE(r.interrupted);
  EXPECT_EQ(r.started, 2u);
  EXPECT_EQ(r.completed, 2u);
  EXPECT_GE(took, std::chrono::milliseconds(200));
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(first,
            (std::vector<TransportError>{TransportError::kAborted, TransportError::kAborted}));
  EXPECT_EQ(second,
            (std::vector<TransportError>{TransportError::kAborted, TransportError::kAborted}));
  // The next phase sends again.
  std::atomic<bool> no_abort{false};
  std::vector<TransportError> after;
  WorkloadSpec one;
  one.iterations = 1;
  const Iteration unsent = [&](unsigned w, Clock::time_point, std::function<void()> done) {
    auto exchange = std::make_unique<HttpExchange>();
    exchange->call = {"GET", "http://127.0.0.1:1/", {}, {}};  // refused by the kernel, if sent
    exchange->options = &transport;
    exchange->on_done = [&after, done](HttpResult& res) {
      after.push_back(res.error);
      done();
    };
    workers.loop(w).Send(std::move(exchange));
  };
  RunWorkload(workers, one, unsent, no_abort);
  EXPECT_EQ(after, std::vector<TransportError>{TransportError::kConnectRefused});
}

}  // namespace
}  // namespace teeharness::engine
