#include "harness/engine/http1/response_parser.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace teeharness::engine::http1 {
namespace {

using Result = ResponseParser::Result;

// RFC 9110 tchar: the characters of a header name.
constexpr std::array<bool, 256> MakeTokenTable() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kTokenChar = MakeTokenTable();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != lower[i]) return false;
  }
  return true;
}

// Calls fn on each comma-separated element of a list value, trimmed of SP/HT (empty ones too).
// fn returns false to stop; ForEachElement then returns false.
template <typename Fn>
bool ForEachElement(std::string_view value, Fn fn) {
  while (true) {
    const size_t comma = value.find(',');
    if (!fn(TrimBlanks(value.substr(0, comma)))) return false;
    if (comma == std::string_view::npos) return true;
    value.remove_prefix(comma + 1);
  }
}

// Decimal digits only, at most 2^63 - 1 (what a signed 64-bit length, as libcurl's, can hold).
std::optional<uint64_t> ParseContentLength(std::string_view digits) {
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (digits.empty()) return std::nullopt;
  uint64_t value = 0;
  for (const char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// NUL and a CR that is not part of the line end are rejected: parsers that treat a bare CR as a
// line end would frame the stream differently (RFC 9112 section 2.2).
bool HasForbiddenControl(std::string_view s) {
  return s.find('\r') != std::string_view::npos || s.find('\0') != std::string_view::npos;
}

}  // namespace

ResponseParser::ResponseParser(size_t max_header_bytes) : max_header_bytes_(max_header_bytes) {
  line_.reserve(std::min<size_t>(max_header_bytes, 256));
  Reset(false);
}

void ResponseParser::Reset(bool no_body) {
  line_.clear();
  state_ = State::kStatusLine;
  result_ = Result::kNeedMore;
  no_body_ = no_body;
  interim_ = false;
  head_complete_ = false;
  status_ = 0;
  minor_version_ = 1;
  keep_alive_ = false;
  head_bytes_ = 0;
  trailer_bytes_ = 0;
  chunk_line_bytes_ = 0;
  bytes_seen_ = 0;
  remaining_ = 0;
  framing_ = Framing::kNone;
  declared_length_.reset();
  te_present_ = false;
  te_chunked_last_ = false;
  connection_close_ = false;
  connection_keep_alive_ = false;
}

std::optional<uint64_t> ResponseParser::content_length() const {
  if (head_complete_ && framing_ == Framing::kLength) return declared_length_;
  return std::nullopt;
}

ResponseParser::Result ResponseParser::Feed(std::string_view data, ResponseSink& sink,
                                            size_t* consumed) {
  *consumed = 0;
  if (result_ != Result::kNeedMore) return result_;
  size_t pos = 0;
  Result result = Result::kNeedMore;
  while (pos < data.size()) {
    result = Step(data, &pos, sink);
    if (result != Result::kNeedMore) break;
  }
  result_ = result;
  if (result == Result::kDone) {
    *consumed = pos;
    bytes_seen_ += pos;
    return result;
  }
  bytes_seen_ += data.size();
  if (result == Result::kNeedMore) {
    *consumed = data.size();
  } else {
    *consumed = pos;
    keep_alive_ = false;
  }
  return result;
}

ResponseParser::Result ResponseParser::OnEof(ResponseSink& /*sink*/) {
  if (result_ != Result::kNeedMore) return result_;
  // Nothing is ever held back from the sink, so a close-delimited body is complete as it is.
  result_ = state_ == State::kBodyClose ? Result::kDone : Result::kTruncated;
  keep_alive_ = false;
  if (result_ == Result::kDone) state_ = State::kFinished;
  return result_;
}

ResponseParser::LineRead ResponseParser::ReadLine(std::string_view data, size_t* pos, size_t* used,
                                                  size_t limit, std::string_view* line) {
  const std::string_view rest = data.substr(*pos);
  const size_t budget = limit > *used ? limit - *used : 0;
  const size_t window = std::min(rest.size(), budget);
  const void* lf = window > 0 ? std::memchr(rest.data(), '\n', window) : nullptr;
  if (lf == nullptr) {
    // Decided at the first byte beyond the limit, whatever the split: an endless line is stopped
    // there and never buffered beyond it.
    if (rest.size() > budget) return LineRead::kTooLong;
    line_.append(rest);
    *used += rest.size();
    *pos = data.size();
    return LineRead::kPartial;
  }
  const size_t length = static_cast<size_t>(static_cast<const char*>(lf) - rest.data());
  *used += length + 1;
  *pos += length + 1;
  std::string_view complete;
  if (line_.empty()) {
    complete = rest.substr(0, length);  // the common case: a view into the caller's data
  } else {
    line_.append(rest.data(), length);
    complete = line_;
  }
  if (!complete.empty() && complete.back() == '\r') complete.remove_suffix(1);
  *line = complete;
  return LineRead::kComplete;
}

bool ResponseParser::StatusPrefixMismatch(std::string_view data, size_t pos) const {
  static constexpr std::string_view kPrefix = "HTTP/1.";
  const size_t budget = max_header_bytes_ > head_bytes_ ? max_header_bytes_ - head_bytes_ : 0;
  for (size_t i = 0, offset = line_.size(); pos + i < data.size() && offset < 8 && i < budget;
       ++i, ++offset) {
    const char c = data[pos + i];
    const bool ok = offset < kPrefix.size() ? c == kPrefix[offset] : (c == '0' || c == '1');
    if (!ok) return true;
  }
  return false;
}

ResponseParser::Result ResponseParser::Step(std::string_view data, size_t* pos,
                                            ResponseSink& sink) {
  std::string_view line;
  Result result = Result::kNeedMore;
  switch (state_) {
    case State::kStatusLine:
      if (StatusPrefixMismatch(data, *pos)) return Result::kMalformed;
      [[fallthrough]];
    case State::kHeaderLine:
      switch (ReadLine(data, pos, &head_bytes_, max_header_bytes_, &line)) {
        case LineRead::kTooLong:
          return Result::kHeadersTooLarge;
        case LineRead::kPartial:
          return Result::kNeedMore;
        case LineRead::kComplete:
          break;
      }
      result = state_ == State::kStatusLine ? OnStatusLine(line) : OnHeaderLine(line, sink);
      line_.clear();
      return result;
    case State::kChunkSize:
      switch (ReadLine(data, pos, &chunk_line_bytes_, kMaxChunkLineBytes, &line)) {
        case LineRead::kTooLong:
          return Result::kMalformed;
        case LineRead::kPartial:
          return Result::kNeedMore;
        case LineRead::kComplete:
          break;
      }
      result = OnChunkSizeLine(line);
      line_.clear();
      return result;
    case State::kTrailer:
      // Trailer fields are read past, never reported; their section has its own limit.
      switch (ReadLine(data, pos, &trailer_bytes_, max_header_bytes_, &line)) {
        case LineRead::kTooLong:
          return Result::kHeadersTooLarge;
        case LineRead::kPartial:
          return Result::kNeedMore;
        case LineRead::kComplete:
          break;
      }
      line_.clear();
      if (!line.empty()) return Result::kNeedMore;
      state_ = State::kFinished;
      return Result::kDone;
    default:
      return StepBody(data, pos, sink);
  }
}

ResponseParser::Result ResponseParser::StepBody(std::string_view data, size_t* pos,
                                                ResponseSink& sink) {
  const std::string_view rest = data.substr(*pos);
  switch (state_) {
    case State::kBodyClose:
      sink.OnBody(rest);
      *pos = data.size();
      return Result::kNeedMore;
    case State::kBodyLength:
    case State::kChunkData: {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, rest.size()));
      sink.OnBody(rest.substr(0, n));
      *pos += n;
      remaining_ -= n;
      if (remaining_ > 0) return Result::kNeedMore;
      if (state_ == State::kChunkData) {
        state_ = State::kChunkDataCr;
        return Result::kNeedMore;
      }
      state_ = State::kFinished;
      return Result::kDone;
    }
    case State::kChunkDataCr:
    case State::kChunkDataLf:
      // The data must be followed by exactly CRLF (or a bare LF): anything else means the size
      // did not match the data, and guessing where the next chunk starts would desync.
      if (rest.front() == '\r' && state_ == State::kChunkDataCr) {
        state_ = State::kChunkDataLf;
      } else if (rest.front() == '\n') {
        state_ = State::kChunkSize;
        chunk_line_bytes_ = 0;
      } else {
        return Result::kMalformed;
      }
      ++*pos;
      return Result::kNeedMore;
    default:
      return Result::kDone;  // kFinished: Feed does not call Step once the result is final
  }
}

