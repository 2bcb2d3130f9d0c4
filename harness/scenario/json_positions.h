#pragma once

#include <map>
#include <string>
#include <string_view>

namespace teeharness::scenario {

// Where each value of a JSON document starts, by JSON pointer ("/phases/1/concurrency"), so schema
// and semantic errors can name file:line:column. Built with one SAX pass using the same parse
// flags as the loader (comments, trailing commas). Not thread-safe (plain data after Build).
class JsonPositions {
 public:
  struct Position {
    int line = 1;
    int column = 1;
  };

  // Returns false when the text does not parse (the loader reports that error itself).
  bool Build(std::string_view text);

  // The position of `pointer`, or of its nearest recorded ancestor.
  Position Find(std::string pointer) const;

  static Position OffsetToPosition(std::string_view text, size_t offset);
  // A key escaped as one JSON pointer token (RFC 6901: "~" is "~0", "/" is "~1").
  static std::string PointerToken(std::string_view key);

 private:
  std::map<std::string, size_t> offsets_;
  std::string_view text_;
};

}  // namespace teeharness::scenario
