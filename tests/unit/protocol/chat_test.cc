#include "harness/protocol/chat.h"

#include <gtest/gtest.h>

#include "harness/protocol/json_body.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::protocol {
namespace {

TEST(ChatCompletion, ParsesIdAndUsage) {
  Result<ChatCompletion> completion = ParseChatCompletion(
      R"({"id":"chatcmpl-1","model":"m","choices":[],"usage":{"completion_tokens":7}})");
  ASSERT_TRUE(completion.ok());
  EXPECT_EQ(completion->id, "chatcmpl-1");
  EXPECT_EQ(completion->completion_tokens, 7u);
  EXPECT_FALSE(completion->prompt_tokens.has_value());
  completion = ParseChatCompletion(
      R"({"id":"c","usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}})");
  ASSERT_TRUE(completion.ok());
  EXPECT_EQ(completion->prompt_tokens, 12u);
  EXPECT_FALSE(ParseChatCompletion(R"({"error":{"message":"x"}})").ok());
  EXPECT_FALSE(ParseChatCompletion(R"({"id":5})").ok());
  EXPECT_FALSE(ParseChatCompletion("not json").ok());
  EXPECT_FALSE(ParseChatCompletion(R"({"usage":{"completion_tokens":"7"}})").ok());
}

TEST(ChatStream, RealPhalaStreamEvents) {
  const std::string sse =
      testing::ReadFileOrFail(testing::VectorsDir() + "/phala-2024-stream/response.sse");
  ChatStreamAccumulator stream;
  const auto t0 = std::chrono::steady_clock::now();
  size_t start = 0;
  int index = 0;
  // Split on blank lines; each event here is a single `data: ` line.
  while (start < sse.size()) {
    const size_t end = sse.find("\n\n", start);
    ASSERT_NE(end, std::string::npos);
    std::string_view line(sse.data() + start, end - start);
    ASSERT_EQ(line.substr(0, 6), "data: ");
    stream.OnEvent(line.substr(6), t0 + std::chrono::milliseconds(index++));
    start = end + 2;
  }
  EXPECT_TRUE(stream.done());
  EXPECT_EQ(stream.id(), "chat-7ee2a39468ce48d7b2284783f21782b0");
  EXPECT_GT(stream.content_events(), 3u);
  EXPECT_EQ(stream.malformed_events(), 0u);
  EXPECT_EQ(stream.first_token_time(), t0 + std::chrono::milliseconds(1));  // after the role chunk
}

TEST(ChatStream, UsageWinsOverChunkCountsAndGarbageIsCounted) {
  ChatStreamAccumulator stream;
  const auto t = std::chrono::steady_clock::now();
  stream.OnEvent(R"({"id":"c","choices":[{"delta":{"content":"two tokens"}}]})", t);
  stream.OnEvent("{garbage", t);
  EXPECT_FALSE(stream.prompt_tokens().has_value());
  // OpenAI's include_usage chunk: no choices, the whole usage.
  stream.OnEvent(R"({"id":"c","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2}})", t);
  stream.OnEvent("[DONE]", t);
  stream.OnEvent(R"({"late":1})", t);
  EXPECT_EQ(stream.content_events(), 1u);
  EXPECT_EQ(stream.tokens(), 2u);
  EXPECT_TRUE(stream.has_usage());
  EXPECT_EQ(stream.prompt_tokens(), 9u);
  EXPECT_EQ(stream.malformed_events(), 1u);
  EXPECT_EQ(stream.events_after_done(), 1u);
}

}  // namespace
}  // namespace teeharness::protocol

namespace teeharness::protocol {
namespace {

// A few megabytes of "[" overflowed RapidJSON's recursive parser (found with a hostile body);
// untrusted JSON is depth-checked and parsed iteratively.
TEST(UntrustedJson, RejectsDeepNestingWithoutRecursing) {
  rapidjson::Document document;
  const std::string deep(3'000'000, '[');
  EXPECT_EQ(ParseUntrustedJson(deep, document).error(),
            "nested deeper than 128 levels at offset 128");
  EXPECT_FALSE(ParseChatCompletion(std::string(100'000, '{')).ok());
  std::string fine = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(ParseUntrustedJson(fine, document).ok());
  // Brackets inside strings are text.
  EXPECT_TRUE(ParseUntrustedJson("{\"a\":\"" + std::string(1000, '[') + "\\\"\"}", document).ok());
  EXPECT_FALSE(ParseUntrustedJson("{\"n\": 1e99999}", document).ok());  // too big a number
  EXPECT_FALSE(ParseUntrustedJson(std::string("{\"a\":\"x\0y\"}", 11), document).ok());
}

}  // namespace
}  // namespace teeharness::protocol
