#include "harness/attestation/gpu/gpu_json.h"

namespace teeharness::attestation::gpu {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteChecks(Writer& w, const std::vector<CheckResult>& checks) {
  w.Key("checks");
  w.StartArray();
  for (const CheckResult& c : checks) {
    w.StartObject();
    Str(w, "id", c.id);
    Str(w, "result", CheckStateName(c.state));
    Str(w, "reason", c.reason);
    w.EndObject();
  }
  w.EndArray();
}

// One RIM a GPU was compared with: `key` {file, tag_id, version}.
void RimFile(Writer& w, const char* key, std::string_view file, std::string_view tag_id,
             std::string_view version) {
  w.Key(key);
  w.StartObject();
  Str(w, "file", file);
  Str(w, "tag_id", tag_id);
  Str(w, "version", version);
  w.EndObject();
}

}  // namespace

void WriteGpuJson(Writer& w, const GpuVerification& gpu) {
  w.StartObject();
  w.Key("index");
  w.Uint64(gpu.index);
  Str(w, "nonce", gpu.nonce);
  Str(w, "driver", gpu.driver);
  Str(w, "vbios", gpu.vbios);
  w.Key("rims");
  if (!gpu.rims.compared) {
    w.Null();
  } else {
    const GpuRimSummary& r = gpu.rims;
    w.StartObject();
    RimFile(w, "driver", r.driver_file, r.driver_tag_id, r.driver_version);
    RimFile(w, "vbios", r.vbios_file, r.vbios_tag_id, r.vbios_version);
    w.Key("matched");
    w.Uint64(r.matched);
    w.Key("mismatched");
    w.Uint64(r.mismatched);
    w.Key("missing");
    w.Uint64(r.missing);
    w.EndObject();
  }
  WriteChecks(w, gpu.checks);
  w.EndObject();
}

std::string GpuVerificationJson(const GpuVerification& gpu) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Str(w, "verdict", VerdictName(gpu.verdict()));
  // Why an all-pass GPU is `incomplete`: revocation is never queried offline.
  Str(w, "revocation", "not checked: OCSP is not queried offline");
  WriteChecks(w, gpu.checks);
  w.Key("gpus");
  w.StartArray();
  WriteGpuJson(w, gpu);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace teeharness::attestation::gpu
