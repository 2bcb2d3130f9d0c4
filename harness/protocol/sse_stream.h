#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace teeharness::protocol {

// Incremental text/event-stream parser: fed chunks split anywhere (even inside "\r\n"), it calls
// `on_event(data, time)` once per complete event with its data lines joined by '\n' and the arrival
// time of the chunk that completed it. Handles \n, \r\n and \r line endings, "data:" with or
// without a space, comments and other fields. Memory is bounded: an event larger than `max_event`
// bytes is dropped and counted. Never throws on garbage. Not thread-safe: one per stream.
class SseStream {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using EventFn = std::function<void(std::string_view data, TimePoint arrived)>;

  explicit SseStream(EventFn on_event, size_t max_event = 1 << 20)
      : on_event_(std::move(on_event)), max_event_(max_event) {}

  void Feed(std::string_view chunk, TimePoint arrived);
  uint64_t oversized_events() const { return oversized_; }
  uint64_t events() const { return events_; }

 private:
  void Line(std::string_view line, TimePoint arrived);

  EventFn on_event_;
  size_t max_event_;
  std::string line_;
  std::string data_;
  bool has_data_ = false;
  bool oversized_event_ = false;
  bool last_was_cr_ = false;
  uint64_t oversized_ = 0;
  uint64_t events_ = 0;
};

}  // namespace teeharness::protocol
