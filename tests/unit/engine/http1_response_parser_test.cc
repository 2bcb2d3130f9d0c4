// The native HTTP/1.1 response parser over untrusted server bytes: every framing rule accepted and
// rejected, limits enforced without waiting for a line end, EOF classified at each stage, reuse
// across keep-alive responses, and the same outcome whatever the split of the input.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "harness/engine/http1/response_parser.h"

namespace teeharness::engine::http1 {
namespace {

using namespace std::literals;
using Result = ResponseParser::Result;
using Headers = std::vector<std::pair<std::string, std::string>>;

// Records every sink call, and whether the call order broke the contract.
class RecordingSink : public ResponseSink {
 public:
  void OnHeader(std::string_view name, std::string_view value) override {
    if (head_completes > 0) order_violated = true;
    headers.emplace_back(name, value);
    last_value = value;
  }
  void OnHeadComplete() override { ++head_completes; }
  void OnBody(std::string_view bytes) override {
    if (head_completes != 1 || bytes.empty()) order_violated = true;
    body.append(bytes);
    last_body = bytes;
  }

  Headers headers;
  int head_completes = 0;
  std::string body;
  bool order_violated = false;
  std::string_view last_value;
  std::string_view last_body;
};

struct Outcome {
  Result result = Result::kNeedMore;
  size_t consumed = 0;  // total over all Feed calls
  Headers headers;
  int head_completes = 0;
  std::string body;
  bool keep_alive = false;
  std::optional<uint64_t> content_length;
  int status = 0;

  bool operator==(const Outcome&) const = default;
};

void PrintTo(const Outcome& o, std::ostream* os) {
  *os << "{result " << static_cast<int>(o.result) << ", consumed " << o.consumed << ", "
      << o.headers.size() << " headers, " << o.head_completes << " head completes, body \""
      << o.body << "\", keep_alive " << o.keep_alive << ", status " << o.status << "}";
}

constexpr size_t kLimit = 8192;

// Feeds `input` in pieces that end at `cuts` (ascending offsets), stopping at the first result
// other than kNeedMore; then reports EOF when `eof`.
Outcome FeedPieces(std::string_view input, const std::vector<size_t>& cuts, bool no_body = false,
                   bool eof = false, size_t limit = kLimit) {
  ResponseParser parser(limit);
  parser.Reset(no_body);
  RecordingSink sink;
  Outcome out;
  size_t start = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(input.size());
  for (const size_t end : ends) {
    if (end < start) continue;
    size_t consumed = 0;
    out.result = parser.Feed(input.substr(start, end - start), sink, &consumed);
    out.consumed += consumed;
    start = end;
    if (out.result != Result::kNeedMore) break;
  }
  if (eof && out.result == Result::kNeedMore) out.result = parser.OnEof(sink);
  // Where in the input a failure was noticed is not part of the contract; consumed is.
  if (out.result != Result::kDone && out.result != Result::kNeedMore) out.consumed = 0;
  EXPECT_FALSE(sink.order_violated);
  out.headers = sink.headers;
  out.head_completes = sink.head_completes;
  out.body = sink.body;
  out.keep_alive = parser.keep_alive();
  out.content_length = parser.content_length();
  out.status = parser.status();
  return out;
}

Outcome Whole(std::string_view input, bool no_body = false, bool eof = false,
              size_t limit = kLimit) {
  return FeedPieces(input, {}, no_body, eof, limit);
}

std::vector<size_t> EveryByte(size_t size) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < size; ++i) cuts.push_back(i);
  return cuts;
}

// Whole, byte by byte and every split into two pieces must agree.
void ExpectSplitEquivalent(std::string_view input, bool no_body = false, bool eof = false,
                           size_t limit = kLimit) {
  SCOPED_TRACE(std::string(input));
  const Outcome whole = Whole(input, no_body, eof, limit);
  EXPECT_EQ(FeedPieces(input, EveryByte(input.size()), no_body, eof, limit), whole);
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    ASSERT_EQ(FeedPieces(input, {cut}, no_body, eof, limit), whole) << "cut at " << cut;
  }
}

