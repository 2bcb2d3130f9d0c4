#include "harness/protocol/sse_stream.h"

#include <gtest/gtest.h>

#include "harness/protocol/chat.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::protocol {
namespace {

TEST(SseStream, RealStreamAtEverySplitPoint) {
  const std::string sse =
      testing::ReadFileOrFail(testing::VectorsDir() + "/phala-2024-stream/response.sse");
  const auto now = std::chrono::steady_clock::now();
  size_t expected_events = 0;
  {
    SseStream whole([&](std::string_view, SseStream::TimePoint) { ++expected_events; });
    whole.Feed(sse, now);
  }
  ASSERT_GT(expected_events, 5u);
  for (size_t split = 0; split <= sse.size(); ++split) {
    ChatStreamAccumulator chat;
    SseStream stream([&](std::string_view data, SseStream::TimePoint t) { chat.OnEvent(data, t); });
    stream.Feed(std::string_view(sse).substr(0, split), now);
    stream.Feed(std::string_view(sse).substr(split), now);
    ASSERT_EQ(stream.events(), expected_events) << "split " << split;
    ASSERT_TRUE(chat.done()) << "split " << split;
    ASSERT_EQ(chat.malformed_events(), 0u);
  }
}

TEST(SseStream, LineEndingsCommentsAndMultiLineData) {
  std::vector<std::string> events;
  SseStream stream([&](std::string_view data, SseStream::TimePoint) { events.emplace_back(data); });
  const auto t = std::chrono::steady_clock::now();
  const std::string input =
      ": keep-alive\r\ndata:a\r\ndata: b\r\n\r\nevent: x\ndata: c\n\ndata: d\r\r";
  for (char c : input) stream.Feed(std::string_view(&c, 1), t);  // byte by byte, \r\n split
  EXPECT_EQ(events, (std::vector<std::string>{"a\nb", "c", "d"}));
}

TEST(SseStream, OversizedEventsAreDroppedAndCounted) {
  std::vector<std::string> events;
  SseStream stream([&](std::string_view data, SseStream::TimePoint) { events.emplace_back(data); },
                   16);
  const auto t = std::chrono::steady_clock::now();
  stream.Feed("data: " + std::string(100, 'x') + "\n\ndata: ok\n\n", t);
  EXPECT_EQ(events, (std::vector<std::string>{"ok"}));
  EXPECT_EQ(stream.oversized_events(), 1u);
}

}  // namespace
}  // namespace teeharness::protocol
