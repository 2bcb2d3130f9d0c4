#include "mocks/dstack_workload.h"

#include <openssl/rand.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <vector>

#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "harness/crypto/sha384.h"

namespace teeharness::mocks {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// The mock writes what a dstack guest writes, with its own few lines rather than the verifier's
// code (the mock shares only crypto/ and protocol/ with the harness), so a verifier bug cannot
// make the mock agree with it.
struct Event {
  uint32_t imr = 0;
  uint32_t event_type = 0;
  crypto::Hash48 digest{};
  std::string event;
  crypto::Bytes payload;
};

constexpr uint32_t kRuntimeEventType = 0x08000001;

constexpr const char* kAppCompose =
    R"({"manifest_version":2,"name":"teeharness-mock","runner":"docker-compose",)"
    R"("docker_compose_file":"services:\n  llm:\n    image: teeharness/mock\n",)"
    R"("kms_enabled":false,"gateway_enabled":false,"local_key_provider_enabled":false})";
constexpr const char* kKeyProvider = R"({"name":"none","id":""})";

Event Runtime(const std::string& name, crypto::Bytes payload) {
  Event e;
  e.imr = 3;
  e.event_type = kRuntimeEventType;
  e.event = name;
  e.payload = std::move(payload);
  const uint8_t type[4] = {0x01, 0x00, 0x00, 0x08};  // kRuntimeEventType, little-endian
  const uint8_t colon[1] = {':'};
  e.digest = crypto::Sha384({type, colon, crypto::AsBytes(e.event), colon, e.payload});
  return e;
}

std::vector<Event> Events(const MockWorkload& w) {
  std::vector<Event> events;
  for (uint32_t imr = 0; imr < 3; ++imr) {
    Event boot;
    boot.imr = imr;
    boot.event_type = 0x80000001;  // EV_EFI_VARIABLE_DRIVER_CONFIG-like boot measurement
    boot.payload.assign({'m', 'o', 'c', 'k'});
    const std::string label = "teeharness mock boot event " + std::to_string(imr);
    boot.digest = crypto::Sha384({crypto::AsBytes(label)});
    events.push_back(boot);
  }
  events.push_back(Runtime("system-preparing", {}));
  events.push_back(Runtime("app-id", *crypto::DecodeHex(w.app_id)));
  events.push_back(Runtime("compose-hash", *crypto::DecodeHex(w.compose_hash)));
  events.push_back(Runtime("instance-id", *crypto::DecodeHex(w.instance_id)));
  events.push_back(Runtime("boot-mr-done", {}));
  const std::string_view kp(kKeyProvider);
  events.push_back(Runtime("key-provider", crypto::Bytes(kp.begin(), kp.end())));
  events.push_back(Runtime("system-ready", {}));
  return events;
}

void Put(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

MockWorkload Build() {
  MockWorkload w;
  w.app_compose = kAppCompose;
  w.compose_hash = crypto::Sha256::HashHex(w.app_compose);
  w.app_id = w.compose_hash.substr(0, 40);  // dstack's default: the compose hash's first 20 bytes
  uint8_t instance[20];
  RAND_bytes(instance, sizeof(instance));
  w.instance_id = crypto::EncodeHex(instance);
  for (const Event& e : Events(w)) w.rtmr[e.imr] = crypto::Sha384({w.rtmr[e.imr], e.digest});
  w.mr_config_id[0] = 1;
  const crypto::Bytes hash = *crypto::DecodeHex(w.compose_hash);
  std::copy(hash.begin(), hash.end(), w.mr_config_id.begin() + 1);
  return w;
}

}  // namespace

std::string MockWorkload::EventLogJson(bool mismatch) const {
  std::vector<Event> events = Events(*this);
  if (mismatch) events[0].digest[0] ^= 0x01;
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartArray();
  for (const Event& e : events) {
    w.StartObject();
    w.Key("imr");
    w.Uint(e.imr);
    w.Key("event_type");
    w.Uint(e.event_type);
    Put(w, "digest", crypto::EncodeHex(e.digest));
    Put(w, "event", e.event);
    Put(w, "event_payload", crypto::EncodeHex(e.payload));
    w.EndObject();
  }
  w.EndArray();
  return buffer.GetString();
}

std::string MockWorkload::InfoJson(bool compose_mismatch) const {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Put(w, "mock",
      "teeharness built-in mock: TDX quote signed by the mock's DCAP PKI (root at "
      "/mock/pki/root.pem), GPU evidence by its NVIDIA-style PKI (/mock/pki/nvidia-root.pem)");
  Put(w, "app_id", app_id);
  Put(w, "instance_id", instance_id);
  Put(w, "key_provider_info", kKeyProvider);
  w.Key("tcb_info");
  w.StartObject();
  Put(w, "compose_hash", compose_hash);
  const char* names[] = {"rtmr0", "rtmr1", "rtmr2", "rtmr3"};
  for (size_t i = 0; i < 4; ++i) Put(w, names[i], crypto::EncodeHex(rtmr[i]));
  Put(w, "app_compose", compose_mismatch ? app_compose + "\n" : app_compose);
  w.EndObject();
  w.EndObject();
  return buffer.GetString();
}

const MockWorkload& ProcessMockWorkload() {
  static const MockWorkload workload = Build();
  return workload;
}

}  // namespace teeharness::mocks