Result ResultOf(std::string_view input, bool no_body = false, size_t limit = kLimit) {
  return Whole(input, no_body, false, limit).result;
}

std::string WithStatus(std::string_view status_line) {
  return std::string(status_line) + "\r\nContent-Length: 0\r\n\r\n";
}

std::string WithHeader(std::string_view header_line) {
  return "HTTP/1.1 200 OK\r\n" + std::string(header_line) + "\r\nContent-Length: 2\r\n\r\nok";
}

constexpr std::string_view kLengthResponse =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type:  application/json \t\r\n"
    "X-Request-ID: abc\r\n"
    "Content-Length: 13\r\n"
    "\r\n"
    "{\"ok\": true}\n";

constexpr std::string_view kChunkedResponse =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n"
    "6;name=value\r\n"
    "data: \r\n"
    "A ; a=b;c\r\n"
    "{\"x\":1}\n\n\n\r\n"
    "0\r\n"
    "Checksum: 1234\r\n"
    "Other: x\r\n"
    "\r\n";

constexpr std::string_view kCloseResponse =
    "HTTP/1.0 200 OK\n"
    "Server: old\n"
    "\n"
    "everything until EOF\r\n\r\nHTTP/1.1 200 OK\r\n";

constexpr std::string_view kContinueResponse =
    "HTTP/1.1 100 Continue\r\n"
    "\r\n"
    "HTTP/1.1 103 Early Hints\r\n"
    "Link: </style.css>; rel=preload\r\n"
    "\r\n"
    "HTTP/1.1 201 Created\r\n"
    "Content-Length: 2\r\n"
    "\r\n"
    "hi";

TEST(Http1ResponseParser, ContentLengthResponse) {
  const Outcome out = Whole(kLengthResponse);
  EXPECT_EQ(out.result, Result::kDone);
  EXPECT_EQ(out.consumed, kLengthResponse.size());
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.headers, (Headers{{"content-type", "application/json"},
                                  {"x-request-id", "abc"},
                                  {"content-length", "13"}}));
  EXPECT_EQ(out.head_completes, 1);
  EXPECT_EQ(out.body, "{\"ok\": true}\n");
  EXPECT_TRUE(out.keep_alive);
  EXPECT_EQ(out.content_length, 13u);
}

TEST(Http1ResponseParser, WholeLinesAndBodyReachTheSinkAsViewsIntoTheFedData) {
  ResponseParser parser(kLimit);
  parser.Reset(false);
  RecordingSink sink;
  size_t consumed = 0;
  ASSERT_EQ(parser.Feed(kLengthResponse, sink, &consumed), Result::kDone);
  const auto inside = [](std::string_view part) {
    return part.data() >= kLengthResponse.data() &&
           part.data() + part.size() <= kLengthResponse.data() + kLengthResponse.size();
  };
  EXPECT_TRUE(inside(sink.last_value));
  EXPECT_TRUE(inside(sink.last_body));
  EXPECT_EQ(parser.minor_version(), 1);
  EXPECT_TRUE(parser.head_complete());
  EXPECT_EQ(parser.bytes_seen(), kLengthResponse.size());
}

TEST(Http1ResponseParser, ChunkedResponseWithExtensionsAndTrailers) {
  const Outcome out = Whole(kChunkedResponse);
  EXPECT_EQ(out.result, Result::kDone);
  EXPECT_EQ(out.consumed, kChunkedResponse.size());
  EXPECT_EQ(out.body, "data: {\"x\":1}\n\n\n");
  EXPECT_TRUE(out.keep_alive);
  EXPECT_EQ(out.content_length, std::nullopt);
  // Trailers are read past, never reported as headers.
  EXPECT_EQ(out.headers,
            (Headers{{"content-type", "text/event-stream"}, {"transfer-encoding", "chunked"}}));
}

