#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::protocol {

// What the harness needs from a non-streamed completion body. Thread-safe (pure).
struct ChatCompletion {
  std::string id;
  std::string model;
  std::optional<uint64_t> completion_tokens;  // usage.completion_tokens when present
  std::optional<uint64_t> prompt_tokens;      // usage.prompt_tokens when present
};
Result<ChatCompletion> ParseChatCompletion(std::string_view body);

// Accumulates the `data:` payloads of an SSE completion stream, in order. Tokens are counted from
// the server's usage when a chunk carries it (not from chunk counts: one chunk may hold several
// tokens), else from content deltas. Malformed events are counted, never thrown. Not thread-safe:
// one per stream.
class ChatStreamAccumulator {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  void OnEvent(std::string_view data, TimePoint arrived);

  const std::string& id() const { return id_; }
  bool done() const { return done_; }
  // The first event carrying content (time to first token is measured to it).
  std::optional<TimePoint> first_token_time() const { return first_token_; }
  std::optional<TimePoint> last_token_time() const { return last_token_; }
  uint64_t content_events() const { return content_events_; }
  // The server's completion token count when given, else the content events.
  uint64_t tokens() const { return usage_tokens_.value_or(content_events_); }
  bool has_usage() const { return usage_tokens_.has_value(); }
  std::optional<uint64_t> prompt_tokens() const { return usage_prompt_tokens_; }
  uint64_t malformed_events() const { return malformed_; }
  uint64_t events_after_done() const { return after_done_; }

 private:
  std::string id_;
  bool done_ = false;
  std::optional<TimePoint> first_token_;
  std::optional<TimePoint> last_token_;
  uint64_t content_events_ = 0;
  std::optional<uint64_t> usage_tokens_;
  std::optional<uint64_t> usage_prompt_tokens_;
  uint64_t malformed_ = 0;
  uint64_t after_done_ = 0;
};

}  // namespace teeharness::protocol
