#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

#include "harness/crypto/sha256.h"
#include "harness/workload/dataset_reader.h"
#include "harness/workload/dataset_record.h"
#include "harness/workload/request_source.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::workload {
namespace {

using Format = DatasetSpec::Format;

std::string Compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return b.GetString();
}

std::string LineError(const std::string& line, Format format) {
  rapidjson::Document request;
  Result<bool> ok = ParseDatasetLine(line, format, request);
  return ok.ok() ? "" : ok.error();
}

TEST(DatasetLine, OpenAiKeepsTheBodyAsWritten) {
  rapidjson::Document request;
  ASSERT_TRUE(ParseDatasetLine(
                  R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":7,"top_p":0.5})",
                  Format::kOpenAi, request)
                  .ok());
  EXPECT_EQ(Compact(request),
            R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":7,"top_p":0.5})");
}

TEST(DatasetLine, ShareGptTakesTheFirstHumanTurnAndTheAnswersLength) {
  rapidjson::Document request;
  ASSERT_TRUE(ParseDatasetLine(R"({"id":"x","conversations":[{"from":"system","value":"s"},
      {"from":"human","value":"What is DNS?"},{"from":"gpt","value":"A naming system (40 chars)."},
      {"from":"human","value":"more"}]})",
                               Format::kShareGpt, request)
                  .ok());
  // 27 characters at four a token: 7.
  EXPECT_EQ(Compact(request),
            R"({"messages":[{"role":"user","content":"What is DNS?"}],"max_tokens":7})");
  ASSERT_TRUE(ParseDatasetLine(R"({"conversations":[{"from":"human","value":"alone"}]})",
                               Format::kShareGpt, request)
                  .ok());
  EXPECT_FALSE(request.HasMember("max_tokens"));  // the scenario's default applies
}

TEST(DatasetLine, ErrorsNameTheField) {
  EXPECT_EQ(LineError(R"({"prompt":"x"})", Format::kOpenAi), "messages: missing");
  EXPECT_EQ(LineError(R"({"messages":[]})", Format::kOpenAi),
            "messages: must be a non-empty array");
  EXPECT_EQ(
      LineError(R"({"messages":[{"role":"user","content":"a"},{"content":"b"}]})", Format::kOpenAi),
      "messages[1].role: missing");
  EXPECT_EQ(LineError(R"({"messages":[{"role":"user"}]})", Format::kOpenAi),
            "messages[0].content: missing");
  EXPECT_EQ(
      LineError(R"({"messages":[{"role":"user","content":"a"}],"max_tokens":0})", Format::kOpenAi),
      "max_tokens: must be an integer >= 1");
  EXPECT_EQ(LineError(R"([1])", Format::kOpenAi), "(line): not a JSON object");
  EXPECT_EQ(LineError(R"({"conversations":[{"from":"gpt","value":"a"}]})", Format::kShareGpt),
            "conversations: no human turn");
  EXPECT_EQ(LineError(R"({"conversations":[{"from":"human"}]})", Format::kShareGpt),
            "conversations[0].value: missing or not a string");
  EXPECT_EQ(LineError(R"({"items":[]})", Format::kShareGpt), "conversations: missing");
  EXPECT_NE(LineError("{\"messages\":", Format::kOpenAi).find("(line): not JSON"),
            std::string::npos);
}

TEST(DatasetFile, ErrorsNameFileLineAndField) {
  testing::TempDir dir;
  const std::string path = dir.Write(
      "p.jsonl",
      "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}\n\n"
      "{\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}\r\n"
      "{\"messages\":[{\"role\":\"user\",\"content\":\"c\"},{\"role\":7,\"content\":\"d\"}]}\n");
  Result<uint64_t> read = ReadDataset(path, Format::kOpenAi, [](auto&, auto&) {});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), path + ":4: messages[1].role: must be a string");
  EXPECT_EQ(ReadDataset(dir.path() + "/none.jsonl", Format::kOpenAi, [](auto&, auto&) {}).error(),
            dir.path() + "/none.jsonl: cannot read the dataset file");
  const std::string blank = dir.Write("blank.jsonl", "\n  \n");
  EXPECT_EQ(ReadDataset(blank, Format::kOpenAi, [](auto&, auto&) {}).error(),
            blank + ": no prompts (every line is blank)");
}

