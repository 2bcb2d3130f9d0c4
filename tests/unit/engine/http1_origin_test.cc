// Which URLs the native client carries (a literal address over plain http) and what it makes of
// them: the pool key, the connect address, the Host header and the request-target.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "harness/engine/http1/origin.h"
#include "harness/engine/http1/request_writer.h"

namespace teeharness::engine::http1 {
namespace {

TEST(Http1Origin, LiteralAddressesOverPlainHttp) {
  const auto v4 = ParseOrigin("http://127.0.0.1:8080/v1/chat?x=1");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->scheme_and_authority, "http://127.0.0.1:8080");
  EXPECT_EQ(v4->host_header, "127.0.0.1:8080");
  ASSERT_EQ(v4->address.ss_family, AF_INET);
  EXPECT_EQ(ntohs(reinterpret_cast<const sockaddr_in*>(&v4->address)->sin_port), 8080);

  const auto v6 = ParseOrigin("http://[::1]:9000");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host_header, "[::1]:9000");
  EXPECT_EQ(v6->address.ss_family, AF_INET6);
  EXPECT_EQ(v6->address_length, sizeof(sockaddr_in6));

  // The default port is left out of the Host header, as libcurl leaves it out.
  EXPECT_EQ(ParseOrigin("http://10.0.0.1/")->host_header, "10.0.0.1");
  EXPECT_EQ(ParseOrigin("http://10.0.0.1:80/")->host_header, "10.0.0.1");
}

TEST(Http1Origin, EverythingElseStaysWithLibcurl) {
  for (const char* url :
       {"https://127.0.0.1/", "http://localhost:8080/", "http://example.test/",
        "http://user:pw@127.0.0.1/", "http://127.1/", "http://127.0.0.1:0/",
        "http://127.0.0.1:65536/", "http://127.0.0.1:/", "http://127.0.0.1:8x/",
        "http://[fe80::1%25eth0]/", "http://[::1/", "HTTP://127.0.0.1/", "ftp://1.2.3.4/"}) {
    EXPECT_FALSE(ParseOrigin(url)) << url;
  }
}

TEST(Http1Origin, RequestTargets) {
  EXPECT_EQ(RequestTarget("http://127.0.0.1:1"), "/");
  EXPECT_EQ(RequestTarget("http://127.0.0.1:1/a/b?c=d#frag"), "/a/b?c=d");
  EXPECT_EQ(OriginKey("http://127.0.0.1:1/a?b"), "http://127.0.0.1:1");
  // libcurl's business: bytes it would encode or refuse, and a query without a path.
  EXPECT_EQ(RequestTarget("http://127.0.0.1:1/a b"), "");
  EXPECT_EQ(RequestTarget("http://127.0.0.1:1/\xc3\xa9"), "");
  EXPECT_EQ(RequestTarget("http://127.0.0.1:1?q"), "");
}

TEST(Http1RequestWriter, LibcurlsHeadersInLibcurlsOrder) {
  std::string head;
  WriteRequestHead({"POST", "", {"Content-Type: application/json", "X-Gone:", "X-Empty;"}, "{}"},
                   "h:1", "/p", &head);
  EXPECT_EQ(head,
            "POST /p HTTP/1.1\r\nHost: h:1\r\nAccept: */*\r\nContent-Type: application/json\r\n"
            "X-Empty:\r\nContent-Length: 2\r\n\r\n");
  // The buffer is reused: the next head replaces the last.
  WriteRequestHead({"GET", "", {"Host: other", "Accept: text/plain"}, "ignored"}, "h:1", "/",
                   &head);
  EXPECT_EQ(head, "GET / HTTP/1.1\r\nHost: other\r\nAccept: text/plain\r\n\r\n");
  EXPECT_FALSE(SendsBody({"GET", "", {}, "x"}));
  EXPECT_FALSE(SendsBody({"DELETE", "", {}, "x"}));
  EXPECT_TRUE(SendsBody({"POST", "", {}, ""}));
}

}  // namespace
}  // namespace teeharness::engine::http1
