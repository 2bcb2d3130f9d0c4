#include "harness/attestation/dstack/app_info.h"

#include "harness/protocol/json_body.h"

namespace teeharness::attestation::dstack {
namespace {

std::string OptionalString(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

Result<TcbInfo> ReadTcbInfo(const rapidjson::Value& v) {
  if (!v.IsObject()) return MakeError("tcb_info is not a JSON object");
  TcbInfo out;
  out.mrtd = OptionalString(v, "mrtd");
  out.rtmr0 = OptionalString(v, "rtmr0");
  out.rtmr1 = OptionalString(v, "rtmr1");
  out.rtmr2 = OptionalString(v, "rtmr2");
  out.rtmr3 = OptionalString(v, "rtmr3");
  out.os_image_hash = OptionalString(v, "os_image_hash");
  out.compose_hash = OptionalString(v, "compose_hash");
  out.device_id = OptionalString(v, "device_id");
  if (auto it = v.FindMember("app_compose"); it != v.MemberEnd()) {
    if (!it->value.IsString()) return MakeError("tcb_info.app_compose is not a string");
    out.app_compose = std::string(it->value.GetString(), it->value.GetStringLength());
  }
  if (auto it = v.FindMember("mr_config"); it != v.MemberEnd() && it->value.IsString()) {
    out.mr_config = std::string(it->value.GetString(), it->value.GetStringLength());
  }
  if (auto it = v.FindMember("event_log"); it != v.MemberEnd()) {
    Result<std::vector<Event>> events = ParseEventLogValue(it->value);
    if (!events.ok()) return MakeError("tcb_info.", events.error());
    out.event_log = std::move(events).value();
    out.has_event_log = true;
  }
  return out;
}

}  // namespace

Result<TcbInfo> ParseTcbInfoValue(const rapidjson::Value& value) {
  if (value.IsString()) {
    return ParseTcbInfo(std::string_view(value.GetString(), value.GetStringLength()));
  }
  return ReadTcbInfo(value);
}

Result<TcbInfo> ParseTcbInfo(std::string_view json_text) {
  rapidjson::Document doc;
  if (Result<bool> parsed = protocol::ParseUntrustedJson(json_text, doc); !parsed.ok()) {
    return MakeError("tcb_info is not JSON (", parsed.error(), ")");
  }
  if (doc.IsString()) {
    rapidjson::Document inner;
    if (Result<bool> parsed = protocol::ParseJsonObject(
            std::string_view(doc.GetString(), doc.GetStringLength()), "tcb_info", inner);
        !parsed.ok()) {
      return Error{parsed.error()};
    }
    return ReadTcbInfo(inner);
  }
  return ReadTcbInfo(doc);
}

Result<AppInfo> ParseAppInfo(std::string_view json_text) {
  rapidjson::Document doc;
  if (Result<bool> parsed = protocol::ParseJsonObject(json_text, "info", doc); !parsed.ok()) {
    return Error{parsed.error()};
  }
  AppInfo out;
  out.app_id = OptionalString(doc, "app_id");
  out.instance_id = OptionalString(doc, "instance_id");
  out.key_provider_info = OptionalString(doc, "key_provider_info");
  if (auto it = doc.FindMember("tcb_info"); it != doc.MemberEnd()) {
    Result<TcbInfo> tcb = ParseTcbInfoValue(it->value);
    if (!tcb.ok()) return MakeError("info.", tcb.error());
    out.tcb_info = std::move(tcb).value();
  }
  return out;
}

}  // namespace teeharness::attestation::dstack