ResponseParser::Result ResponseParser::OnStatusLine(std::string_view line) {
  // HTTP/1.x SP 3DIGIT [SP reason]; the prefix was checked byte by byte already.
  if (line.size() < 12 || line[8] != ' ' || !IsDigit(line[9]) || line[9] == '0' ||
      !IsDigit(line[10]) || !IsDigit(line[11]) || (line.size() > 12 && line[12] != ' ') ||
      HasForbiddenControl(line)) {
    return Result::kMalformed;
  }
  minor_version_ = line[7] - '0';
  status_ = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (status_ == 101) return Result::kMalformed;  // we never ask to upgrade
  interim_ = status_ < 200;
  state_ = State::kHeaderLine;
  return Result::kNeedMore;
}

ResponseParser::Result ResponseParser::OnHeaderLine(std::string_view line, ResponseSink& sink) {
  if (line.empty()) {
    if (!interim_) return OnHeadEnd(sink);
    interim_ = false;  // a 1xx interim head ended: the real response follows
    state_ = State::kStatusLine;
    return Result::kNeedMore;
  }
  // Obsolete line folding, or whitespace before the first header: rejected (RFC 9112 5.2, 2.2).
  if (IsBlank(line.front())) return Result::kMalformed;
  const size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return Result::kMalformed;
  std::string_view name = line.substr(0, colon);
  bool has_upper = false;
  for (const char c : name) {
    if (!kTokenChar[static_cast<unsigned char>(c)]) return Result::kMalformed;
    has_upper |= c >= 'A' && c <= 'Z';
  }
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && IsBlank(value.front())) value.remove_prefix(1);
  while (!value.empty() &&
         (IsBlank(value.back()) || value.back() == '\r' || value.back() == '\n')) {
    value.remove_suffix(1);
  }
  if (HasForbiddenControl(value)) return Result::kMalformed;
  if (interim_) return Result::kNeedMore;
  if (has_upper) {
    name_buf_.assign(name);
    for (char& c : name_buf_) c = LowerAscii(c);
    name = name_buf_;
  }
  if (const Result framing = OnFramingHeader(name, value); framing != Result::kNeedMore) {
    return framing;
  }
  sink.OnHeader(name, value);
  return Result::kNeedMore;
}

