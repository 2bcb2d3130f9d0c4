#include "harness/workload/prepared_body.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/crypto/sha256.h"
#include "harness/protocol/json_body.h"

namespace teeharness::workload {
namespace {

using rapidjson::Value;

void Set(rapidjson::Document& request, const char* name, Value value) {
  if (auto it = request.FindMember(name); it != request.MemberEnd()) {
    it->value = value;
  } else {
    request.AddMember(rapidjson::StringRef(name), value, request.GetAllocator());
  }
}

void AddExtraFields(rapidjson::Document& request, const std::string& extra_fields) {
  if (extra_fields.empty() || extra_fields == "{}") return;
  rapidjson::Document extra;
  extra.Parse(extra_fields.c_str(), extra_fields.size());
  if (extra.HasParseError() || !extra.IsObject()) return;  // the loader wrote it: compact JSON
  auto& allocator = request.GetAllocator();
  for (auto& member : extra.GetObject()) {
    if (request.HasMember(member.name)) continue;  // the body's own value wins
    request.AddMember(Value(member.name, allocator), Value(member.value, allocator), allocator);
  }
}

}  // namespace

PreparedBody BuildPreparedBody(rapidjson::Document& request, const BodyDefaults& defaults) {
  auto& allocator = request.GetAllocator();
  AddExtraFields(request, defaults.extra_fields);
  if (!defaults.model.empty()) {
    Set(request, "model",
        Value(defaults.model.data(), static_cast<rapidjson::SizeType>(defaults.model.size()),
              allocator));
  }
  Set(request, "stream", Value(defaults.stream));
  if (defaults.max_tokens && !request.HasMember("max_tokens")) {
    Set(request, "max_tokens", Value(*defaults.max_tokens));
  }
  if (defaults.stream && defaults.stream_usage && !request.HasMember("stream_options")) {
    Value options(rapidjson::kObjectType);
    options.AddMember("include_usage", true, allocator);
    Set(request, "stream_options", std::move(options));
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  request.Accept(writer);
  PreparedBody body;
  body.bytes.assign(buffer.GetString(), buffer.GetSize());
  body.sha256 = crypto::Sha256::Hash(body.bytes);
  return body;
}

Result<PreparedBody> BuildPreparedBodyFromText(std::string_view request_json,
                                               const BodyDefaults& defaults) {
  rapidjson::Document request;
  if (!protocol::ParseUntrustedJson(request_json, request).ok() || !request.IsObject()) {
    return Error{"request: not a JSON object"};
  }
  return BuildPreparedBody(request, defaults);
}

}  // namespace teeharness::workload
