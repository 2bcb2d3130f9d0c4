#include "tests/support/files.h"

#include <gtest/gtest.h>
#include <rapidjson/error/en.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace teeharness::testing {

std::string ReadFileOrFail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

rapidjson::Document ReadJsonOrFail(const std::string& path) {
  const std::string text = ReadFileOrFail(path);
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  if (document.HasParseError()) {
    ADD_FAILURE() << path << ": " << rapidjson::GetParseError_En(document.GetParseError());
  }
  return document;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/teeharness-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Write(const std::string& name, const std::string& bytes) const {
  const std::string full = path_ + "/" + name;
  std::ofstream(full, std::ios::binary) << bytes;
  return full;
}

}  // namespace teeharness::testing
