#include "mocks/attestation_builder.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstring>

#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "mocks/dstack_workload.h"
#include "mocks/pki/gpu_pki.h"
#include "mocks/pki/process_pki.h"
#include "mocks/pki/quote_signer.h"

namespace teeharness::mocks {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr size_t kHeaderSize = 48;
constexpr size_t kReportDataOffset = 568;

void Put(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

// Mock GPU evidence: one entry per GPU, real SPDM bytes binding the nonce, signed by the mock's
// NVIDIA-style P-384 device PKI (root at /mock/pki/nvidia-root.pem).
void WriteEvidenceList(Writer& w, const ReportInputs& in) {
  const crypto::Bytes nonce = *crypto::DecodeHexExact(in.nonce_hex, 32);
  w.Key("evidence_list");
  w.StartArray();
  for (int gpu = 0; gpu < in.gpus; ++gpu) {
    const MockGpuEvidence evidence =
        BuildGpuEvidence(pki::ProcessMockGpuPki(), gpu, nonce, in.gpu_faults);
    w.StartObject();
    Put(w, "arch", "HOPPER");
    Put(w, "certificate", crypto::EncodeBase64(crypto::AsBytes(evidence.chain_pem)));
    Put(w, "evidence", crypto::EncodeBase64(evidence.evidence));
    w.EndObject();
  }
  w.EndArray();
}

std::string NvidiaPayload(const ReportInputs& in) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Put(w, "nonce", in.nonce_hex);
  WriteEvidenceList(w, in);
  Put(w, "arch", "HOPPER");
  w.EndObject();
  return buffer.GetString();
}

// The signing identity bound into report_data, and the address string the report shows.
crypto::Bytes Identity(const ReportInputs& in) {
  const KeyPair& keys = in.bound_keys != nullptr ? *in.bound_keys : *in.keys;
  if (in.algo == "ed25519") {
    const auto& key = keys.ed25519().public_key();
    return crypto::Bytes(key.begin(), key.end());
  }
  const auto& address = keys.ecdsa().address();
  return crypto::Bytes(address.begin(), address.end());
}

std::string ShownAddress(const ReportInputs& in) {
  if (in.algo == "ed25519") return in.keys->Ed25519Hex();
  return in.lowercase_address ? in.keys->LowerAddress() : in.keys->ChecksumAddress();
}

crypto::Bytes ReportDataOf(const ReportInputs& in) {
  crypto::Bytes identity = Identity(in);
  if (in.tls_fingerprint) {
    identity.insert(identity.end(), in.tls_fingerprint->begin(), in.tls_fingerprint->end());
    const crypto::Hash32 bound = crypto::Sha256::Hash(crypto::ByteSpan(identity));
    identity.assign(bound.begin(), bound.end());
  }
  return BuildReportData(identity, *crypto::DecodeHexExact(in.nonce_hex, 32));
}

std::string QuoteHex(const ReportInputs& in) {
  const crypto::Bytes report_data = ReportDataOf(in);
  pki::QuoteFields fields = in.quote;
  std::copy(report_data.begin(), report_data.end(), fields.report_data.begin());
  // The measurements the mock's dstack workload extends, so that its event log replays.
  fields.rtmr = ProcessMockWorkload().rtmr;
  fields.mr_config_id = ProcessMockWorkload().mr_config_id;
  return crypto::EncodeHex(pki::BuildSignedQuote(pki::ProcessMockPki(), fields));
}

void WriteProxyFields(Writer& w, const ReportInputs& in, bool with_model_name) {
  Put(w, "signing_address", ShownAddress(in));
  Put(w, "signing_algo", in.algo);
  Put(w, "request_nonce", in.echoed_nonce);
  Put(w, "intel_quote", QuoteHex(in));
  Put(w, "nvidia_payload", NvidiaPayload(in));
  Put(w, "signing_public_key",
      in.algo == "ed25519" ? in.keys->Ed25519Hex()
                           : crypto::EncodeHex(in.keys->ecdsa().public_key()));
  if (with_model_name) Put(w, "model_name", in.model);
  const std::string info = ProcessMockWorkload().InfoJson(in.compose_mismatch);
  w.Key("info");
  w.RawValue(info.c_str(), info.size(), rapidjson::kObjectType);
  const std::string event_log = ProcessMockWorkload().EventLogJson(in.event_log_mismatch);
  w.Key("event_log");
  w.RawValue(event_log.c_str(), event_log.size(), rapidjson::kArrayType);
}

}  // namespace

crypto::Bytes BuildReportData(crypto::ByteSpan identity, crypto::ByteSpan nonce32) {
  crypto::Bytes data(64, 0);
  std::copy_n(identity.begin(), std::min<size_t>(identity.size(), 32), data.begin());
  std::copy_n(nonce32.begin(), std::min<size_t>(nonce32.size(), 32), data.begin() + 32);
  return data;
}

