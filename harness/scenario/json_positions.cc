#include "harness/scenario/json_positions.h"

#include <rapidjson/reader.h>

#include <vector>

namespace teeharness::scenario {
namespace {

// A read-only input stream for rapidjson::Reader. Unlike StringStream it has no copy optimisation
// (RapidJSON parses a StringStream through a local copy), so Tell() is exact inside callbacks.
class PositionStream {
 public:
  using Ch = char;
  explicit PositionStream(const char* text) : head_(text), current_(text) {}
  Ch Peek() const { return *current_; }
  Ch Take() { return *current_++; }
  size_t Tell() const { return static_cast<size_t>(current_ - head_); }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

 private:
  const char* head_;
  const char* current_;
};

// Records the offset of every value: for object members, the offset of the member's key (which is
// where a reader looks for it); for array items, where the item starts.
class Recorder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Recorder> {
 public:
  Recorder(PositionStream& stream, std::map<std::string, size_t>& offsets)
      : stream_(stream), offsets_(offsets) {}

  bool Default() { return Scalar(stream_.Tell()); }
  bool String(const char*, rapidjson::SizeType length, bool) {
    return Scalar(stream_.Tell() - length - 2);
  }
  bool StartObject() {
    Record(stream_.Tell() - 1);
    frames_.push_back(Frame{true, 0, {}});
    return true;
  }
  bool Key(const char* key, rapidjson::SizeType length, bool) {
    frames_.back().key = std::string(key, length);
    key_offset_ = stream_.Tell() - length - 2;
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return EndContainer(); }
  bool StartArray() {
    Record(stream_.Tell() - 1);
    frames_.push_back(Frame{false, 0, {}});
    return true;
  }
  bool EndArray(rapidjson::SizeType) { return EndContainer(); }

 private:
  struct Frame {
    bool object;
    size_t index;
    std::string key;
  };

  // Records the current value's pointer. An array's index moves on only once the item is
  // complete, so a container item's members are recorded under the item's own index.
  void Record(size_t offset) {
    std::string pointer;
    for (const Frame& frame : frames_) {
      pointer += "/" + (frame.object ? JsonPositions::PointerToken(frame.key)
                                     : std::to_string(frame.index));
    }
    if (!frames_.empty() && frames_.back().object) offset = key_offset_;
    offsets_.emplace(pointer, offset);
  }
  void NextItem() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  bool Scalar(size_t offset) {
    Record(offset);
    NextItem();
    return true;
  }
  bool EndContainer() {
    frames_.pop_back();
    NextItem();
    return true;
  }

  PositionStream& stream_;
  std::map<std::string, size_t>& offsets_;
  std::vector<Frame> frames_;
  size_t key_offset_ = 0;
};

}  // namespace

bool JsonPositions::Build(std::string_view text) {
  text_ = text;
  const std::string copy(text);  // StringStream needs a NUL-terminated buffer
  PositionStream stream(copy.c_str());
  Recorder recorder(stream, offsets_);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag;
  return !reader.Parse<kFlags>(stream, recorder).IsError();
}

JsonPositions::Position JsonPositions::Find(std::string pointer) const {
  for (;;) {
    const auto it = offsets_.find(pointer);
    if (it != offsets_.end()) return OffsetToPosition(text_, it->second);
    const size_t slash = pointer.rfind('/');
    if (slash == std::string::npos || pointer.empty()) return {};
    pointer.resize(slash);
  }
}

JsonPositions::Position JsonPositions::OffsetToPosition(std::string_view text, size_t offset) {
  Position position;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

std::string JsonPositions::PointerToken(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace teeharness::scenario
