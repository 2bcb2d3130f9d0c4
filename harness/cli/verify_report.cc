#include "harness/cli/verify_report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/crypto/signature.h"

namespace teeharness::cli {
namespace {

std::string DescribeFormat(const VerifyReport& report) {
  const crypto::SignatureFormat& format = report.outcome.format;
  std::string out(crypto::SignatureAlgoName(report.algo));
  out += format.has_0x_prefix ? ", 0x-prefixed hex" : ", bare hex (no 0x)";
  if (report.algo == crypto::SignatureAlgo::kEcdsa) {
    out += ", v=" + std::to_string(format.v);
    out += format.low_s ? ", low-s" : ", HIGH-S";
  }
  return out;
}

void Line(std::string& out, const char* label, const std::string& value) {
  out += label;
  // Labels are at most 16 characters: values line up in one column.
  out.append(18 - std::string_view(label).size(), ' ');
  out += value;
  out += '\n';
}

}  // namespace

Result<bool> RunVerification(VerifyReport& report) {
  if (!report.document.signing_algo.empty()) {
    Result<crypto::SignatureAlgo> algo = crypto::ParseSignatureAlgo(report.document.signing_algo);
    if (!algo.ok()) return Error{algo.error()};
    report.algo = *algo;
  }
  crypto::VerifyInput input{report.document.text, report.document.signature, report.algo,
                            std::nullopt};
  if (!report.document.signing_address.empty()) {
    input.expected_address = report.document.signing_address;
  }
  report.outcome = crypto::VerifySignedText(input);
  if (report.outcome.verdict == crypto::Verdict::kMalformed) {
    return Error{report.outcome.reasons.empty() ? "malformed input" : report.outcome.reasons[0]};
  }
  if (report.has_bodies && !report.text_matches()) {
    report.outcome.reasons.insert(report.outcome.reasons.begin(),
                                  "text does not match the bodies: signed \"" +
                                      report.document.text + "\", bodies give \"" +
                                      report.expected_text + "\"");
  }
  return true;
}

std::string FormatText(const VerifyReport& report) {
  std::string out;
  if (report.has_bodies) {
    Line(out, "request sha256", report.request_sha256);
    Line(out, "response sha256", report.response_sha256);
    Line(out, "text", report.text_matches() ? "matches the exact bytes" : "MISMATCH");
  }
  Line(out, "signature", DescribeFormat(report));
  Line(out, "signer", report.outcome.signer.empty() ? "(none recovered)" : report.outcome.signer);
  Line(out, "expected address",
       report.document.signing_address.empty() ? "(none given)" : report.document.signing_address);
  std::string verdict = report.passed() ? "VALID" : "INVALID";
  for (const std::string& reason : report.outcome.reasons) verdict += "\n  - " + reason;
  Line(out, "verdict", verdict);
  return out;
}

std::string FormatJson(const VerifyReport& report) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  json.StartObject();
  json.Key("valid");
  json.Bool(report.passed());
  json.Key("verdict");
  json.String(report.text_matches() ? std::string(crypto::VerdictName(report.outcome.verdict))
                                    : std::string("text_mismatch"));
  json.Key("algo");
  json.String(std::string(crypto::SignatureAlgoName(report.algo)));
  json.Key("signer");
  json.String(report.outcome.signer);
  json.Key("expected_address");
  json.String(report.document.signing_address);
  json.Key("text");
  json.String(report.document.text);
  if (report.has_bodies) {
    json.Key("request_sha256");
    json.String(report.request_sha256);
    json.Key("response_sha256");
    json.String(report.response_sha256);
    json.Key("expected_text");
    json.String(report.expected_text);
    json.Key("text_matches");
    json.Bool(report.text_matches());
  }
  json.Key("format");
  json.StartObject();
  json.Key("has_0x_prefix");
  json.Bool(report.outcome.format.has_0x_prefix);
  json.Key("v");
  json.Int(report.outcome.format.v);
  json.Key("low_s");
  json.Bool(report.outcome.format.low_s);
  json.EndObject();
  json.Key("reasons");
  json.StartArray();
  for (const std::string& reason : report.outcome.reasons) json.String(reason);
  json.EndArray();
  json.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace teeharness::cli
