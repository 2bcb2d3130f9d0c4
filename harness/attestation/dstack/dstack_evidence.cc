#include "harness/attestation/dstack/dstack_evidence.h"

#include <rapidjson/document.h>

#include "harness/crypto/hex.h"
#include "harness/protocol/json_body.h"

namespace teeharness::attestation::dstack {
namespace {

std::string PayloadHex(const std::vector<Event>& events, const char* name) {
  const crypto::Bytes* payload = RuntimeEventPayload(events, name);
  return payload ? crypto::EncodeHex(*payload) : "";
}

// {"name":"kms","id":"<hex>"} as the key-provider event or key_provider_info carries it.
void ReadKeyProvider(std::string_view json, DstackEvidence& out) {
  rapidjson::Document doc;
  if (!protocol::ParseJsonObject(json, "key provider", doc).ok()) return;
  if (auto it = doc.FindMember("name"); it != doc.MemberEnd() && it->value.IsString()) {
    out.key_provider = it->value.GetString();
  }
  if (auto it = doc.FindMember("id"); it != doc.MemberEnd() && it->value.IsString()) {
    out.key_provider_id = it->value.GetString();
  }
}

void Fallback(std::string& field, const std::string& value, const char* name, DstackEvidence& out) {
  if (!field.empty() || value.empty()) return;
  field = value;
  out.from_info.push_back(name);
}

}  // namespace

DstackEvidence ExtractDstackEvidence(const std::vector<Event>& events, const AppInfo* info) {
  DstackEvidence out;
  out.app_id = PayloadHex(events, "app-id");
  out.instance_id = PayloadHex(events, "instance-id");
  out.compose_hash = PayloadHex(events, "compose-hash");
  out.os_image_hash = PayloadHex(events, "os-image-hash");
  if (const crypto::Bytes* kp = RuntimeEventPayload(events, "key-provider")) {
    ReadKeyProvider(std::string_view(reinterpret_cast<const char*>(kp->data()), kp->size()), out);
  }
  if (info == nullptr) return out;
  Fallback(out.app_id, info->app_id, "app_id", out);
  Fallback(out.instance_id, info->instance_id, "instance_id", out);
  if (out.key_provider.empty() && !info->key_provider_info.empty()) {
    ReadKeyProvider(info->key_provider_info, out);
    if (!out.key_provider.empty()) out.from_info.push_back("key_provider_info");
  }
  if (info->tcb_info) {
    Fallback(out.compose_hash, info->tcb_info->compose_hash, "tcb_info.compose_hash", out);
    Fallback(out.os_image_hash, info->tcb_info->os_image_hash, "tcb_info.os_image_hash", out);
  }
  return out;
}

}  // namespace teeharness::attestation::dstack
