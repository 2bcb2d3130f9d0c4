#include "harness/protocol/attestation_report.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "harness/protocol/json_body.h"

namespace teeharness::protocol {
namespace {

using rapidjson::Value;

// Reads fields of one JSON object into a report, noting every deviation as a schema problem.
class FieldReader {
 public:
  FieldReader(const Value& object, std::string path, std::vector<std::string>& problems)
      : object_(object), path_(std::move(path)), problems_(problems) {}

  // The member when it is present with the wanted type; nullptr (and a noted problem) otherwise.
  const Value* Get(const char* name, rapidjson::Type type, bool required = true) {
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

  std::string String(const char* name, bool required = true) {
    const Value* value = Get(name, rapidjson::kStringType, required);
    return value ? std::string(value->GetString(), value->GetStringLength()) : std::string();
  }

  void Problem(const std::string& what) { problems_.push_back(path_ + what); }

 private:
  const Value& object_;
  std::string path_;
  std::vector<std::string>& problems_;
};

// intel_quote is hex today and was base64 in 2024; both are accepted and the encoding recorded.
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

// The member's JSON text as the verifiers take it: a string's content, else the value
// re-serialised (its bytes are not signed, so re-serialising loses nothing). Empty when absent.
std::string RawText(const Value& root, const char* key) {
  const auto it = root.FindMember(key);
  if (it == root.MemberEnd() || it->value.IsNull()) return "";
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  it->value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// nvidia_payload is a JSON document inside a JSON string.
void ReadNvidiaPayload(const std::string& payload, AttestationReport& report) {
  if (payload.empty()) return;
  rapidjson::Document inner;
  if (!ParseUntrustedJson(payload, inner).ok() || !inner.IsObject()) {
    report.schema_problems.push_back("nvidia_payload: not a JSON object in a string");
    return;
  }
  ReadGpuEvidence(inner, "nvidia_payload.", report);
}

void ReadProxyReport(Dialect dialect, const Value& root, AttestationReport& report) {
  FieldReader reader(root, "", report.schema_problems);
  report.signing_address = reader.String("signing_address");
  report.signing_algo = reader.String("signing_algo");
  report.echoed_nonce = reader.String("request_nonce");
  DecodeQuote(reader.String("intel_quote"), report, reader, "intel_quote");
  report.nvidia_payload_json = reader.String("nvidia_payload");
  ReadNvidiaPayload(report.nvidia_payload_json, report);
  report.event_log_json = RawText(root, "event_log");
  report.info_json = RawText(root, "info");
  report.signing_public_key = reader.String("signing_public_key");
  if (dialect == Dialect::kNear) report.model_name = reader.String("model_name");
  if (const Value* all = reader.Get("all_attestations", rapidjson::kArrayType)) {
    report.all_attestations = all->Size();
    for (const Value& entry : all->GetArray()) {
      if (!entry.IsObject()) continue;
      const auto address = entry.FindMember("signing_address");
      if (address != entry.MemberEnd() && address->value.IsString() &&
          address->value.GetString() == report.signing_address) {
        report.listed_in_all_attestations = true;
      }
    }
    if (!report.listed_in_all_attestations) {
      reader.Problem("all_attestations: does not contain this node's report");
    }
  }
}

void ReadIonetReport(const Value& root, AttestationReport& report) {
  FieldReader reader(root, "", report.schema_problems);
  report.signing_address = reader.String("signing_address");
  report.signing_algo = "ecdsa";
  report.echoed_nonce = reader.String("nonce");
  report.image_digest = reader.String("image_digest");
  if (const Value* gpu = reader.Get("gpu", rapidjson::kObjectType)) {
    ReadGpuEvidence(*gpu, "gpu.", report);
    report.nvidia_payload_json = RawText(root, "gpu");
    const auto version = gpu->FindMember("claims_version");
    if (version == gpu->MemberEnd() || !version->value.IsString()) {
      reader.Problem("gpu.claims_version: missing");
    }
  }
  // cpu{quote} is documented as present "when available": its absence is not a problem.
  if (const Value* cpu = reader.Get("cpu", rapidjson::kObjectType, /*required=*/false)) {
    FieldReader cpu_reader(*cpu, "cpu.", report.schema_problems);
    DecodeQuote(cpu_reader.String("quote"), report, cpu_reader, "cpu.quote");
  }
}

}  // namespace

Result<AttestationReport> ParseAttestationReport(Dialect dialect, std::string_view body) {
  rapidjson::Document document;
  if (Result<bool> parsed = ParseJsonObject(body, "attestation report", document); !parsed.ok()) {
    return Error{parsed.error()};
  }
  AttestationReport report;
  if (dialect == Dialect::kIonet) {
    ReadIonetReport(document, report);
  } else {
    ReadProxyReport(dialect, document, report);
  }
  return report;
}

}  // namespace teeharness::protocol
