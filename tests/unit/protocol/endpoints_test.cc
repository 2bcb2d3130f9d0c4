#include "harness/protocol/endpoints.h"

#include <gtest/gtest.h>

namespace teeharness::protocol {
namespace {

TEST(Endpoints, PhalaAndNearPaths) {
  const Endpoints phala(Dialect::kPhala, "http://h:1/");
  const HttpCall attest = phala.Attestation(std::string(64, 'a'), "ecdsa", "");
  EXPECT_EQ(attest.method, "GET");
  EXPECT_EQ(attest.url, "http://h:1/v1/attestation/report?nonce=" + std::string(64, 'a') +
                            "&signing_algo=ecdsa");
  EXPECT_EQ(phala.Chat("{}").url, "http://h:1/v1/chat/completions");
  EXPECT_EQ(phala.Chat("{}").body, "{}");
  EXPECT_EQ(phala.Signature("chat-1/x y", "ed25519").url,
            "http://h:1/v1/signature/chat-1%2Fx%20y?signing_algo=ed25519");
  EXPECT_EQ(phala.Root().url, "http://h:1/");
}

TEST(Endpoints, NearNamesTheModelAndOptionalParameters) {
  const Endpoints near(Dialect::kNear, "http://h:1");
  AttestationQuery query;
  query.nonce = "ab";
  query.signing_algo = "ed25519";
  query.model = "org/m 1";
  EXPECT_EQ(near.Attestation(query).url,
            "http://h:1/v1/attestation/report?model=org%2Fm%201&signing_algo=ed25519&nonce=ab");
  query.signing_address = "0xAb";
  query.include_tls_fingerprint = true;
  EXPECT_EQ(near.Attestation(query).url,
            "http://h:1/v1/attestation/report?model=org%2Fm%201&signing_algo=ed25519&nonce=ab"
            "&signing_address=0xAb&include_tls_fingerprint=true");
  EXPECT_EQ(near.Signature("c1", "ecdsa", "org/m").url,
            "http://h:1/v1/signature/c1?model=org%2Fm&signing_algo=ecdsa");
  // phala ignores the near-only parameters.
  const Endpoints phala(Dialect::kPhala, "http://h:1");
  EXPECT_EQ(phala.Attestation(query).url,
            "http://h:1/v1/attestation/report?nonce=ab&signing_algo=ed25519");
  EXPECT_EQ(phala.Signature("c1", "ecdsa", "org/m").url,
            "http://h:1/v1/signature/c1?signing_algo=ecdsa");
}

TEST(Endpoints, IonetPostsJson) {
  const Endpoints ionet(Dialect::kIonet, "http://h:1");
  const HttpCall attest = ionet.Attestation("ab\"c", "", "uuid-1");
  EXPECT_EQ(attest.method, "POST");
  EXPECT_EQ(attest.url, "http://h:1/v1/private/attestation");
  EXPECT_EQ(attest.body, R"({"model_id":"uuid-1","nonce":"ab\"c"})");
  EXPECT_EQ(ionet.Chat("{}").url, "http://h:1/v1/private/completions");
  EXPECT_EQ(ionet.Models().url, "http://h:1/v1/models");
}

TEST(Endpoints, RootIsTheUrlAsGiven) {
  EXPECT_EQ(Endpoints(Dialect::kPhala, "http://h:1/data.json").Root().url, "http://h:1/data.json");
}

}  // namespace
}  // namespace teeharness::protocol
