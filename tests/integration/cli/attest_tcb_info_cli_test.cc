// `teeharness attest verify --quote Q --tcb-info F` on the real dstack vector: its event log (as a
// JSON string inside tcb_info) replays to the quote's RTMRs; a changed event fails the replay.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "tests/support/files.h"
#include "tests/support/paths.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

std::string ResultOf(const std::string& json, const std::string& id) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (doc.HasParseError() || !doc.HasMember("checks")) return "no json";
  for (const auto& check : doc["checks"].GetArray()) {
    if (id == check["id"].GetString()) return check["result"].GetString();
  }
  return "missing";
}

struct Vector {
  rapidjson::Document doc;
  Vector() {
    doc.Parse(testing::ReadFileOrFail(testing::VectorsDir() +
                                      "/attestation/dstack/dstack-verifier-quote-report.json")
                  .c_str());
  }
  // {"event_log": "<the log's JSON text>"}, with `replace` applied to the log text.
  std::string TcbInfo(const std::string& from = "", const std::string& to = "") const {
    std::string log = doc["event_log"].GetString();
    if (!from.empty()) log.replace(log.find(from), from.size(), to);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("event_log");
    w.String(log.c_str());
    w.EndObject();
    return buffer.GetString();
  }
};

testing::ProcessResult Verify(const testing::TempDir& dir, const Vector& v,
                              const std::string& tcb_info) {
  return testing::RunProcess({testing::TeeharnessBinary(), "attest", "verify", "--quote",
                              dir.Write("q.hex", v.doc["quote"].GetString()), "--tcb-info",
                              dir.Write("tcb.json", tcb_info), "--json"});
}

TEST(AttestTcbInfoCli, TheDstackLogReplaysToItsQuote) {
  Vector v;
  testing::TempDir dir;
  const testing::ProcessResult r = Verify(dir, v, v.TcbInfo());
  EXPECT_EQ(ResultOf(r.out, "EVENTLOG-REPLAY"), "pass") << r.out << r.err;
  EXPECT_EQ(ResultOf(r.out, "COMPOSE-HASH"), "skip") << r.out;  // no app_compose in the vector
}

TEST(AttestTcbInfoCli, AChangedEventOrBrokenTcbInfoIsARejection) {
  Vector v;
  testing::TempDir dir;
  testing::ProcessResult r = Verify(dir, v, v.TcbInfo("\"system-ready\"", "\"system-READY\""));
  EXPECT_EQ(ResultOf(r.out, "EVENTLOG-REPLAY"), "fail") << r.out;
  EXPECT_EQ(r.exit_code, 1);
  r = Verify(dir, v, "{\"event_log\": 7}");
  EXPECT_EQ(ResultOf(r.out, "EVENTLOG-REPLAY"), "fail") << r.out;
  EXPECT_EQ(r.exit_code, 1);
}

}  // namespace
}  // namespace teeharness
