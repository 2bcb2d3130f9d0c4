#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <queue>
#include <vector>

#include "harness/workload/distribution.h"

namespace teeharness::mocks {

// How the mock paces a completion, like a loaded inference server (README "The mock's load
// model"):
//   - `capacity` generations run at once (0: no limit); a request beyond that waits, first come
//     first served, for the earliest slot to free up;
//   - once started, its first token comes after a draw of `ttft`, and each further token after a
//     draw of `itl` scaled by the batch: itl * (1 + batch_slowdown * (batch - 1)), where batch is
//     the number of generations running when it starts, itself included;
//   - it then holds its slot for ttft + (tokens - 1) * per-token delay, whether or not the client
//     stays (a server does not notice a client that left until it writes).
// The schedule is computed when the request arrives (no coroutine waits on another), so the
// queueing is exact for a FIFO queue in front of `capacity` servers. Thread-safe (a mutex).
class GenerationModel {
 public:
  using Clock = std::chrono::steady_clock;
  using Duration = std::chrono::nanoseconds;

  struct Settings {
    unsigned capacity = 0;
    workload::Distribution ttft;  // seconds
    workload::Distribution itl;   // seconds
    double batch_slowdown = 0;
  };
  struct Plan {
    Duration queued{0};     // waiting for a slot
    Duration ttft{0};       // from the start of the generation to the first token
    Duration per_token{0};  // between tokens
    unsigned batch = 1;     // generations running at its start, itself included
  };

  explicit GenerationModel(Settings settings);

  // Schedules a generation of `tokens` tokens arriving at `now`; `draws` gives the delays.
  Plan Admit(Clock::time_point now, uint32_t tokens, workload::SplitMix64& draws);

 private:
  Settings settings_;
  std::mutex mutex_;
  // With a capacity: when each slot frees up. Without: when each running generation ends.
  std::vector<Clock::time_point> slots_;
  std::priority_queue<Clock::time_point, std::vector<Clock::time_point>, std::greater<>> running_;
};

}  // namespace teeharness::mocks
