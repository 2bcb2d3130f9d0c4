#pragma once

#include <rapidjson/document.h>

#include <string>

namespace teeharness::testing {

// Reads a whole file as bytes; fails the current test (and returns "") when it cannot.
std::string ReadFileOrFail(const std::string& path);

// Parses a JSON file; fails the current test on a parse error.
rapidjson::Document ReadJsonOrFail(const std::string& path);

// A fresh directory under $TMPDIR, removed by the destructor. Not thread-safe.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `bytes` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& bytes) const;

 private:
  std::string path_;
};

}  // namespace teeharness::testing
