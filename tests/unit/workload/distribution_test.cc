#include "harness/workload/distribution.h"

#include <gtest/gtest.h>

#include <set>

#include "harness/workload/distribution_parse.h"
#include "tests/support/files.h"

namespace teeharness::workload {
namespace {

Distribution Parsed(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  Result<Distribution> d = ParseDistributionJson(doc, "");
  EXPECT_TRUE(d.ok()) << json << ": " << d.error();
  return d.ok() ? *d : Distribution{};
}

std::string ParseError(const std::string& json, const std::string& base = "") {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  Result<Distribution> d = ParseDistributionJson(doc, base);
  return d.ok() ? "" : d.error();
}

TEST(Distribution, UniformStaysWithinItsBoundsAndCoversThem) {
  const Distribution d = Parsed(R"({"dist":"uniform","min":50,"max":60})");
  SplitMix64 g(1);
  std::set<uint32_t> seen;
  for (int i = 0; i < 5000; ++i) {
    const uint32_t v = SampleTokens(d, g);
    ASSERT_GE(v, 50u);
    ASSERT_LE(v, 60u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 11u);  // every value of [50, 60] drawn
}

TEST(Distribution, NormalIsClippedAndCentred) {
  const Distribution d = Parsed(R"({"dist":"normal","mean":200,"sd":50,"min":120,"max":260})");
  SplitMix64 g(2);
  double sum = 0;
  uint32_t low = 1000, high = 0;
  for (int i = 0; i < 20000; ++i) {
    const uint32_t v = SampleTokens(d, g);
    low = std::min(low, v);
    high = std::max(high, v);
    sum += v;
  }
  EXPECT_EQ(low, 120u);  // about 5% of draws fall below the clip
  EXPECT_EQ(high, 260u);
  EXPECT_NEAR(sum / 20000, 197, 5);  // the clip at +1.2 sd pulls the mean down a little
}

TEST(Distribution, NormalDefaultsToAtLeastOneToken) {
  const Distribution d = Parsed(R"({"dist":"normal","mean":2,"sd":10})");
  SplitMix64 g(3);
  for (int i = 0; i < 2000; ++i) ASSERT_GE(SampleTokens(d, g), 1u);
}

TEST(Distribution, SameSeedSameDrawsOtherSeedOtherDraws) {
  const Distribution d = Parsed(R"({"dist":"uniform","min":1,"max":1000000})");
  auto draws = [&](uint64_t seed) {
    SplitMix64 g(seed);
    std::vector<uint32_t> out;
    for (int i = 0; i < 16; ++i) out.push_back(SampleTokens(d, g));
    return out;
  };
  EXPECT_EQ(draws(42), draws(42));
  EXPECT_NE(draws(42), draws(43));
  // Item generators depend on (seed, index) only.
  SplitMix64 a = GeneratorFor(9, 5), b = GeneratorFor(9, 5), c = GeneratorFor(9, 6);
  const uint64_t first = a.Next();
  EXPECT_EQ(first, b.Next());
  EXPECT_NE(first, c.Next());
}

TEST(Distribution, HistogramFollowsItsWeights) {
  testing::TempDir dir;
  dir.Write("h.txt", "# tokens weight\n10 1\n\n100,3\n");
  const Distribution d = Parsed(R"({"dist":"histogram","file":")" + dir.path() + R"(/h.txt"})");
  ASSERT_EQ(d.buckets.size(), 2u);
  SplitMix64 g(4);
  int hundreds = 0;
  for (int i = 0; i < 4000; ++i) {
    const uint32_t v = SampleTokens(d, g);
    ASSERT_TRUE(v == 10 || v == 100) << v;
    hundreds += v == 100;
  }
  EXPECT_NEAR(hundreds / 4000.0, 0.75, 0.03);
  // Relative to the scenario's folder.
  EXPECT_EQ(ParseError(R"({"dist":"histogram","file":"h.txt"})", dir.path()), "");
}

TEST(Distribution, ErrorsNameTheField) {
  EXPECT_EQ(ParseError(R"({"dist":"uniform","min":5})"), "max: missing for dist uniform");
  EXPECT_EQ(ParseError(R"({"dist":"uniform","min":9,"max":5})"), "min: greater than max");
  EXPECT_EQ(ParseError(R"({"dist":"normal","mean":5,"sd":"x"})"), "sd: must be a number");
  EXPECT_EQ(ParseError(R"({"dist":"poisson"})"),
            "dist: expected constant, uniform, normal or histogram, got \"poisson\"");
  EXPECT_EQ(ParseError(R"({"value":3})"), "dist: missing (constant, uniform, normal or histogram)");
  testing::TempDir dir;
  dir.Write("bad.txt", "10 1\n20 zero\n");
  EXPECT_EQ(ParseError(R"({"dist":"histogram","file":"bad.txt"})", dir.path()),
            "file: " + dir.path() + "/bad.txt:2: weight: not a number > 0");
  // A file that never ends is refused, not read into memory.
  EXPECT_EQ(ParseError(R"({"dist":"histogram","file":"/dev/zero"})"),
            "file: /dev/zero: larger than 1048576 bytes");
}

TEST(Distribution, TextFormsForTheMock) {
  Result<Distribution> constant = ParseDistributionText("16", false);
  ASSERT_TRUE(constant.ok());
  EXPECT_EQ(constant->value, 16);
  Result<Distribution> normal = ParseDistributionText("normal:50ms:10ms", true);
  ASSERT_TRUE(normal.ok()) << normal.error();
  EXPECT_DOUBLE_EQ(normal->mean, 0.05);
  EXPECT_DOUBLE_EQ(normal->sd, 0.01);
  Result<Distribution> uniform = ParseDistributionText("uniform:10:20", false);
  ASSERT_TRUE(uniform.ok());
  EXPECT_EQ(uniform->max, 20);
  EXPECT_FALSE(ParseDistributionText("uniform:10", false).ok());
  EXPECT_FALSE(ParseDistributionText("normal:1:2:3", false).ok());
  EXPECT_FALSE(ParseDistributionText("50ms", false).ok());
}

}  // namespace
}  // namespace teeharness::workload
