#include "mocks/signer_options.h"

#include <gtest/gtest.h>

#include <vector>

namespace teeharness::mocks {
namespace {

Result<SignerOptions> Parse(std::vector<const char*> args) {
  bool help = false;
  return ParseSignerOptions(args, &help);
}

TEST(SignerOptions, NearServesThe2026ShapeWithTheProxysRetentionByDefault) {
  Result<SignerOptions> near = Parse({"--dialect", "near"});
  ASSERT_TRUE(near.ok()) << near.error();
  EXPECT_EQ(near->near_version, "2026");
  EXPECT_EQ(near->signature_kind, "provider_tee");
  EXPECT_EQ(near->retention, std::chrono::seconds(1200));
  EXPECT_EQ(near->cache_cap, 10000u);
  // Given values win; other dialects keep the documented 5 minutes and 1000 entries.
  Result<SignerOptions> given = Parse({"--dialect", "near", "--retention", "3s", "--cache-cap", "5",
                                       "--near-version", "2025", "--signature-kind", "alternate"});
  ASSERT_TRUE(given.ok()) << given.error();
  EXPECT_EQ(given->retention, std::chrono::seconds(3));
  EXPECT_EQ(given->cache_cap, 5u);
  EXPECT_EQ(given->near_version, "2025");
  EXPECT_EQ(given->signature_kind, "alternate");
  Result<SignerOptions> phala = Parse({});
  ASSERT_TRUE(phala.ok());
  EXPECT_EQ(phala->retention, std::chrono::seconds(300));
  EXPECT_EQ(phala->cache_cap, 1000u);
}

TEST(SignerOptions, BadNearValuesAndTheNewFaults) {
  EXPECT_FALSE(Parse({"--near-version", "2024"}).ok());
  EXPECT_FALSE(Parse({"--signature-kind", "model"}).ok());
  for (const char* fault : {"stream_disconnected", "signature_unsupported", "gateway_wrong_binding",
                            "wrong_signature_kind"}) {
    EXPECT_TRUE(IsKnownFault(fault)) << fault;
  }
  EXPECT_FALSE(IsKnownFault("stream_disconnect"));
}

TEST(SignerOptions, TlsFlags) {
  EXPECT_FALSE(Parse({})->tls);
  EXPECT_TRUE(Parse({"--tls"})->tls);
  Result<SignerOptions> given = Parse({"--tls-cert", "c.pem", "--tls-key", "k.pem"});
  ASSERT_TRUE(given.ok()) << given.error();
  EXPECT_TRUE(given->tls);  // a certificate implies --tls
  EXPECT_EQ(given->tls_cert, "c.pem");
  Result<SignerOptions> half = Parse({"--tls-cert", "c.pem"});
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().find("--tls-cert and --tls-key go together"), std::string::npos);
  EXPECT_TRUE(IsKnownFault("tls_key_mismatch"));
}

}  // namespace
}  // namespace teeharness::mocks

namespace teeharness::mocks {
namespace {

TEST(SignerOptions, LoadModelFlags) {
  Result<SignerOptions> o = Parse({"--capacity", "4", "--ttft", "normal:50ms:10ms", "--itl", "5ms",
                                   "--batch-slowdown", "0.25", "--output-tokens", "uniform:8:64"});
  ASSERT_TRUE(o.ok()) << o.error();
  EXPECT_EQ(o->capacity, 4u);
  EXPECT_EQ(o->ttft.kind, workload::Distribution::Kind::kNormal);
  EXPECT_DOUBLE_EQ(o->ttft.mean, 0.05);
  EXPECT_DOUBLE_EQ(o->itl.value, 0.005);
  EXPECT_DOUBLE_EQ(o->batch_slowdown, 0.25);
  ASSERT_TRUE(o->output_tokens.has_value());
  EXPECT_EQ(o->output_tokens->max, 64);
  EXPECT_FALSE(Parse({"--capacity", "-1"}).ok());
  EXPECT_FALSE(Parse({"--batch-slowdown", "x"}).ok());
  EXPECT_FALSE(Parse({"--ttft", "normal:50ms"}).ok());
  EXPECT_FALSE(Parse({"--output-tokens", "uniform:9:3"}).ok());
  Result<SignerOptions> defaults = Parse({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->capacity, 0u);
  EXPECT_FALSE(defaults->output_tokens.has_value());
}

}  // namespace
}  // namespace teeharness::mocks
