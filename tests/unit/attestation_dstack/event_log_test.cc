#include "harness/attestation/dstack/event_log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/attestation/dstack/replay.h"
#include "harness/attestation/quote/tdx_quote.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation/vectors.h"

namespace teeharness::attestation::dstack {
namespace {

// The dstack verifier's fixture: {quote (hex), event_log (a JSON string), report_data, vm_config}.
struct Fixture {
  rapidjson::Document doc;
  std::string event_log_text;
  TdxQuote quote;
  Fixture() {
    const std::string text =
        attestation::testing::ReadVector("dstack/dstack-verifier-quote-report.json");
    doc.Parse(text.c_str());
    event_log_text = doc["event_log"].GetString();
    quote = *ParseTdxQuote(*crypto::DecodeHex(doc["quote"].GetString()));
  }
};

std::vector<Event> Events(const Fixture& f) {
  Result<std::vector<Event>> events = ParseEventLog(f.event_log_text);
  EXPECT_TRUE(events.ok()) << events.error();
  return events.ok() ? *events : std::vector<Event>{};
}

TEST(EventLog, TheDstackLogParsesAsArrayOrString) {
  Fixture f;
  const std::vector<Event> events = Events(f);
  ASSERT_EQ(events.size(), 28u);
  EXPECT_EQ(events[0].imr, 0u);
  EXPECT_EQ(events.back().imr, 3u);
  EXPECT_EQ(events.back().event_type, kRuntimeEventType);
  EXPECT_EQ(events.back().event, "LIUM_MINER_HOTKEY");
  // The same log as a JSON string (as a report's field holds it).
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(f.event_log_text.c_str());
  Result<std::vector<Event>> from_string = ParseEventLog(buffer.GetString());
  ASSERT_TRUE(from_string.ok()) << from_string.error();
  EXPECT_EQ(from_string->size(), 28u);
  ASSERT_NE(RuntimeEventPayload(events, "compose-hash"), nullptr);
  EXPECT_EQ(crypto::EncodeHex(*RuntimeEventPayload(events, "compose-hash")),
            "3763bc34552cf3a27ff71ad5f7a90471562a1a2df552dfc1998cba2d60da27e7");
}

TEST(EventLog, TheDstackLogReplaysToItsQuotesRtmrs) {
  Fixture f;
  const std::vector<Event> events = Events(f);
  EXPECT_EQ(ReplayEventLog(events), f.quote.body.rtmr);
  const CheckResult c = CheckEventLogReplay(events, f.quote.body.rtmr);
  EXPECT_EQ(c.state, CheckState::kPass) << c.reason;
  EXPECT_EQ(c.reason, "28 events (8 runtime digests recomputed) replay to the quote's RTMR0-3");
  for (const Event& e : events) {
    if (e.imr == 3) {
      EXPECT_EQ(RuntimeEventDigest(e), e.digest) << e.event;
    }
  }
}

TEST(EventLog, ChangingAnyEventFailsTheReplay) {
  Fixture f;
  const std::vector<Event> original = Events(f);
  for (size_t i = 0; i < original.size(); ++i) {
    std::vector<Event> events = original;
    events[i].digest[7] ^= 0x20;
    EXPECT_EQ(CheckEventLogReplay(events, f.quote.body.rtmr).state, CheckState::kFail) << i;
    if (original[i].imr == 3) {
      events = original;
      events[i].payload.push_back('x');
      const CheckResult c = CheckEventLogReplay(events, f.quote.body.rtmr);
      EXPECT_EQ(c.state, CheckState::kFail) << i;
      EXPECT_EQ(c.reason.rfind("event_log[" + std::to_string(i) + "] '", 0), 0u) << c.reason;
      events = original;
      events[i].event += "!";
      EXPECT_EQ(CheckEventLogReplay(events, f.quote.body.rtmr).state, CheckState::kFail) << i;
    }
    events = original;
    events.erase(events.begin() + static_cast<long>(i));
    EXPECT_EQ(CheckEventLogReplay(events, f.quote.body.rtmr).state, CheckState::kFail) << i;
  }
  // Order matters too: two RTMR3 events swapped.
  std::vector<Event> swapped = original;
  std::swap(swapped[20], swapped[21]);
  EXPECT_EQ(CheckEventLogReplay(swapped, f.quote.body.rtmr).state, CheckState::kFail);
}

TEST(EventLog, MalformedLogsAreErrorsNamingTheField) {
  EXPECT_EQ(ParseEventLog("[{\"imr\":4,\"event_type\":1,\"digest\":\"\",\"event_payload\":\"\"}]")
                .error(),
            "event_log[0].imr is not an integer in 0..3");
  EXPECT_EQ(ParseEventLog("[{\"imr\":1,\"event_type\":1,\"digest\":\"00\",\"event_payload\":\"\"}]")
                .error()
                .rfind("event_log[0].digest: ", 0),
            0u);
  EXPECT_FALSE(ParseEventLog("{}").ok());
  EXPECT_FALSE(ParseEventLog("").ok());
  EXPECT_FALSE(ParseEventLog("\"not json\"").ok());
  EXPECT_FALSE(ParseEventLog(std::string(100000, '[')).ok());
  Result<std::vector<Event>> empty = ParseEventLog("[]");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace teeharness::attestation::dstack
