#include "harness/protocol/near_attestation.h"

#include "harness/crypto/hex.h"
#include "harness/protocol/json_body.h"
#include "harness/protocol/report_fields.h"

namespace teeharness::protocol {
namespace {

using rapidjson::Value;

// The gateway sends event_log as a STRING holding a JSON array; a model TEE sends the array.
void ReadEventLog(FieldReader& reader, bool as_string) {
  if (!as_string) {
    reader.Get("event_log", rapidjson::kArrayType);
    return;
  }
  const std::string text = reader.String("event_log");
  if (text.empty()) return;
  rapidjson::Document inner;
  if (!ParseUntrustedJson(text, inner).ok() || !inner.IsArray()) {
    reader.Problem("event_log: not a JSON array in a string");
  }
}

void ReadTlsFingerprint(FieldReader& reader, AttestationReport& report) {
  report.tls_cert_fingerprint = reader.String("tls_cert_fingerprint", /*required=*/false);
  const std::string& fp = report.tls_cert_fingerprint;
  if (!fp.empty() && (!crypto::DecodeHexExact(fp, 32).ok() || crypto::HasHexPrefix(fp))) {
    reader.Problem("tls_cert_fingerprint: not 64 hex digits");
  }
}

// Fields every attestation of the envelope has.
void ReadCommon(FieldReader& reader, AttestationReport& report) {
  report.signing_address = reader.String("signing_address");
  report.signing_algo = reader.String("signing_algo");
  report.echoed_nonce = reader.String("request_nonce");
  DecodeQuote(reader.String("intel_quote"), report, reader, "intel_quote");
  reader.Get("info", rapidjson::kObjectType);
  ReadTlsFingerprint(reader, report);
}

void ReadGateway(const Value& gateway, AttestationReport& report) {
  FieldReader reader(gateway, "gateway_attestation.", report.schema_problems);
  report.gpu_expected = false;
  ReadCommon(reader, report);
  ReadEventLog(reader, /*as_string=*/true);
  // The dstack checks replay it against the gateway's quote, as for a model TEE.
  report.event_log_json = RawText(gateway, "event_log");
  report.info_json = RawText(gateway, "info");
  report.report_data_field = reader.String("report_data");
  if (!report.report_data_field.empty() &&
      !crypto::DecodeHexExact(report.report_data_field, 64).ok()) {
    reader.Problem("report_data: not 128 hex digits");
  }
}

AttestationReport ReadModel(const Value& model, size_t index) {
  AttestationReport report;
  const std::string path = "model_attestations[" + std::to_string(index) + "].";
  if (!model.IsObject()) {
    report.schema_problems.push_back(path.substr(0, path.size() - 1) + ": not an object");
    return report;
  }
  FieldReader reader(model, path, report.schema_problems);
  ReadCommon(reader, report);
  ReadEventLog(reader, /*as_string=*/false);
  report.model_name = reader.String("model_name");
  report.signing_public_key = reader.String("signing_public_key");
  report.nvidia_payload_json = reader.String("nvidia_payload");
  ReadNvidiaPayload(report.nvidia_payload_json, path, report);
  report.event_log_json = RawText(model, "event_log");
  report.info_json = RawText(model, "info");
  return report;
}

}  // namespace

bool IsNear2026Report(const Value& root) {
  return root.IsObject() && root.HasMember("gateway_attestation");
}

NearAttestation ReadNearAttestation(const Value& root) {
  NearAttestation out;
  std::vector<std::string>& envelope = out.gateway.schema_problems;
  FieldReader reader(root, "", envelope);
  if (const Value* gateway = reader.Get("gateway_attestation", rapidjson::kObjectType)) {
    ReadGateway(*gateway, out.gateway);
  } else {
    out.gateway.gpu_expected = false;
  }
  if (const Value* models =
          reader.Get("model_attestations", rapidjson::kArrayType, /*required=*/false)) {
    for (rapidjson::SizeType i = 0; i < models->Size(); ++i) {
      out.models.push_back(ReadModel((*models)[i], i));
    }
  }
  out.tls_certificate = reader.String("tls_certificate", /*required=*/false);
  if (!out.tls_certificate.empty() &&
      out.tls_certificate.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    reader.Problem("tls_certificate: not a PEM certificate");
  }
  return out;
}

Result<NearAttestation> ParseNearAttestation(std::string_view body) {
  rapidjson::Document document;
  if (Result<bool> parsed = ParseJsonObject(body, "attestation report", document); !parsed.ok()) {
    return Error{parsed.error()};
  }
  return ReadNearAttestation(document);
}

}  // namespace teeharness::protocol
