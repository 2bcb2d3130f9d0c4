#include "harness/attestation/collateral/json_fields.h"

#include <rapidjson/error/en.h>

#include <optional>

#include "harness/attestation/collateral/rfc3339.h"
#include "harness/base/json_depth.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation::json {

Result<const rapidjson::Value*> Member(const rapidjson::Value& object, const char* key,
                                       const std::string& path) {
  if (!object.IsObject()) return MakeError(path, " is not an object");
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return MakeError(path, ".", key, " is missing");
  return &it->value;
}

Result<std::string> String(const rapidjson::Value& object, const char* key,
                           const std::string& path) {
  Result<const rapidjson::Value*> v = Member(object, key, path);
  if (!v.ok()) return Error{v.error()};
  if (!(*v)->IsString()) return MakeError(path, ".", key, " is not a string");
  return std::string((*v)->GetString(), (*v)->GetStringLength());
}

Result<int64_t> Integer(const rapidjson::Value& object, const char* key, const std::string& path,
                        int64_t min, int64_t max) {
  Result<const rapidjson::Value*> v = Member(object, key, path);
  if (!v.ok()) return Error{v.error()};
  if (!(*v)->IsInt64()) return MakeError(path, ".", key, " is not an integer");
  const int64_t n = (*v)->GetInt64();
  if (n < min || n > max) {
    return MakeError(path, ".", key, " is ", n, ", outside ", min, "..", max);
  }
  return n;
}

Result<crypto::Bytes> Hex(const rapidjson::Value& object, const char* key, const std::string& path,
                          size_t size) {
  Result<std::string> text = String(object, key, path);
  if (!text.ok()) return Error{text.error()};
  Result<crypto::Bytes> bytes = crypto::DecodeHex(*text);
  if (!bytes.ok()) return MakeError(path, ".", key, ": ", bytes.error());
  if (size != 0 && bytes->size() != size) {
    return MakeError(path, ".", key, " is ", bytes->size(), " bytes; expected ", size);
  }
  return bytes;
}

Result<int64_t> Time(const rapidjson::Value& object, const char* key, const std::string& path) {
  Result<std::string> text = String(object, key, path);
  if (!text.ok()) return Error{text.error()};
  Result<int64_t> t = ParseRfc3339(*text);
  if (!t.ok()) return MakeError(path, ".", key, ": ", t.error());
  return t;
}

Result<const rapidjson::Value*> Array(const rapidjson::Value& object, const char* key,
                                      const std::string& path) {
  Result<const rapidjson::Value*> v = Member(object, key, path);
  if (!v.ok()) return v;
  if (!(*v)->IsArray()) return MakeError(path, ".", key, " is not an array");
  return v;
}

Result<std::vector<std::string>> OptionalStrings(const rapidjson::Value& object, const char* key,
                                                 const std::string& path) {
  std::vector<std::string> out;
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return out;
  if (!it->value.IsArray()) return MakeError(path, ".", key, " is not an array");
  for (const rapidjson::Value& item : it->value.GetArray()) {
    if (!item.IsString()) return MakeError(path, ".", key, " holds a non-string");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

Result<bool> ParseObject(std::string_view text, const char* what, rapidjson::Document& doc) {
  // Collateral nests six levels at most; the check runs before RapidJSON sees the text so that a
  // wall of "[" cannot exhaust the stack in later recursive walks.
  constexpr size_t kMaxDepth = 32;
  if (const std::optional<size_t> at = JsonTooDeepAt(text, kMaxDepth)) {
    return MakeError(what, " is not JSON (nested deeper than ", kMaxDepth, " levels at offset ",
                     *at, ")");
  }
  // Iterative: no recursion on hostile input. Encoding validated: the texts are echoed in errors
  // and reports, and invalid UTF-8 in signed collateral is a sign of corruption.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(text.data(),
                                                                                    text.size());
  if (doc.HasParseError()) {
    return MakeError(what, " is not JSON (", rapidjson::GetParseError_En(doc.GetParseError()),
                     " at offset ", doc.GetErrorOffset(), ")");
  }
  if (!doc.IsObject()) return MakeError(what, " is not a JSON object");
  return true;
}

}  // namespace teeharness::attestation::json
