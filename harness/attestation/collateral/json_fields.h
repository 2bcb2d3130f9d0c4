#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::json {

// Typed, checked reads from untrusted collateral JSON (RapidJSON asserts on wrong-type access).
// Every error names the field path. Thread-safe (pure).
Result<const rapidjson::Value*> Member(const rapidjson::Value& object, const char* key,
                                       const std::string& path);
Result<std::string> String(const rapidjson::Value& object, const char* key,
                           const std::string& path);
Result<int64_t> Integer(const rapidjson::Value& object, const char* key, const std::string& path,
                        int64_t min, int64_t max);
Result<crypto::Bytes> Hex(const rapidjson::Value& object, const char* key, const std::string& path,
                          size_t size);  // size 0: any length
Result<int64_t> Time(const rapidjson::Value& object, const char* key, const std::string& path);
Result<const rapidjson::Value*> Array(const rapidjson::Value& object, const char* key,
                                      const std::string& path);

// An optional array of strings (advisoryIDs); absent is empty.
Result<std::vector<std::string>> OptionalStrings(const rapidjson::Value& object, const char* key,
                                                 const std::string& path);

// Parses `text` (untrusted) into `doc`: nesting beyond 32 levels is rejected before RapidJSON
// sees it, then it is parsed iteratively with UTF-8 validation, and must be an object. `what`
// names it in errors ("TCB info is not JSON (...)").
Result<bool> ParseObject(std::string_view text, const char* what, rapidjson::Document& doc);

}  // namespace teeharness::attestation::json
