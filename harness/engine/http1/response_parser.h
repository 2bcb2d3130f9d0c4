#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teeharness::engine::http1 {

// Receives what ResponseParser decodes. Not thread-safe (called on the parser's thread).
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // A header of the final response: name lowercased (ASCII fold), value with leading SP/HT and
  // trailing SP/HT/CR/LF removed. Never called for headers of 1xx interim responses or for
  // trailers.
  virtual void OnHeader(std::string_view name, std::string_view value) = 0;
  // Called once, after the final response's last header, before any OnBody.
  virtual void OnHeadComplete() = 0;
  // Decoded body bytes (chunked framing removed), in order, as they arrive. May be called many
  // times; never with an empty view.
  virtual void OnBody(std::string_view bytes) = 0;
};

// An incremental HTTP/1.1 response parser (RFC 9112) for untrusted server bytes: it never throws,
// never aborts and classifies every bad input. Any split of the input into Feed calls gives the
// same sink calls (headers, concatenated body), result and consumed total. Only a partial line is
// buffered (bounded by the head limit); whole lines and body bytes reach the sink as views into the
// fed data. Tolerant where libcurl is (bare LF line ends, missing reason phrase, chunk
// extensions, trailers), strict where a framing desync could follow (conflicting Content-Length,
// chunk size overflow, bad chunk data terminator, obsolete line folding, bare CR or NUL in a
// header, non-token header names).
// Not thread-safe; one per connection, reused across responses (Reset keeps its buffer).
class ResponseParser {
 public:
  enum class Result { kNeedMore, kDone, kMalformed, kHeadersTooLarge, kTruncated };

  // max_header_bytes caps all head bytes of a response (status lines and interim 1xx heads
  // included) and, separately, the trailer section of a chunked body.
  explicit ResponseParser(size_t max_header_bytes);

  // Starts a new response. no_body: the request was HEAD (no body whatever the headers say).
  void Reset(bool no_body);
  // Consumes bytes of the response. kNeedMore: all of `data` was used, more is needed.
  // kDone: the response ended; *consumed = bytes of `data` it used (the rest belongs to no
  // request). kMalformed / kHeadersTooLarge: stop; the connection is unusable. Once it returned
  // anything but kNeedMore, further Feed calls return the same result (with *consumed = 0) without
  // calling the sink.
  Result Feed(std::string_view data, ResponseSink& sink, size_t* consumed);
  // The peer closed the connection (EOF). kDone when the body was close-delimited (or the response
  // was already complete); kTruncated when the head or a length-/chunk-delimited body was
  // incomplete (including when no byte of the response arrived at all). After an earlier
  // kMalformed / kHeadersTooLarge it returns that result again.
  Result OnEof(ResponseSink& sink);

  int status() const { return head_complete_ ? status_ : 0; }  // valid once the head is complete
  int minor_version() const { return minor_version_; }         // 0 or 1
  bool head_complete() const { return head_complete_; }
  // The connection may carry another request after kDone.
  bool keep_alive() const { return keep_alive_; }
  // Declared, when the body is length-delimited.
  std::optional<uint64_t> content_length() const;
  // Bytes of this response fed so far (0: nothing arrived yet). After kDone only the consumed ones.
  uint64_t bytes_seen() const { return bytes_seen_; }
  // The body is chunked (valid once the head is complete).
  bool chunked() const { return head_complete_ && framing_ == Framing::kChunked; }
  // The body ends at EOF (valid once the head is complete).
  bool close_delimited() const { return head_complete_ && framing_ == Framing::kClose; }

  // A chunk-size line (size, extensions, line end) longer than this is kMalformed: extensions are
  // ignored, so nothing legitimate needs more, and an endless line must not be buffered.
  static constexpr size_t kMaxChunkLineBytes = 4096;

 private:
  enum class State {
    kStatusLine,
    kHeaderLine,
    kBodyLength,
    kBodyClose,
    kChunkSize,
    kChunkData,
    kChunkDataCr,  // after chunk data: CR or LF expected
    kChunkDataLf,  // after chunk data and CR: LF expected
    kTrailer,
    kFinished,
  };
  enum class Framing { kNone, kLength, kChunked, kClose };
  enum class LineRead { kComplete, kPartial, kTooLong };

  // Takes the next line from data[*pos...] (joined with a buffered partial line), counting its
  // bytes in *used against `limit`. kComplete: *line is the line without LF and one trailing CR.
  LineRead ReadLine(std::string_view data, size_t* pos, size_t* used, size_t limit,
                    std::string_view* line);
  // In the status-line state: the fed bytes that must be "HTTP/1.0" or "HTTP/1.1" are not, within
  // the head limit (stops a non-HTTP peer without waiting for a line end).
  bool StatusPrefixMismatch(std::string_view data, size_t pos) const;

  Result OnStatusLine(std::string_view line);
  Result OnHeaderLine(std::string_view line, ResponseSink& sink);
  Result OnFramingHeader(std::string_view name, std::string_view value);
  Result OnHeadEnd(ResponseSink& sink);
  Result OnChunkSizeLine(std::string_view line);
  // One step of the body/chunk states from data[*pos]; returns kNeedMore to continue.
  Result StepBody(std::string_view data, size_t* pos, ResponseSink& sink);
  Result Step(std::string_view data, size_t* pos, ResponseSink& sink);

  const size_t max_header_bytes_;
  std::string line_;      // a partial line carried between Feed calls
  std::string name_buf_;  // a lowercased header name when the server sent uppercase
  State state_ = State::kStatusLine;
  Result result_ = Result::kNeedMore;
  bool no_body_ = false;
  bool interim_ = false;  // the head being read is a 1xx interim response
  bool head_complete_ = false;
  int status_ = 0;
  int minor_version_ = 1;
  bool keep_alive_ = false;
  size_t head_bytes_ = 0;
  size_t trailer_bytes_ = 0;
  size_t chunk_line_bytes_ = 0;
  uint64_t bytes_seen_ = 0;
  uint64_t remaining_ = 0;  // of a length-delimited body or the current chunk
  Framing framing_ = Framing::kNone;
  std::optional<uint64_t> declared_length_;
  bool te_present_ = false;
  bool te_chunked_last_ = false;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
};

}  // namespace teeharness::engine::http1
