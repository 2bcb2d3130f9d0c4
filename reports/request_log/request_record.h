#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace teeharness::reports {

// One HTTP request of a run, as `--requests-out` writes it (one JSON line; README "Reports").
// Filled on the worker's loop thread when the response has been handled, then handed to the
// RequestLog. Plain value type, not thread-safe.
struct RequestRecord {
  using TimePoint = std::chrono::steady_clock::time_point;

  std::string phase;
  std::string op;  // attest, chat, signature, negative, http
  unsigned worker = 0;
  uint64_t iteration = 0;  // the worker's iteration in the phase, from 1
  // When it was due (the iteration's intended start for its first request: open model), handed to
  // the transport, its first body byte came (== end without a body) and it ended.
  TimePoint intended, start, first_byte, end;
  long status = 0;                     // HTTP status; 0 when there was no response
  uint64_t bytes = 0;                  // response body bytes received
  std::string chat_id;                 // chat and signature requests, once known
  std::optional<double> ttft_seconds;  // streamed chats: first token after the transfer began
  std::optional<uint64_t> prompt_tokens, completion_tokens;
  bool tokens_estimated = false;  // counted from stream chunks, not the server's usage
  std::string error;  // the error kind counted for it ("" = none), README "Reports" vocabulary
  std::vector<std::string> failed_checks;  // ids of the checks that failed judging its response
};

}  // namespace teeharness::reports