TEST(DatasetFile, OffsetsPointAtEachLineAcrossBlocks) {
  testing::TempDir dir;
  // Lines longer than the reader's block, so that some straddle two blocks.
  std::string text;
  std::vector<std::string> lines;
  for (int i = 0; i < 5; ++i) {
    lines.push_back(R"({"messages":[{"role":"user","content":")" +
                    std::string(400000 + i, 'a' + i) + R"("}]})");
    text += lines.back() + "\n";
  }
  const std::string path = dir.Write("big.jsonl", text);
  std::vector<DatasetLine> seen;
  Result<uint64_t> read =
      ReadDataset(path, Format::kOpenAi, [&](const DatasetLine& l, auto&) { seen.push_back(l); });
  ASSERT_TRUE(read.ok()) << read.error();
  ASSERT_EQ(seen.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(text.substr(seen[i].offset, seen[i].length), lines[i]);
    EXPECT_EQ(seen[i].number, i + 1);
  }
}

TEST(DatasetSource, ShippedDatasetGivesDistinctHashedBodiesInSeededOrder) {
  DatasetSpec spec{testing::SourceDir() + "/scenarios/data/prompts.jsonl", Format::kOpenAi,
                   DatasetSpec::Order::kShuffle};
  BodyDefaults defaults{"m", true, 64, true, "{}"};
  auto open = [&](uint64_t seed) {
    Result<std::unique_ptr<RequestSource>> s = OpenRequestSource({"{}", spec, {}}, defaults, seed);
    EXPECT_TRUE(s.ok()) << s.error();
    return std::move(s).value();
  };
  auto a = open(7), b = open(7), c = open(8);
  EXPECT_EQ(a->kind(), "dataset");
  ASSERT_GE(a->distinct(), 190u);
  std::set<std::string> bodies;
  for (uint64_t i = 0; i < a->distinct(); ++i) {
    const PreparedBody& body = a->Body(i)->get();
    // Hashed once when built, over exactly these bytes.
    EXPECT_EQ(body.sha256, crypto::Sha256::Hash(body.bytes));
    EXPECT_NE(body.bytes.find("\"stream_options\":{\"include_usage\":true}"), std::string::npos);
    bodies.insert(body.bytes);
  }
  EXPECT_EQ(bodies.size(), a->distinct());  // every line once per cycle
  EXPECT_EQ(a->Body(3)->get().bytes, b->Body(3)->get().bytes);
  EXPECT_EQ(a->Body(3)->get().bytes, a->Body(3 + a->distinct())->get().bytes);
  int differ = 0;
  for (uint64_t i = 0; i < 10; ++i) differ += a->Body(i)->get().bytes != c->Body(i)->get().bytes;
  EXPECT_GT(differ, 5);
}

TEST(DatasetSource, AnIndexedFileGivesTheSameBodiesAsThePool) {
  DatasetSpec spec{testing::SourceDir() + "/scenarios/data/prompts.jsonl", Format::kOpenAi,
                   DatasetSpec::Order::kShuffle};
  BodyDefaults defaults{"m", false, 32, true, R"({"temperature":0.5})"};
  Result<std::unique_ptr<RequestSource>> pooled = OpenRequestSource({"{}", spec, {}}, defaults, 3);
  Result<std::unique_ptr<RequestSource>> indexed =
      OpenRequestSource({"{}", spec, {}}, defaults, 3, /*pool_bytes=*/0);
  ASSERT_TRUE(pooled.ok() && indexed.ok());
  ASSERT_EQ((*pooled)->distinct(), (*indexed)->distinct());
  for (uint64_t i = 0; i < (*pooled)->distinct(); ++i) {
    Result<BodyRef> a = (*pooled)->Body(i), b = (*indexed)->Body(i);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(a->borrowed, nullptr);  // built before the run
    EXPECT_NE(b->owned, nullptr);     // built when due
    EXPECT_EQ(a->get().bytes, b->get().bytes);
    EXPECT_EQ(a->get().sha256, b->get().sha256);
  }
}

TEST(DatasetSource, AFileChangedUnderTheRunIsAnErrorNotACrash) {
  testing::TempDir dir;
  const std::string path =
      dir.Write("p.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"abc\"}]}\n");
  Result<std::unique_ptr<RequestSource>> source = OpenRequestSource(
      {"{}", DatasetSpec{path, Format::kOpenAi, DatasetSpec::Order::kSequential}, {}},
      BodyDefaults{}, 1, 0);
  ASSERT_TRUE(source.ok());
  dir.Write("p.jsonl", "garbage\n");
  Result<BodyRef> body = (*source)->Body(0);
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.error().find(path + ":1: "), std::string::npos) << body.error();
}

}  // namespace
}  // namespace teeharness::workload