TEST(Http1ResponseParser, CloseDelimitedBodyEndsAtEof) {
  const Outcome open = Whole(kCloseResponse);
  EXPECT_EQ(open.result, Result::kNeedMore);
  const Outcome out = Whole(kCloseResponse, false, /*eof=*/true);
  EXPECT_EQ(out.result, Result::kDone);
  EXPECT_EQ(out.body, "everything until EOF\r\n\r\nHTTP/1.1 200 OK\r\n");
  EXPECT_FALSE(out.keep_alive);
  EXPECT_EQ(out.headers, (Headers{{"server", "old"}}));
}

TEST(Http1ResponseParser, InterimResponsesAreSkipped) {
  const Outcome out = Whole(kContinueResponse);
  EXPECT_EQ(out.result, Result::kDone);
  EXPECT_EQ(out.status, 201);
  EXPECT_EQ(out.headers, (Headers{{"content-length", "2"}}));
  EXPECT_EQ(out.head_completes, 1);
  EXPECT_EQ(out.body, "hi");
}

TEST(Http1ResponseParser, SwitchingProtocolsIsMalformed) {
  EXPECT_EQ(ResultOf("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"),
            Result::kMalformed);
}

TEST(Http1ResponseParser, AnySplitGivesTheSameOutcome) {
  ExpectSplitEquivalent(kLengthResponse);
  ExpectSplitEquivalent(kChunkedResponse);
  ExpectSplitEquivalent(kCloseResponse, false, /*eof=*/true);
  ExpectSplitEquivalent(kContinueResponse);
  ExpectSplitEquivalent("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", /*no_body=*/true);
  ExpectSplitEquivalent("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nextra");
  ExpectSplitEquivalent("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n");
  // Bytes after the end, and failures, too.
  ExpectSplitEquivalent(std::string(kLengthResponse) + "HTTP/1.1 200 OK\r\n");
  ExpectSplitEquivalent("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
  ExpectSplitEquivalent("HTTP/1.1 200 OK\r\nX: " + std::string(100, 'a'), false, false, 64);
  ExpectSplitEquivalent("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n");
  ExpectSplitEquivalent("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false, /*eof=*/true);
  ExpectSplitEquivalent("HTTP/1.9 200 OK\r\n\r\n");
}

TEST(Http1ResponseParser, StatusLinesAccepted) {
  for (const std::string_view line :
       {"HTTP/1.1 200 OK", "HTTP/1.0 200 OK", "HTTP/1.1 200", "HTTP/1.1 200 ", "HTTP/1.1 599 Odd",
        "HTTP/1.1 999 Reason with  spaces", "HTTP/1.1 404 \xc3\xa9t\xc3\xa9"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(ResultOf(WithStatus(line)), Result::kDone);
  }
  EXPECT_EQ(ResultOf("HTTP/1.1 200 OK\nContent-Length: 0\n\n"), Result::kDone);
  const Outcome ten = Whole(WithStatus("HTTP/1.0 503 Busy"));
  EXPECT_EQ(ten.status, 503);
}

TEST(Http1ResponseParser, StatusLinesRejected) {
  for (const std::string_view line : std::initializer_list<std::string_view>{
           "HTTP/1.2 200 OK", "HTTP/2 200", "HTTP/2.0 200 OK", "ICY 200 OK", "http/1.1 200 OK",
           "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 099 Low", "HTTP/1.1  200 OK",
           "HTTP/1.1 200OK", "HTTP/1.1 2x0 OK", "HTTP/1.1\t200 OK", " HTTP/1.1 200 OK", "",
           "HTTP/1.1 200 O\rK", "HTTP/1.1 200 O\0K"sv}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(ResultOf(WithStatus(line)), Result::kMalformed);
  }
}

TEST(Http1ResponseParser, NonHttpPeerIsRejectedAtItsFirstBytes) {
  // An HTTP/2 server's SETTINGS frame, an SSH banner: no line end needed to tell.
  EXPECT_EQ(ResultOf(std::string("\x00\x00\x12\x04\x00", 5)), Result::kMalformed);
  EXPECT_EQ(ResultOf("SSH-2.0-"), Result::kMalformed);
  EXPECT_EQ(ResultOf("HTTP/1.3"), Result::kMalformed);
  EXPECT_EQ(ResultOf("HTTP/1.1"), Result::kNeedMore);
}

TEST(Http1ResponseParser, HeaderLinesAccepted) {
  const Outcome out = Whole(
      "HTTP/1.1 200 OK\r\n"
      "Empty:\r\n"
      "Spaces:   \t \r\n"
      "X-!#$%&'*+-.^_`|~09: v\r\n"
      "Inner: a  b\tc\r\n"
      "Colons: a:b: c\r\n"
      "Trailing-CR: v\r\r\n"
      "Bare-LF: v\n"
      "Content-Length: 0\r\n"
      "\r\n");
  EXPECT_EQ(out.result, Result::kDone);
  EXPECT_EQ(out.headers, (Headers{{"empty", ""},
                                  {"spaces", ""},
                                  {"x-!#$%&'*+-.^_`|~09", "v"},
                                  {"inner", "a  b\tc"},
                                  {"colons", "a:b: c"},
                                  {"trailing-cr", "v"},
                                  {"bare-lf", "v"},
                                  {"content-length", "0"}}));
}

TEST(Http1ResponseParser, HeaderLinesRejected) {
  for (const std::string_view line : std::initializer_list<std::string_view>{
           "No colon here", "Space : before", ": no name", "Bad(name): v", "Bad@name: v",
           "Bad\"name: v", "\xc3\xa9: v", "Nul: a\0b"sv, "Bare-CR: a\rb", "Tab\t: v"}) {
    SCOPED_TRACE(line);
    EXPECT_EQ(ResultOf(WithHeader(std::string(line))), Result::kMalformed);
  }
  // Obsolete folding, and whitespace before the first header.
  EXPECT_EQ(ResultOf("HTTP/1.1 200 OK\r\nA: b\r\n  folded\r\nContent-Length: 0\r\n\r\n"),
            Result::kMalformed);
  EXPECT_EQ(ResultOf("HTTP/1.1 200 OK\r\n\tA: b\r\nContent-Length: 0\r\n\r\n"), Result::kMalformed);
  // Interim heads are checked too, though not reported.
  EXPECT_EQ(ResultOf("HTTP/1.1 100 Continue\r\nbroken\r\n\r\n" + WithStatus("HTTP/1.1 200 OK")),
            Result::kMalformed);
}

TEST(Http1ResponseParser, EndlessHeaderLineIsStoppedAtTheLimit) {
  constexpr size_t kSmall = 64;
  const std::string head = "HTTP/1.1 200 OK\r\nX: ";
  ResponseParser parser(kSmall);
  parser.Reset(false);
  RecordingSink sink;
  size_t consumed = 0;
  ASSERT_EQ(parser.Feed(head, sink, &consumed), Result::kNeedMore);
  // Up to the limit the line may still end; one byte beyond it may not.
  for (size_t seen = head.size(); seen < kSmall; ++seen) {
    ASSERT_EQ(parser.Feed("a", sink, &consumed), Result::kNeedMore);
  }
  EXPECT_EQ(parser.Feed("a", sink, &consumed), Result::kHeadersTooLarge);
  EXPECT_EQ(parser.Feed("\r\n\r\n", sink, &consumed), Result::kHeadersTooLarge);
  EXPECT_FALSE(parser.keep_alive());
  // A megabyte in one piece: stopped without scanning it for a line end.
  EXPECT_EQ(ResultOf(head + std::string(1 << 20, 'a'), false, kSmall), Result::kHeadersTooLarge);
}

TEST(Http1ResponseParser, HeadLimitCountsEveryHeadByteIncludingInterimHeads) {
  const std::string response = WithStatus("HTTP/1.1 200 OK");  // all head, no body
  EXPECT_EQ(ResultOf(response, false, response.size()), Result::kDone);
  EXPECT_EQ(ResultOf(response, false, response.size() - 1), Result::kHeadersTooLarge);
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  EXPECT_EQ(ResultOf(interim + response, false, interim.size() + response.size()), Result::kDone);
  EXPECT_EQ(ResultOf(interim + response, false, response.size()), Result::kHeadersTooLarge);
  // The body does not count.
  EXPECT_EQ(
      ResultOf("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'b'), false, 40),
      Result::kDone);
}

TEST(Http1ResponseParser, NoBodyForHeadRequests204And304) {
  const std::string head_response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  const Outcome head = Whole(head_response + "HTTP/1.1", /*no_body=*/true);
  EXPECT_EQ(head.result, Result::kDone);
  EXPECT_EQ(head.consumed, head_response.size());
  EXPECT_EQ(head.body, "");
  EXPECT_TRUE(head.keep_alive);
  EXPECT_EQ(head.content_length, std::nullopt);
  for (const std::string_view status : {"HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified"}) {
    const std::string response = std::string(status) + "\r\nContent-Length: 5\r\n\r\n";
    const Outcome out = Whole(response + "12345");
    EXPECT_EQ(out.result, Result::kDone);
    EXPECT_EQ(out.consumed, response.size());
    EXPECT_EQ(out.body, "");
    EXPECT_TRUE(out.keep_alive);
  }
  EXPECT_EQ(ResultOf("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Result::kDone);
  // A 200 without any framing runs until EOF instead.
  EXPECT_EQ(ResultOf("HTTP/1.1 200 OK\r\n\r\n"), Result::kNeedMore);
}

TEST(Http1ResponseParser, ContentLengthAccepted) {
  for (const std::string_view headers :
       {"Content-Length: 3", "Content-Length: 003", "Content-Length: 3\r\ncontent-length: 3",
        "Content-Length: 3, 3", "Content-Length: 3 ,3,  3", "CONTENT-LENGTH:3"}) {
    SCOPED_TRACE(headers);
    const Outcome out = Whole("HTTP/1.1 200 OK\r\n" + std::string(headers) + "\r\n\r\nabcd");
    EXPECT_EQ(out.result, Result::kDone);
    EXPECT_EQ(out.body, "abc");
    EXPECT_EQ(out.content_length, 3u);
  }
  const Outcome max = Whole("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\nx");
  EXPECT_EQ(max.result, Result::kNeedMore);
  EXPECT_EQ(max.content_length, 9223372036854775807u);
}

TEST(Http1ResponseParser, ContentLengthRejected) {
  for (const std::string_view headers :
       {"Content-Length: 3\r\nContent-Length: 4", "Content-Length: 3, 4", "Content-Length: 3,,3",
        "Content-Length:", "Content-Length: +3", "Content-Length: -1", "Content-Length: 0x10",
        "Content-Length: 3 3", "Content-Length: 3.0", "Content-Length: 9223372036854775808",
        "Content-Length: 18446744073709551616", "Content-Length: 99999999999999999999999"}) {
    SCOPED_TRACE(headers);
    EXPECT_EQ(ResultOf("HTTP/1.1 200 OK\r\n" + std::string(headers) + "\r\n\r\nabc"),
              Result::kMalformed);
  }
}

TEST(Http1ResponseParser, TransferEncodingDecidesTheFraming) {
  const std::string chunked_body = "\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  for (const std::string_view te :
       {"Transfer-Encoding: chunked", "Transfer-Encoding: Chunked",
        "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked,", "Transfer-Encoding: gzip,chunked\r\nTransfer-Encoding: ,"}) {
    SCOPED_TRACE(te);
    const Outcome out = Whole("HTTP/1.1 200 OK\r\n" + std::string(te) + chunked_body);
    EXPECT_EQ(out.result, Result::kDone);
    EXPECT_EQ(out.body, "abc");
    EXPECT_TRUE(out.keep_alive);
  }
  // Something else last: the body runs until EOF.
  for (const std::string_view te :
       {"Transfer-Encoding: chunked, gzip", "Transfer-Encoding: gzip",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity", "Transfer-Encoding:"}) {
    SCOPED_TRACE(te);
    const Outcome out = Whole("HTTP/1.1 200 OK\r\n" + std::string(te) + chunked_body, false, true);
    EXPECT_EQ(out.result, Result::kDone);
    EXPECT_EQ(out.body, "3\r\nabc\r\n0\r\n\r\n");
    EXPECT_FALSE(out.keep_alive);
  }
}

TEST(Http1ResponseParser, TransferEncodingWinsOverContentLengthAndEndsTheConnection) {
  const std::string response =
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n";
  const Outcome out = Whole(response + "tail");
  EXPECT_EQ(out.result, Result::kDone);
  EXPECT_EQ(out.consumed, response.size());
  EXPECT_EQ(out.body, "abc");
  EXPECT_FALSE(out.keep_alive);
  EXPECT_EQ(out.content_length, std::nullopt);
  // Chunked in HTTP/1.0 is decoded, but the connection is not reused either.
  EXPECT_FALSE(Whole("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n"
                     "\r\n0\r\n\r\n")
                   .keep_alive);
}

TEST(Http1ResponseParser, ChunkSizesAccepted) {
  for (const std::string_view size_line :
       {"3", "0003", "0000000000000003", "3;ext", "3 ; a=b ; c=\"d;e\"", "3\t;x"}) {
    SCOPED_TRACE(size_line);
    const Outcome out = Whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              std::string(size_line) + "\r\nabc\n0\n\n");
    EXPECT_EQ(out.result, Result::kDone);
    EXPECT_EQ(out.body, "abc");
  }
  // The largest size parses; the body is then cut short by EOF.
  const Outcome huge = Whole(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nabc", false, true);
  EXPECT_EQ(huge.result, Result::kTruncated);
  EXPECT_EQ(huge.body, "abc");
}

TEST(Http1ResponseParser, ChunkSizesRejected) {
  for (const std::string_view size_line : {"10000000000000000", "00000000000000003", "", ";ext",
                                           "0x3", "3x", "-3", " 3", "3 4", "3;a\rb", "g"}) {
    SCOPED_TRACE(size_line);
    EXPECT_EQ(ResultOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                       std::string(size_line) + "\r\nabc\r\n0\r\n\r\n"),
              Result::kMalformed);
  }
  // Longer than allowed, extensions included: stopped without a line end.
  EXPECT_EQ(ResultOf("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;" +
                     std::string(ResponseParser::kMaxChunkLineBytes, 'e')),
            Result::kMalformed);
}

TEST(Http1ResponseParser, ChunkDataMustEndWithALineEnd) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(ResultOf(head + "3\r\nabcd\r\n0\r\n\r\n"), Result::kMalformed);
  EXPECT_EQ(ResultOf(head + "3\r\nabc\r\r\n0\r\n\r\n"), Result::kMalformed);
  EXPECT_EQ(ResultOf(head + "3\r\nabc 0\r\n\r\n"), Result::kMalformed);
  EXPECT_EQ(ResultOf(head + "3\r\nabc\n0\r\n\r\n"), Result::kDone);
}

TEST(Http1ResponseParser, TrailerSectionHasItsOwnLimit) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";  // 47 bytes
  const std::string trailer = "T: " + std::string(54, 'x') + "\r\n\r\n";             // 61 bytes
  EXPECT_EQ(ResultOf(head + "0\r\n" + trailer, false, 61), Result::kDone);
  EXPECT_EQ(ResultOf(head + "0\r\n" + trailer, false, 60), Result::kHeadersTooLarge);
  EXPECT_EQ(ResultOf(head + "0\r\nT: " + std::string(1 << 16, 'x'), false, 100),
            Result::kHeadersTooLarge);
}

TEST(Http1ResponseParser, KeepAliveFollowsVersionAndConnection) {
  const auto keep_alive = [](std::string_view version, std::string_view headers) {
    const Outcome out = Whole(std::string(version) + " 200 OK\r\n" + std::string(headers) +
                              "Content-Length: 0\r\n\r\n");
    EXPECT_EQ(out.result, Result::kDone);
    return out.keep_alive;
  };
  EXPECT_TRUE(keep_alive("HTTP/1.1", ""));
  EXPECT_TRUE(keep_alive("HTTP/1.1", "Connection: keep-alive\r\n"));
  EXPECT_TRUE(keep_alive("HTTP/1.1", "Connection: closed, upgrade\r\n"));
  EXPECT_FALSE(keep_alive("HTTP/1.1", "Connection: close\r\n"));
  EXPECT_FALSE(keep_alive("HTTP/1.1", "Connection: Keep-Alive, CLOSE\r\n"));
  EXPECT_FALSE(keep_alive("HTTP/1.1", "Connection: x\r\nConnection: close\r\n"));
  EXPECT_FALSE(keep_alive("HTTP/1.0", ""));
  EXPECT_TRUE(keep_alive("HTTP/1.0", "Connection: Keep-Alive\r\n"));
  EXPECT_FALSE(keep_alive("HTTP/1.0", "Connection: keep-alive, close\r\n"));
}

TEST(Http1ResponseParser, EofAtEachStage) {
  const std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: x\r\n\r\n";
  // Every proper prefix of a length- or chunk-delimited response is truncated, nothing included.
  for (const std::string_view response : {kLengthResponse, std::string_view(chunked)}) {
    for (size_t n = 0; n < response.size(); ++n) {
      SCOPED_TRACE(n);
      ASSERT_EQ(Whole(response.substr(0, n), false, true).result, Result::kTruncated);
    }
    EXPECT_EQ(Whole(response, false, true).result, Result::kDone);
  }
  // A close-delimited body ends at EOF, from its first byte on; its head must be complete.
  EXPECT_EQ(Whole("HTTP/1.1 200 OK\r\n\r\n", false, true).result, Result::kDone);
  EXPECT_EQ(Whole("HTTP/1.1 200 OK\r\n", false, true).result, Result::kTruncated);
  EXPECT_EQ(Whole("HTTP/1.1 100 Continue\r\n\r\n", false, true).result, Result::kTruncated);
  // After a failure, EOF repeats it.
  EXPECT_EQ(Whole("HTTP/9", false, true).result, Result::kMalformed);
}

TEST(Http1ResponseParser, FeedAfterAFinalResultRepeatsItWithoutTheSink) {
  ResponseParser parser(kLimit);
  parser.Reset(false);
  RecordingSink sink;
  size_t consumed = 0;
  ASSERT_EQ(parser.Feed(kLengthResponse, sink, &consumed), Result::kDone);
  const Headers headers = sink.headers;
  EXPECT_EQ(parser.Feed(kLengthResponse, sink, &consumed), Result::kDone);
  EXPECT_EQ(consumed, 0u);
  EXPECT_EQ(parser.OnEof(sink), Result::kDone);
  EXPECT_EQ(sink.headers, headers);
  EXPECT_EQ(sink.head_completes, 1);
  EXPECT_EQ(parser.bytes_seen(), kLengthResponse.size());

  parser.Reset(false);
  ASSERT_EQ(parser.OnEof(sink), Result::kTruncated);
  EXPECT_EQ(parser.bytes_seen(), 0u);
  EXPECT_EQ(parser.Feed(kLengthResponse, sink, &consumed), Result::kTruncated);
  EXPECT_EQ(sink.head_completes, 1);

  parser.Reset(false);
  ASSERT_EQ(parser.Feed("HTTP/1.1 200 OK\r\nbad\r\n", sink, &consumed), Result::kMalformed);
  EXPECT_EQ(parser.Feed(kLengthResponse, sink, &consumed), Result::kMalformed);
  EXPECT_EQ(parser.OnEof(sink), Result::kMalformed);
  EXPECT_EQ(sink.head_completes, 1);
}

TEST(Http1ResponseParser, ResetReusesTheParserForTheNextResponse) {
  // Two pipelined responses in one read, the second split over two more reads.
  const std::string second =
      "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nnope\r\n0\r\n\r\n";
  const std::string stream = std::string(kLengthResponse) + second.substr(0, 20);
  ResponseParser parser(kLimit);
  parser.Reset(false);
  RecordingSink first_sink;
  size_t consumed = 0;
  ASSERT_EQ(parser.Feed(stream, first_sink, &consumed), Result::kDone);
  EXPECT_EQ(consumed, kLengthResponse.size());
  EXPECT_EQ(parser.bytes_seen(), kLengthResponse.size());
  ASSERT_TRUE(parser.keep_alive());

  parser.Reset(false);
  EXPECT_FALSE(parser.head_complete());
  EXPECT_EQ(parser.bytes_seen(), 0u);
  RecordingSink second_sink;
  ASSERT_EQ(parser.Feed(std::string_view(stream).substr(consumed), second_sink, &consumed),
            Result::kNeedMore);
  EXPECT_EQ(parser.bytes_seen(), 20u);
  ASSERT_EQ(parser.Feed(std::string_view(second).substr(20), second_sink, &consumed),
            Result::kDone);
  EXPECT_EQ(consumed, second.size() - 20);
  EXPECT_EQ(parser.status(), 404);
  EXPECT_EQ(second_sink.body, "nope");
  EXPECT_EQ(second_sink.headers, (Headers{{"transfer-encoding", "chunked"}}));
  EXPECT_EQ(parser.content_length(), std::nullopt);
  EXPECT_TRUE(parser.chunked());

  // After a HEAD exchange the same parser reads a body again.
  parser.Reset(true);
  RecordingSink head_sink;
  ASSERT_EQ(parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", head_sink, &consumed),
            Result::kDone);
  parser.Reset(false);
  RecordingSink get_sink;
  ASSERT_EQ(parser.Feed("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", get_sink, &consumed),
            Result::kDone);
  EXPECT_EQ(get_sink.body, "abc");
}

TEST(Http1ResponseParser, BytesSeenCountsFedBytesBeforeAnyResult) {
  ResponseParser parser(kLimit);
  parser.Reset(false);
  RecordingSink sink;
  size_t consumed = 0;
  EXPECT_EQ(parser.bytes_seen(), 0u);
  ASSERT_EQ(parser.Feed("", sink, &consumed), Result::kNeedMore);
  EXPECT_EQ(parser.bytes_seen(), 0u);
  ASSERT_EQ(parser.Feed("H", sink, &consumed), Result::kNeedMore);
  EXPECT_EQ(consumed, 1u);
  EXPECT_EQ(parser.bytes_seen(), 1u);
  ASSERT_EQ(parser.Feed("TTP/1.1 200 OK\r\n\r\nbody", sink, &consumed), Result::kNeedMore);
  EXPECT_EQ(parser.bytes_seen(), 23u);
  EXPECT_TRUE(parser.close_delimited());
  EXPECT_EQ(parser.OnEof(sink), Result::kDone);
  EXPECT_EQ(sink.body, "body");
}

}  // namespace
}  // namespace teeharness::engine::http1
