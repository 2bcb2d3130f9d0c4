#include "harness/attestation/dstack/dstack_json.h"

namespace teeharness::attestation::dstack {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

void WriteDstackJson(Writer& w, const DstackVerification& v) {
  const DstackEvidence& e = v.evidence;
  w.StartObject();
  Str(w, "app_id", e.app_id);
  Str(w, "instance_id", e.instance_id);
  Str(w, "compose_hash", e.compose_hash);
  Str(w, "os_image_hash", e.os_image_hash);
  Str(w, "key_provider", e.key_provider);
  Str(w, "key_provider_id", e.key_provider_id);
  w.Key("from_info");
  w.StartArray();
  for (const std::string& field : e.from_info) {
    w.String(field.c_str(), static_cast<rapidjson::SizeType>(field.size()));
  }
  w.EndArray();
  Str(w, "mr_config", v.mr_config);
  w.Key("checks");
  w.StartArray();
  for (const CheckResult& c : v.checks) {
    w.StartObject();
    Str(w, "id", c.id);
    Str(w, "result", CheckStateName(c.state));
    Str(w, "reason", c.reason);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace teeharness::attestation::dstack