crypto::Bytes BuildMockQuote(crypto::ByteSpan report_data) {
  crypto::Bytes quote(kMockQuoteSize, 0);
  quote[0] = 4;     // version 4 (little-endian u16)
  quote[2] = 2;     // attestation key type: ECDSA-256-with-P-256
  quote[4] = 0x81;  // TEE type: TDX (u32 0x00000081)
  static constexpr char kMarker[] = "TEEHARNESS-MOCK";  // in the header's 20-byte user data
  std::memcpy(quote.data() + 28, kMarker, sizeof(kMarker) - 1);
  // The TD report body starts after the header; a recognisable MRTD says "mock" to any reader.
  const crypto::Hash32 mrtd = crypto::Sha256::Hash(std::string_view("teeharness mock MRTD"));
  std::copy(mrtd.begin(), mrtd.end(), quote.begin() + kHeaderSize + 136);
  std::copy_n(report_data.begin(), std::min<size_t>(report_data.size(), 64),
              quote.begin() + kReportDataOffset);
  return quote;  // the last 4 bytes (signature data length) stay 0: no Intel signature
}

std::string BuildProxyReport(const ReportInputs& in, bool with_model_name) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  WriteProxyFields(w, in, with_model_name);
  w.Key("all_attestations");
  w.StartArray();
  w.StartObject();
  WriteProxyFields(w, in, with_model_name);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

// A model TEE's entry of model_attestations[].
void WriteNearModel(Writer& w, const ReportInputs& in) {
  w.StartObject();
  Put(w, "model_name", in.model);
  Put(w, "signing_address", ShownAddress(in));
  Put(w, "signing_algo", in.algo);
  Put(w, "signing_public_key",
      in.algo == "ed25519" ? in.keys->Ed25519Hex()
                           : crypto::EncodeHex(in.keys->ecdsa().public_key()));
  Put(w, "request_nonce", in.echoed_nonce);
  Put(w, "intel_quote", QuoteHex(in));
  Put(w, "nvidia_payload", NvidiaPayload(in));
  // The model TEE runs the mock's dstack workload: its event log (an array) replays to the
  // quote's RTMRs and its info carries the measured app_compose.
  const std::string event_log = ProcessMockWorkload().EventLogJson(in.event_log_mismatch);
  w.Key("event_log");
  w.RawValue(event_log.c_str(), event_log.size(), rapidjson::kArrayType);
  const std::string info = ProcessMockWorkload().InfoJson(in.compose_mismatch);
  w.Key("info");
  w.RawValue(info.c_str(), info.size(), rapidjson::kObjectType);
  w.EndObject();
}

void WriteNearGateway(Writer& w, const ReportInputs& in) {
  w.StartObject();
  Put(w, "signing_address", ShownAddress(in));
  Put(w, "signing_algo", in.algo);
  Put(w, "intel_quote", QuoteHex(in));
  // The gateway sends its event log as a string holding JSON; it runs the same mock workload.
  Put(w, "event_log", ProcessMockWorkload().EventLogJson(in.event_log_mismatch));
  Put(w, "report_data", crypto::EncodeHex(ReportDataOf(in)));
  Put(w, "request_nonce", in.echoed_nonce);
  const std::string info = ProcessMockWorkload().InfoJson(in.compose_mismatch);
  w.Key("info");
  w.RawValue(info.c_str(), info.size(), rapidjson::kObjectType);
  if (in.tls_fingerprint) Put(w, "tls_cert_fingerprint", crypto::EncodeHex(*in.tls_fingerprint));
  w.EndObject();
}

std::string BuildNear2026Report(const ReportInputs& gateway, const ReportInputs& model,
                                const std::string& tls_certificate) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("gateway_attestation");
  WriteNearGateway(w, gateway);
  w.Key("model_attestations");
  w.StartArray();
  WriteNearModel(w, model);
  w.EndArray();
  if (!tls_certificate.empty()) Put(w, "tls_certificate", tls_certificate);
  w.EndObject();
  return buffer.GetString();
}

std::string BuildIonetReport(const ReportInputs& in) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Put(w, "nonce", in.echoed_nonce);
  w.Key("gpu");
  w.StartObject();
  Put(w, "nonce", in.nonce_hex);
  Put(w, "arch", "HOPPER");
  WriteEvidenceList(w, in);
  Put(w, "claims_version", "3.0");
  w.EndObject();
  w.Key("cpu");
  w.StartObject();
  Put(w, "quote", QuoteHex(in));
  w.EndObject();
  Put(w, "signing_address", in.keys->ChecksumAddress());
  Put(w, "image_digest", in.image_digest);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace teeharness::mocks
