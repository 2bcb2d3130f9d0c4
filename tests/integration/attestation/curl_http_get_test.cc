// The libcurl GET the PCS client uses, against the real mock process: exact bodies, headers of the
// final response found case-insensitively, the body limit, and transport failures (TLS spoken to a
// plain HTTP server, nothing listening) as errors that name the URL.
#include <gtest/gtest.h>

#include "harness/attestation/collateral/http_get.h"
#include "tests/support/mock_server.h"

namespace teeharness::attestation {
namespace {

using testing::MockServer;

TEST(CurlHttpGet, ReturnsExactBodyStatusAndHeaders) {
  MockServer mock({});
  ASSERT_TRUE(mock.started());
  const std::string url = mock.url("/tdx/certification/v4/tcb?fmspc=00906ED50000");
  Result<HttpResponse> r = CurlHttpGet()(url);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, testing::HttpRequest("GET", url).body);  // byte for byte
  EXPECT_EQ(r->body.rfind("{\"tcbInfo\":{", 0), 0u) << r->body.substr(0, 40);
  ASSERT_TRUE(r->Header("tcb-info-issuer-chain").has_value());
  EXPECT_EQ(r->Header("TCB-INFO-ISSUER-CHAIN"), r->Header("TCB-Info-Issuer-Chain"));
  EXPECT_NE(r->Header("TCB-Info-Issuer-Chain")->find("BEGIN%20CERTIFICATE"), std::string::npos);
  // A non-200 status is a response, not a transport error: the caller names it.
  Result<HttpResponse> missing = CurlHttpGet()(mock.url("/tdx/certification/v4/tcb?fmspc=00"));
  ASSERT_TRUE(missing.ok()) << missing.error();
  EXPECT_EQ(missing->status, 404);
}

TEST(CurlHttpGet, TransportFailuresNameTheUrl) {
  MockServer mock({});
  ASSERT_TRUE(mock.started());
  CurlGetOptions small;
  small.max_body_bytes = 100;
  const std::string url = mock.url("/tdx/certification/v4/tcb?fmspc=00906ED50000");
  Result<HttpResponse> r = CurlHttpGet(small)(url);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind("GET " + url + ": ", 0), 0u) << r.error();
  EXPECT_NE(r.error().find("100 bytes"), std::string::npos) << r.error();
  // TLS to a plain HTTP server: a handshake error, never a silent downgrade.
  const std::string https =
      "https://127.0.0.1:" + std::to_string(mock.port()) + "/mock/pki/root.pem";
  r = CurlHttpGet()(https);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind("GET " + https + ": ", 0), 0u) << r.error();
  EXPECT_NE(r.error().find("SSL"), std::string::npos) << r.error();
  // Nothing listening.
  mock.Stop();
  r = CurlHttpGet()(url);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind("GET " + url + ": ", 0), 0u) << r.error();
}

}  // namespace
}  // namespace teeharness::attestation
