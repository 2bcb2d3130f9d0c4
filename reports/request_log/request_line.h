#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "reports/request_log/request_record.h"

namespace teeharness::reports {

// Steady-clock instants as Unix seconds: the wall clock at one steady instant, taken once.
// Plain value type.
struct WallClockAnchor {
  std::chrono::steady_clock::time_point steady;
  std::chrono::system_clock::time_point wall;

  static WallClockAnchor Now() {
    return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()};
  }
  int64_t UnixMicros(std::chrono::steady_clock::time_point t) const;
};

// Appends one `--requests-out` line (a JSON object and "\n") to `out`: phase, op, worker,
// iteration, intended/start/first_byte/end as Unix seconds (microseconds), status, bytes, chat_id,
// ttft_seconds, tokens {prompt, completion, estimated}, error, failed_checks. Absent values are
// null. Strings are JSON-escaped (a chat id comes from the server). Thread-safe (pure).
void AppendRequestLine(const RequestRecord& record, const WallClockAnchor& anchor,
                       std::string& out);

}  // namespace teeharness::reports
