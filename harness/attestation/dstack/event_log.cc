#include "harness/attestation/dstack/event_log.h"

#include <algorithm>

#include "harness/crypto/hex.h"
#include "harness/protocol/json_body.h"

namespace teeharness::attestation::dstack {
namespace {

std::string Field(size_t index, const char* key) {
  return "event_log[" + std::to_string(index) + "]." + key;
}

Result<uint32_t> Unsigned(const rapidjson::Value& e, size_t index, const char* key, uint32_t max) {
  const auto it = e.FindMember(key);
  if (it == e.MemberEnd()) return MakeError(Field(index, key), " is missing");
  if (!it->value.IsUint64() || it->value.GetUint64() > max) {
    return MakeError(Field(index, key), " is not an integer in 0..", max);
  }
  return static_cast<uint32_t>(it->value.GetUint64());
}

Result<std::string_view> Text(const rapidjson::Value& e, size_t index, const char* key) {
  const auto it = e.FindMember(key);
  if (it == e.MemberEnd()) return MakeError(Field(index, key), " is missing");
  if (!it->value.IsString()) return MakeError(Field(index, key), " is not a string");
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

Result<Event> ReadEvent(const rapidjson::Value& e, size_t index) {
  if (!e.IsObject()) return MakeError("event_log[", index, "] is not an object");
  Event out;
  Result<uint32_t> imr = Unsigned(e, index, "imr", 3);
  if (!imr.ok()) return Error{imr.error()};
  out.imr = *imr;
  Result<uint32_t> type = Unsigned(e, index, "event_type", UINT32_MAX);
  if (!type.ok()) return Error{type.error()};
  out.event_type = *type;
  Result<std::string_view> digest = Text(e, index, "digest");
  if (!digest.ok()) return Error{digest.error()};
  Result<crypto::Bytes> digest_bytes = crypto::DecodeHexExact(*digest, 48);
  if (!digest_bytes.ok()) return MakeError(Field(index, "digest"), ": ", digest_bytes.error());
  std::copy(digest_bytes->begin(), digest_bytes->end(), out.digest.begin());
  Result<std::string_view> name = Text(e, index, "event");
  if (name.ok()) out.event = std::string(*name);
  Result<std::string_view> payload = Text(e, index, "event_payload");
  if (!payload.ok()) return Error{payload.error()};
  Result<crypto::Bytes> payload_bytes = crypto::DecodeHex(*payload);
  if (!payload_bytes.ok()) {
    return MakeError(Field(index, "event_payload"), ": ", payload_bytes.error());
  }
  out.payload = std::move(payload_bytes).value();
  return out;
}

}  // namespace

Result<std::vector<Event>> ParseEventLogValue(const rapidjson::Value& value) {
  if (value.IsString()) {
    return ParseEventLog(std::string_view(value.GetString(), value.GetStringLength()));
  }
  if (!value.IsArray()) return MakeError("event_log is neither an array nor a JSON string");
  std::vector<Event> events;
  events.reserve(value.Size());
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    Result<Event> e = ReadEvent(value[i], i);
    if (!e.ok()) return Error{e.error()};
    events.push_back(std::move(e).value());
  }
  return events;
}

Result<std::vector<Event>> ParseEventLog(std::string_view json_text) {
  rapidjson::Document doc;
  if (Result<bool> parsed = protocol::ParseUntrustedJson(json_text, doc); !parsed.ok()) {
    return MakeError("event_log is not JSON (", parsed.error(), ")");
  }
  // A string holding a string holding the array is not a shape anyone sends: one level only.
  if (doc.IsString()) {
    rapidjson::Document inner;
    const std::string_view text(doc.GetString(), doc.GetStringLength());
    if (Result<bool> parsed = protocol::ParseUntrustedJson(text, inner); !parsed.ok()) {
      return MakeError("event_log is not JSON (", parsed.error(), ")");
    }
    if (!inner.IsArray()) return MakeError("event_log text is not a JSON array");
    return ParseEventLogValue(inner);
  }
  return ParseEventLogValue(doc);
}

const crypto::Bytes* RuntimeEventPayload(const std::vector<Event>& events, std::string_view name) {
  for (const Event& e : events) {
    if (e.imr == 3 && e.event_type == kRuntimeEventType && e.event == name) return &e.payload;
  }
  return nullptr;
}

}  // namespace teeharness::attestation::dstack
