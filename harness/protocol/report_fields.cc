#include "harness/protocol/report_fields.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "harness/protocol/json_body.h"

namespace teeharness::protocol {

using rapidjson::Value;

const Value* FieldReader::Get(const char* name, rapidjson::Type type, bool required) {
  const auto member = object_.FindMember(name);
  if (member == object_.MemberEnd()) {
    if (required) problems_.push_back(path_ + name + ": missing");
    return nullptr;
  }
  if (member->value.GetType() != type &&
      !(type == rapidjson::kTrueType && member->value.IsBool())) {
    problems_.push_back(path_ + name + ": wrong type");
    return nullptr;
  }
  return &member->value;
}

std::string FieldReader::String(const char* name, bool required) {
  const Value* value = Get(name, rapidjson::kStringType, required);
  return value ? std::string(value->GetString(), value->GetStringLength()) : std::string();
}

void DecodeQuote(const std::string& text, AttestationReport& report, FieldReader& reader,
                 const char* name) {
  if (text.empty()) return;
  if (Result<crypto::Bytes> hex = crypto::DecodeHex(text); hex.ok()) {
    report.quote = std::move(hex).value();
    report.quote_encoding = "hex";
  } else if (Result<crypto::Bytes> b64 = crypto::DecodeBase64(text); b64.ok()) {
    report.quote = std::move(b64).value();
    report.quote_encoding = "base64";
  } else {
    reader.Problem(std::string(name) + ": neither hex nor base64");
  }
}

void ReadGpuEvidence(const Value& gpu, const std::string& path, AttestationReport& report) {
  FieldReader reader(gpu, path, report.schema_problems);
  report.gpu_nonce = reader.String("nonce");
  report.gpu_arch = reader.String("arch");
  if (const Value* list = reader.Get("evidence_list", rapidjson::kArrayType)) {
    report.gpu_evidence_count = list->Size();
    for (const Value& item : list->GetArray()) {
      if (!item.IsObject() || !item.HasMember("evidence") || !item.HasMember("certificate")) {
        reader.Problem("evidence_list: an entry without evidence and certificate");
        break;
      }
    }
  }
}

std::string RawText(const rapidjson::Value& root, const char* key) {
  const auto it = root.FindMember(key);
  if (it == root.MemberEnd() || it->value.IsNull()) return "";
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  it->value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void ReadNvidiaPayload(const std::string& payload, const std::string& path,
                       AttestationReport& report) {
  if (payload.empty()) return;
  rapidjson::Document inner;
  if (!ParseUntrustedJson(payload, inner).ok() || !inner.IsObject()) {
    report.schema_problems.push_back(path + "nvidia_payload: not a JSON object in a string");
    return;
  }
  ReadGpuEvidence(inner, path + "nvidia_payload.", report);
}

}  // namespace teeharness::protocol
