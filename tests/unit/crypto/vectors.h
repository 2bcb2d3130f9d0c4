#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::crypto {

// The shipped vectors (a copy of ../shared/vectors): synthetic.json and the real phala stream.
inline const rapidjson::Document& Synthetic() {
  static const rapidjson::Document document =
      testing::ReadJsonOrFail(testing::VectorsDir() + "/synthetic.json");
  return document;
}

inline std::string Str(const rapidjson::Value& object, const char* key) {
  EXPECT_TRUE(object.IsObject() && object.HasMember(key) && object[key].IsString()) << key;
  return object[key].GetString();
}

}  // namespace teeharness::crypto
