#include "harness/checks/error_checks.h"

#include <rapidjson/document.h>

#include "harness/protocol/json_body.h"

namespace teeharness::checks {
namespace {

std::string Excerpt(const std::string& body) {
  constexpr size_t kMax = 160;  // evidence stays readable; bodies can be megabytes
  return body.size() <= kMax ? body : body.substr(0, kMax) + "...";
}

std::string Describe(const ErrorResponse& r) {
  return r.what + ": HTTP " + std::to_string(r.status) + " " + Excerpt(r.body);
}

bool IsStringMember(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  return member != object.MemberEnd() && member->value.IsString();
}

}  // namespace

Outcome CheckErrorShape(protocol::Dialect dialect, const ErrorResponse& r) {
  rapidjson::Document document;
  std::string problem;
  if (!protocol::ParseUntrustedJson(r.body, document).ok() || !document.IsObject()) {
    problem = "body is not a JSON object";
  } else if (r.status == 401 && document.HasMember("detail")) {
    problem.clear();  // FastAPI-style auth errors are legitimate in every dialect
  } else {
    const auto error = document.FindMember("error");
    if (error == document.MemberEnd() || !error->value.IsObject()) {
      problem = "no \"error\" object";
    } else if (!IsStringMember(error->value, "message") || !IsStringMember(error->value, "type")) {
      problem = "error object without string \"message\" and \"type\"";
    }
  }
  if (problem.empty() && r.content_type.find("json") == std::string::npos) {
    problem = "content type \"" + r.content_type + "\" is not JSON";
  }
  (void)dialect;  // all three dialects share the OpenAI error shape (PROTOCOLS.md)
  if (problem.empty()) return Outcome::Pass("ERR-SHAPE");
  return Outcome::Fail("ERR-SHAPE", problem + " (" + Describe(r) + ")");
}

Outcome CheckNonceRejected(const ErrorResponse& r) {
  if (r.status >= 400 && r.status < 500) return Outcome::Pass("NONCE-REJECT");
  return Outcome::Fail("NONCE-REJECT", "expected a 4xx, got " + Describe(r));
}

Outcome CheckUnknownSignature(const ErrorResponse& r) {
  if (r.status == 404) return Outcome::Pass("SIG-UNKNOWN");
  return Outcome::Fail("SIG-UNKNOWN", "expected 404, got " + Describe(r));
}

}  // namespace teeharness::checks
