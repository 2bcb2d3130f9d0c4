#include "harness/protocol/sse_stream.h"

namespace teeharness::protocol {

void SseStream::Feed(std::string_view chunk, TimePoint arrived) {
  for (char c : chunk) {
    if (c == '\n' && last_was_cr_) {  // the \n of a \r\n pair split across chunks or not
      last_was_cr_ = false;
      continue;
    }
    last_was_cr_ = c == '\r';
    if (c == '\n' || c == '\r') {
      Line(line_, arrived);
      line_.clear();
      continue;
    }
    if (line_.size() < max_event_) {
      line_ += c;
    } else {
      oversized_event_ = true;
    }
  }
}

void SseStream::Line(std::string_view line, TimePoint arrived) {
  if (line.empty()) {  // blank line: dispatch
    if (oversized_event_) {
      ++oversized_;
    } else if (has_data_) {
      ++events_;
      on_event_(data_, arrived);
    }
    data_.clear();
    has_data_ = false;
    oversized_event_ = false;
    return;
  }
  if (line.front() == ':') return;  // comment
  const size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  if (field != "data") return;  // event, id, retry: not needed here
  std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (has_data_) data_ += '\n';
  if (data_.size() + value.size() > max_event_) {
    oversized_event_ = true;
    return;
  }
  data_.append(value);
  has_data_ = true;
}

}  // namespace teeharness::protocol