ResponseParser::Result ResponseParser::OnFramingHeader(std::string_view name,
                                                       std::string_view value) {
  if (name == "content-length") {
    // Repeated headers and lists are fine when every value is the same; any difference is a
    // desync risk (RFC 9112 6.3 item 5).
    const bool ok = ForEachElement(value, [this](std::string_view element) {
      const std::optional<uint64_t> length = ParseContentLength(element);
      if (!length || (declared_length_ && *declared_length_ != *length)) return false;
      declared_length_ = length;
      return true;
    });
    return ok ? Result::kNeedMore : Result::kMalformed;
  }
  if (name == "transfer-encoding") {
    te_present_ = true;
    ForEachElement(value, [this](std::string_view element) {
      if (element.empty()) return true;  // empty list elements do not count (RFC 9110 5.6.1)
      te_chunked_last_ =
          EqualsIgnoreCase(TrimBlanks(element.substr(0, element.find(';'))), "chunked");
      return true;
    });
    return Result::kNeedMore;
  }
  if (name == "connection") {
    ForEachElement(value, [this](std::string_view token) {
      connection_close_ |= EqualsIgnoreCase(token, "close");
      connection_keep_alive_ |= EqualsIgnoreCase(token, "keep-alive");
      return true;
    });
  }
  return Result::kNeedMore;
}

ResponseParser::Result ResponseParser::OnHeadEnd(ResponseSink& sink) {
  head_complete_ = true;
  if (no_body_ || status_ == 204 || status_ == 304) {
    framing_ = Framing::kNone;
  } else if (te_present_) {
    framing_ = te_chunked_last_ ? Framing::kChunked : Framing::kClose;
  } else if (declared_length_) {
    framing_ = Framing::kLength;
  } else {
    framing_ = Framing::kClose;
  }
  keep_alive_ =
      minor_version_ == 1 ? !connection_close_ : connection_keep_alive_ && !connection_close_;
  // TE with CL, or TE in HTTP/1.0, is faulty framing: close after it (RFC 9112 6.1, 6.3).
  if (framing_ == Framing::kClose || (te_present_ && (declared_length_ || minor_version_ == 0))) {
    keep_alive_ = false;
  }
  sink.OnHeadComplete();
  switch (framing_) {
    case Framing::kNone:
      state_ = State::kFinished;
      return Result::kDone;
    case Framing::kLength:
      remaining_ = *declared_length_;
      state_ = remaining_ == 0 ? State::kFinished : State::kBodyLength;
      return remaining_ == 0 ? Result::kDone : Result::kNeedMore;
    case Framing::kChunked:
      state_ = State::kChunkSize;
      chunk_line_bytes_ = 0;
      return Result::kNeedMore;
    case Framing::kClose:
      state_ = State::kBodyClose;
      return Result::kNeedMore;
  }
  return Result::kMalformed;
}

ResponseParser::Result ResponseParser::OnChunkSizeLine(std::string_view line) {
  // chunk-size [BWS ";" extensions]; the size fits 64 bits (at most 16 hex digits).
  uint64_t size = 0;
  size_t digits = 0;
  for (; digits < line.size(); ++digits) {
    const int v = HexValue(line[digits]);
    if (v < 0) break;
    if (digits == 16) return Result::kMalformed;
    size = (size << 4) | static_cast<uint64_t>(v);
  }
  if (digits == 0) return Result::kMalformed;
  std::string_view rest = line.substr(digits);
  while (!rest.empty() && IsBlank(rest.front())) rest.remove_prefix(1);
  if ((!rest.empty() && rest.front() != ';') || HasForbiddenControl(rest)) {
    return Result::kMalformed;
  }
  if (size == 0) {
    state_ = State::kTrailer;
    trailer_bytes_ = 0;
  } else {
    remaining_ = size;
    state_ = State::kChunkData;
  }
  return Result::kNeedMore;
}

}  // namespace teeharness::engine::http1
