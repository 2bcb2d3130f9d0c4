#include "harness/attestation/gpu/nvidia_payload.h"

#include <rapidjson/document.h>

#include "harness/attestation/gpu/spdm_evidence.h"
#include "harness/crypto/base64.h"
#include "harness/protocol/json_body.h"

namespace teeharness::attestation::gpu {
namespace {

std::string OptionalString(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// base64 as the dialects write it; some tools wrap lines, so whitespace is dropped first.
Result<crypto::Bytes> DecodeField(const rapidjson::Value& entry, const char* key, size_t index) {
  const auto it = entry.FindMember(key);
  if (it == entry.MemberEnd() || !it->value.IsString()) {
    return MakeError("evidence_list[", index, "].", key, " is missing or not a string");
  }
  std::string text;
  text.reserve(it->value.GetStringLength());
  for (rapidjson::SizeType i = 0; i < it->value.GetStringLength(); ++i) {
    const char c = it->value.GetString()[i];
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') text += c;
  }
  Result<crypto::Bytes> bytes = crypto::DecodeBase64(text);
  if (!bytes.ok()) {
    return MakeError("evidence_list[", index, "].", key, " is not base64: ", bytes.error());
  }
  return bytes;
}

GpuEvidenceEntry ReadEntry(const rapidjson::Value& entry, size_t index) {
  GpuEvidenceEntry out;
  if (!entry.IsObject()) {
    out.problem = "evidence_list[" + std::to_string(index) + "] is not an object";
    return out;
  }
  out.arch = OptionalString(entry, "arch");
  Result<crypto::Bytes> cert = DecodeField(entry, "certificate", index);
  Result<crypto::Bytes> evidence = DecodeField(entry, "evidence", index);
  if (!cert.ok()) {
    out.problem = cert.error();
  } else {
    out.certificate_pem.assign(cert->begin(), cert->end());
  }
  if (!evidence.ok()) {
    if (out.problem.empty()) out.problem = evidence.error();
  } else {
    out.evidence = DecodeEvidenceBytes(*evidence);
  }
  return out;
}

}  // namespace

Result<NvidiaPayload> ParseNvidiaPayload(std::string_view json_text) {
  rapidjson::Document doc;
  if (Result<bool> parsed = protocol::ParseJsonObject(json_text, "nvidia_payload", doc);
      !parsed.ok()) {
    return Error{parsed.error()};
  }
  NvidiaPayload out;
  out.arch = OptionalString(doc, "arch");
  out.nonce = OptionalString(doc, "nonce");
  const auto list = doc.FindMember("evidence_list");
  if (list == doc.MemberEnd() || !list->value.IsArray()) {
    return MakeError("nvidia_payload.evidence_list is missing or not an array");
  }
  for (rapidjson::SizeType i = 0; i < list->value.Size(); ++i) {
    out.gpus.push_back(ReadEntry(list->value[i], i));
  }
  return out;
}

}  // namespace teeharness::attestation::gpu
