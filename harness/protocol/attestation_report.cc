#include "harness/protocol/attestation_report.h"

#include <rapidjson/document.h>

#include "harness/protocol/json_body.h"
#include "harness/protocol/report_fields.h"

namespace teeharness::protocol {
namespace {

using rapidjson::Value;

void ReadProxyReport(Dialect dialect, const Value& root, AttestationReport& report) {
  FieldReader reader(root, "", report.schema_problems);
  report.signing_address = reader.String("signing_address");
  report.signing_algo = reader.String("signing_algo");
  report.echoed_nonce = reader.String("request_nonce");
  DecodeQuote(reader.String("intel_quote"), report, reader, "intel_quote");
  report.nvidia_payload_json = reader.String("nvidia_payload");
  ReadNvidiaPayload(report.nvidia_payload_json, "", report);
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

AttestationReport ReadAttestationReport(Dialect dialect, const Value& root) {
  AttestationReport report;
  if (dialect == Dialect::kIonet) {
    ReadIonetReport(root, report);
  } else {
    ReadProxyReport(dialect, root, report);
  }
  return report;
}

Result<AttestationReport> ParseAttestationReport(Dialect dialect, std::string_view body) {
  rapidjson::Document document;
  if (Result<bool> parsed = ParseJsonObject(body, "attestation report", document); !parsed.ok()) {
    return Error{parsed.error()};
  }
  return ReadAttestationReport(dialect, document);
}

}  // namespace teeharness::protocol
