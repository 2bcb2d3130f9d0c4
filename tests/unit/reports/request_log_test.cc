// --requests-out: the bounded queue's drop counting, one request's JSON line, the writer.
#include "reports/request_log/request_log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <string>

#include "reports/request_log/bounded_queue.h"
#include "reports/request_log/request_line.h"
#include "tests/support/files.h"

namespace teeharness::reports {
namespace {

using std::chrono::milliseconds;

TEST(BoundedQueue, DropsAndCountsWhatDoesNotFit) {
  BoundedQueue<int> queue(4, milliseconds(0));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(queue.TryPush(int{i}), i < 4) << i;
  EXPECT_EQ(queue.pushed(), 4u);
  EXPECT_EQ(queue.dropped(), 2u);
  std::vector<int> batch;
  ASSERT_TRUE(queue.TakeAll(batch));
  EXPECT_EQ(batch, (std::vector<int>{0, 1, 2, 3}));  // in order, the first ones kept
  // Drained, it takes items again; the count of drops stays.
  EXPECT_TRUE(queue.TryPush(7));
  ASSERT_TRUE(queue.TakeAll(batch));
  EXPECT_EQ(batch, std::vector<int>{7});
  EXPECT_EQ(queue.dropped(), 2u);
  // Nothing queued: the consumer comes back empty-handed after its poll, not never.
  ASSERT_TRUE(queue.TakeAll(batch));
  EXPECT_TRUE(batch.empty());
}

TEST(BoundedQueue, AfterCloseDrainsThenStopsAndDropsLatePushes) {
  BoundedQueue<int> queue(8, milliseconds(1000));
  EXPECT_TRUE(queue.TryPush(1));
  queue.Close();
  EXPECT_FALSE(queue.TryPush(2));
  EXPECT_EQ(queue.dropped(), 1u);
  std::vector<int> batch;
  EXPECT_TRUE(queue.TakeAll(batch));  // closed: returns at once with what was left
  EXPECT_EQ(batch, std::vector<int>{1});
  EXPECT_FALSE(queue.TakeAll(batch));
}

RequestRecord SampleRecord() {
  RequestRecord r;
  r.phase = "chat";
  r.op = "signature";
  r.worker = 3;
  r.iteration = 17;
  const auto t0 = std::chrono::steady_clock::now();
  r.intended = t0;
  r.start = t0 + milliseconds(1);
  r.first_byte = t0 + milliseconds(5);
  r.end = t0 + milliseconds(9);
  r.status = 200;
  r.bytes = 373;
  r.chat_id = "chatcmpl-\"x\"\n<y>";  // from the server
  r.ttft_seconds = 0.004;
  r.completion_tokens = 16;
  r.tokens_estimated = true;
  r.failed_checks = {"SIG-TEXT", "SIG-ADDRESS"};
  return r;
}

TEST(RequestLine, OneJsonObjectPerLineWithEveryField) {
  const RequestRecord r = SampleRecord();
  const WallClockAnchor anchor{
      r.intended, std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000))};
  std::string text;
  AppendRequestLine(r, anchor, text);
  ASSERT_EQ(text.find('\n'), text.size() - 1) << text;  // the server's newline is escaped
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << text;
  EXPECT_STREQ(doc["phase"].GetString(), "chat");
  EXPECT_STREQ(doc["op"].GetString(), "signature");
  EXPECT_EQ(doc["worker"].GetUint(), 3u);
  EXPECT_EQ(doc["iteration"].GetUint64(), 17u);
  EXPECT_DOUBLE_EQ(doc["intended"].GetDouble(), 1'700'000'000.0);
  EXPECT_NEAR(doc["start"].GetDouble(), 1'700'000'000.001, 1e-6);
  EXPECT_NEAR(doc["first_byte"].GetDouble(), 1'700'000'000.005, 1e-6);
  EXPECT_NEAR(doc["end"].GetDouble(), 1'700'000'000.009, 1e-6);
  EXPECT_EQ(doc["status"].GetInt(), 200);
  EXPECT_EQ(doc["bytes"].GetUint64(), 373u);
  EXPECT_STREQ(doc["chat_id"].GetString(), "chatcmpl-\"x\"\n<y>");
  EXPECT_DOUBLE_EQ(doc["ttft_seconds"].GetDouble(), 0.004);
  EXPECT_TRUE(doc["tokens"]["prompt"].IsNull());
  EXPECT_EQ(doc["tokens"]["completion"].GetUint64(), 16u);
  EXPECT_TRUE(doc["tokens"]["estimated"].GetBool());
  EXPECT_TRUE(doc["error"].IsNull());
  ASSERT_EQ(doc["failed_checks"].Size(), 2u);
  EXPECT_STREQ(doc["failed_checks"][0].GetString(), "SIG-TEXT");

  RequestRecord failed;
  failed.error = "timeout";
  text.clear();
  AppendRequestLine(failed, anchor, text);
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << text;
  EXPECT_STREQ(doc["error"].GetString(), "timeout");
  EXPECT_TRUE(doc["chat_id"].IsNull());
  EXPECT_TRUE(doc["ttft_seconds"].IsNull());
}

TEST(RequestLog, WritesEveryLineAndCountsLateOnesAsDropped) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/requests.jsonl";
  Result<std::unique_ptr<RequestLog>> log = RequestLog::Open(path, 1024, milliseconds(5));
  ASSERT_TRUE(log.ok()) << log.error();
  for (int i = 0; i < 500; ++i) EXPECT_TRUE((*log)->Submit(SampleRecord()));
  const RequestLogSummary summary = (*log)->Finish();
  EXPECT_EQ(summary.path, path);
  EXPECT_EQ(summary.lines, 500u);
  EXPECT_EQ(summary.dropped, 0u);
  EXPECT_FALSE(summary.write_failed);
  EXPECT_FALSE((*log)->Submit(SampleRecord()));
  EXPECT_EQ((*log)->Finish().dropped, 1u);
  std::ifstream in(path);
  std::string line;
  size_t lines = 0;
  while (std::getline(in, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    EXPECT_FALSE(doc.HasParseError()) << line;
    ++lines;
  }
  EXPECT_EQ(lines, 500u);
}

TEST(RequestLog, AnUnwritablePathIsAnErrorNamingIt) {
  Result<std::unique_ptr<RequestLog>> log = RequestLog::Open("/nonexistent-dir/r.jsonl");
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.error().find("--requests-out /nonexistent-dir/r.jsonl: cannot be written"),
            std::string::npos)
      << log.error();
}

}  // namespace
}  // namespace teeharness::reports
