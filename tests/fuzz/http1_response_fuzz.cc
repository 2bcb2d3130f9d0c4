// The native HTTP/1.1 response parser over untrusted server bytes: a stream of pipelined responses
// is parsed fed whole, at pseudo-random split points derived from the input, and (when short)
// byte by byte; every way must give the same sink calls, bodies, results and consumed counts, and
// each outcome must keep the parser's own invariants. Byte 0 picks HEAD and the head limit, byte 1
// seeds the split points; the rest is what the server sent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/http1/response_parser.h"

namespace {

using teeharness::engine::http1::ResponseParser;
using teeharness::engine::http1::ResponseSink;
using Result = ResponseParser::Result;

constexpr int kMaxResponses = 4;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Records sink calls canonically (body separately: its pieces depend on the split) and traps on
// a call the contract forbids.
class CheckingSink : public ResponseSink {
 public:
  void OnHeader(std::string_view name, std::string_view value) override {
    if (head_complete_ || name.empty()) __builtin_trap();
    for (const char c : name) {
      if ((c >= 'A' && c <= 'Z') || c == ':' || IsBlank(c)) __builtin_trap();
    }
    if (!value.empty() && (IsBlank(value.front()) || IsBlank(value.back()))) __builtin_trap();
    log_.append("H").append(name).push_back('\0');
    log_.append(value).push_back('\n');
  }
  void OnHeadComplete() override {
    if (head_complete_) __builtin_trap();
    head_complete_ = true;
    log_.append("C\n");
  }
  void OnBody(std::string_view bytes) override {
    if (!head_complete_ || bytes.empty()) __builtin_trap();
    body_.append(bytes);
  }
  // Starts the record of the next response.
  void NextResponse() {
    head_complete_ = false;
    log_.append("B").append(body_).append("\nR\n");
    body_.clear();
  }
  size_t body_size() const { return body_.size(); }
  std::string& log() { return log_; }

 private:
  bool head_complete_ = false;
  std::string log_;
  std::string body_;
};

void RecordOutcome(const ResponseParser& parser, Result result, uint64_t consumed,
                   const CheckingSink& sink, bool no_body, std::string* log) {
  if (result == Result::kDone) {
    if (parser.bytes_seen() != consumed || !parser.head_complete()) __builtin_trap();
    if (parser.content_length() && sink.body_size() != *parser.content_length()) __builtin_trap();
    if ((no_body || parser.status() == 204 || parser.status() == 304) && sink.body_size() != 0) {
      __builtin_trap();
    }
    if (parser.close_delimited() && parser.keep_alive()) __builtin_trap();
  } else if (parser.keep_alive()) {
    __builtin_trap();
  }
  if (parser.head_complete() && (parser.status() < 200 || parser.status() > 999 ||
                                 parser.minor_version() < 0 || parser.minor_version() > 1)) {
    __builtin_trap();
  }
  log->append("S").append(std::to_string(static_cast<int>(result))).push_back(' ');
  log->append(std::to_string(consumed)).push_back(' ');
  log->append(std::to_string(parser.status())).push_back(parser.keep_alive() ? 'k' : 'c');
  log->append(parser.content_length() ? std::to_string(*parser.content_length()) : "-");
  log->push_back('\n');
}

// Parses up to kMaxResponses pipelined responses from `stream`, feeding the pieces that end at
// `cuts` (ascending), then EOF; returns the canonical record.
std::string Run(std::string_view stream, const std::vector<size_t>& cuts, bool no_body,
                size_t limit) {
  ResponseParser parser(limit);
  CheckingSink sink;
  size_t at = 0;
  size_t next_cut = 0;
  for (int response = 0; response < kMaxResponses; ++response) {
    parser.Reset(no_body);
    Result result = Result::kNeedMore;
    uint64_t consumed_total = 0;
    while (result == Result::kNeedMore && at < stream.size()) {
      while (next_cut < cuts.size() && cuts[next_cut] <= at) ++next_cut;
      const size_t end = next_cut < cuts.size() ? cuts[next_cut] : stream.size();
      size_t consumed = 0;
      result = parser.Feed(stream.substr(at, end - at), sink, &consumed);
      if (result == Result::kNeedMore && consumed != end - at) __builtin_trap();
      if (result == Result::kDone && consumed > end - at) __builtin_trap();
      consumed_total += consumed;
      at += result == Result::kDone ? consumed : end - at;
    }
    if (result == Result::kNeedMore) result = parser.OnEof(sink);
    // A final result sticks, whatever comes next.
    size_t again = 1;
    if (parser.Feed(stream.substr(at), sink, &again) != result || again != 0) __builtin_trap();
    if (parser.OnEof(sink) != result) __builtin_trap();
    if (result != Result::kDone && result != Result::kNeedMore) consumed_total = 0;
    RecordOutcome(parser, result, consumed_total, sink, no_body, &sink.log());
    sink.NextResponse();
    if (result != Result::kDone || !parser.keep_alive() || at >= stream.size()) break;
  }
  return std::move(sink.log());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static constexpr size_t kLimits[] = {8, 32, 64, 128, 256, 1024, 8192, 65536};
  const bool no_body = (data[0] & 1) != 0;
  const size_t limit = kLimits[(data[0] >> 1) & 7];
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  const std::string whole = Run(stream, {}, no_body, limit);

  // Split points from a small generator seeded by the input: gaps of 1 to 64 bytes.
  std::vector<size_t> cuts;
  uint32_t state =
      0x9e3779b9u ^ (static_cast<uint32_t>(data[1]) << 8) ^ static_cast<uint32_t>(size);
  for (size_t at = 0;;) {
    state = state * 1664525u + 1013904223u;
    at += 1 + ((state >> 24) & 63);
    if (at >= stream.size()) break;
    cuts.push_back(at);
  }
  if (Run(stream, cuts, no_body, limit) != whole) __builtin_trap();

  if (stream.size() <= 2048) {
    std::vector<size_t> every;
    for (size_t i = 1; i < stream.size(); ++i) every.push_back(i);
    if (Run(stream, every, no_body, limit) != whole) __builtin_trap();
  }
  return 0;
}
