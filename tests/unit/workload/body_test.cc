#include <gtest/gtest.h>

#include <set>

#include "harness/crypto/sha256.h"
#include "harness/workload/body_cursor.h"
#include "harness/workload/prepared_body.h"
#include "harness/workload/request_source.h"
#include "harness/workload/synthetic_prompt.h"
#include "harness/workload/synthetic_source.h"

namespace teeharness::workload {
namespace {

TEST(PreparedBody, SetsModelAndStreamAndFillsOnlyWhatIsMissing) {
  BodyDefaults defaults{"m/1", true, 32, true, R"({"temperature":0,"top_p":0.9})"};
  Result<PreparedBody> body = BuildPreparedBodyFromText(
      R"({"messages":[{"role":"user","content":"h\u00e9"}],"top_p":0.5,"stream":false})", defaults);
  ASSERT_TRUE(body.ok()) << body.error();
  EXPECT_EQ(body->bytes,
            "{\"messages\":[{\"role\":\"user\",\"content\":\"h\xc3\xa9\"}],\"top_p\":0.5,"
            "\"stream\":true,\"temperature\":0,\"model\":\"m/1\",\"max_tokens\":32,"
            "\"stream_options\":{\"include_usage\":true}}");
  EXPECT_EQ(body->sha256, crypto::Sha256::Hash(body->bytes));
  // The body's own max_tokens and stream_options win; no usage request when told not to.
  defaults.stream_usage = false;
  body = BuildPreparedBodyFromText(R"({"messages":[],"max_tokens":5})", defaults);
  EXPECT_NE(body->bytes.find("\"max_tokens\":5"), std::string::npos);
  EXPECT_EQ(body->bytes.find("stream_options"), std::string::npos);
  defaults.stream_usage = true;
  body = BuildPreparedBodyFromText(R"({"messages":[],"stream_options":{"include_usage":false}})",
                                   defaults);
  EXPECT_NE(body->bytes.find("{\"include_usage\":false}"), std::string::npos);
  EXPECT_EQ(body->bytes.find("true}"), std::string::npos);
  // Not streamed: no stream_options.
  defaults.stream = false;
  body = BuildPreparedBodyFromText(R"({"messages":[]})", defaults);
  EXPECT_EQ(body->bytes.find("stream_options"), std::string::npos);
  EXPECT_FALSE(BuildPreparedBodyFromText("[1]", defaults).ok());
  EXPECT_FALSE(BuildPreparedBodyFromText("{", defaults).ok());
}

size_t Words(const std::string& text) {
  size_t words = 0;
  for (size_t i = 0; i < text.size(); ++i)
    words += text[i] != ' ' && (i == 0 || text[i - 1] == ' ');
  return words;
}

TEST(SyntheticPrompt, LengthsFollowTheDistributionOneWordPerToken) {
  SyntheticSpec spec;
  spec.prompt_tokens = {Distribution::Kind::kUniform, 0, 50, 500};
  spec.output_tokens = Distribution{Distribution::Kind::kConstant, 77};
  for (uint64_t i = 0; i < 300; ++i) {
    const SyntheticPrompt p = GeneratePrompt(spec, 1, i);
    ASSERT_GE(p.words, 50u);
    ASSERT_LE(p.words, 500u);
    EXPECT_EQ(Words(p.content), p.words);
    EXPECT_EQ(p.max_tokens, 77u);
  }
}

TEST(SyntheticPrompt, SeedReproducesPromptsAndPrefixesBehaveAsDocumented) {
  SyntheticSpec spec;
  spec.prompt_tokens = {Distribution::Kind::kConstant, 40};
  spec.shared_prefix_tokens = 10;
  spec.unique_prefix = true;
  auto first_words = [](const std::string& text, size_t n) {
    size_t at = 0;
    for (size_t i = 0; i < n; ++i) at = text.find(' ', at + 1);
    return text.substr(0, at);
  };
  std::set<std::string> shared, unique, whole;
  for (uint64_t i = 0; i < 2000; ++i) {
    const SyntheticPrompt p = GeneratePrompt(spec, 5, i);
    EXPECT_EQ(p.words, 40u);
    shared.insert(first_words(p.content, 10));
    unique.insert(first_words(p.content, 18));
    whole.insert(p.content);
  }
  EXPECT_EQ(shared.size(), 1u);     // the same 10 words open every prompt
  EXPECT_EQ(unique.size(), 2000u);  // the next 8 are different for every prompt
  EXPECT_EQ(GeneratePrompt(spec, 5, 17).content, GeneratePrompt(spec, 5, 17).content);
  EXPECT_NE(GeneratePrompt(spec, 5, 17).content, GeneratePrompt(spec, 6, 17).content);
  // Too short for its prefixes: the prefixes are still all there.
  spec.prompt_tokens = {Distribution::Kind::kConstant, 3};
  EXPECT_EQ(GeneratePrompt(spec, 5, 0).words, 18u);
}

TEST(SyntheticSource, BodiesCarryTheDrawnMaxTokensAndTheirHash) {
  SyntheticSpec spec;
  spec.prompt_tokens = {Distribution::Kind::kConstant, 12};
  spec.output_tokens = Distribution{Distribution::Kind::kUniform, 0, 10, 20};
  SyntheticSource source(spec, BodyDefaults{"m", true, 99, true, "{}"}, 3);
  const PreparedBody body = source.Build(4);
  EXPECT_EQ(body.sha256, crypto::Sha256::Hash(body.bytes));
  EXPECT_EQ(body.bytes, source.Build(4).bytes);
  EXPECT_EQ(body.bytes.find("\"max_tokens\":99"), std::string::npos);  // drawn, not the default
  EXPECT_EQ(source.distinct(), 0u);
}

TEST(BodyCursor, HandsOutTheSourceOrderBuildingOneAhead) {
  Result<std::unique_ptr<RequestSource>> source =
      OpenRequestSource({R"({"messages":[{"role":"user","content":"x"}]})", {}, {}}, {}, 1);
  ASSERT_TRUE(source.ok());
  BodyCursor cursor(source->get());
  Result<BodyRef> a = cursor.Take();
  cursor.Prepare();
  cursor.Prepare();  // one ahead at most
  Result<BodyRef> b = cursor.Take();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->borrowed, b->borrowed);  // an inline body is one body, built once
  // Two numbers taken: the next one handed out by the source is 2.
  EXPECT_EQ((*source)->Next()->borrowed, a->borrowed);
}

TEST(RequestSource, SegmentsTakeDisjointNumbers) {
  SyntheticSpec spec;
  spec.prompt_tokens = {Distribution::Kind::kConstant, 10};
  spec.unique_prefix = true;
  SyntheticSource first(spec, {}, 1), second(spec, {}, 1);
  first.Partition(0, 2);
  second.Partition(1, 2);
  std::set<std::string> bodies;
  for (int i = 0; i < 50; ++i) {
    bodies.insert(first.Next()->get().bytes);
    bodies.insert(second.Next()->get().bytes);
  }
  EXPECT_EQ(bodies.size(), 100u);  // the two instances never send the same prompt
  EXPECT_EQ(first.Body(4).value().get().bytes, SyntheticSource(spec, {}, 1).Build(4).bytes);
}

}  // namespace
}  // namespace teeharness::workload
