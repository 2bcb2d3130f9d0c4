#include "harness/protocol/signature_response.h"

#include <rapidjson/document.h>

#include "harness/protocol/json_body.h"

namespace teeharness::protocol {
namespace {

// Reads an optional string member; a present member of another type is an error.
Result<std::string> OptionalString(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || member->value.IsNull()) return std::string();
  if (!member->value.IsString()) return MakeError("\"", name, "\" is not a string");
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

// Describes a gateway error body in one line, e.g. `error_code "SIGNATURE_UNSUPPORTED"`.
std::string DescribeErrorBody(const rapidjson::Value& object) {
  const auto code = object.FindMember("error_code");
  if (code != object.MemberEnd() && code->value.IsString()) {
    return std::string("error body with error_code \"") + code->value.GetString() + "\"";
  }
  const auto error = object.FindMember("error");
  if (error != object.MemberEnd() && error->value.IsObject()) {
    const auto message = error->value.FindMember("message");
    if (message != error->value.MemberEnd() && message->value.IsString()) {
      return std::string("error body: ") + message->value.GetString();
    }
  }
  return "error body";
}

}  // namespace

Result<SignatureDocument> ParseSignatureDocument(std::string_view json) {
  rapidjson::Document document;
  if (Result<bool> parsed = ParseJsonObject(json, "signature body", document); !parsed.ok()) {
    return Error{parsed.error()};
  }
  if (!document.HasMember("text") &&
      (document.HasMember("error") || document.HasMember("error_code"))) {
    return Error{DescribeErrorBody(document)};
  }
  SignatureDocument out;
  struct Field {
    const char* name;
    std::string* target;
    bool required;
  };
  for (const Field& field :
       {Field{"text", &out.text, true}, Field{"signature", &out.signature, true},
        Field{"signing_address", &out.signing_address, false},
        Field{"signing_algo", &out.signing_algo, false},
        Field{"signature_kind", &out.signature_kind, false}}) {
    Result<std::string> value = OptionalString(document, field.name);
    if (!value.ok()) return Error{value.error()};
    if (field.required && value->empty()) return MakeError("\"", field.name, "\" is missing");
    *field.target = std::move(value).value();
  }
  return out;
}

std::optional<SignatureErrorCode> ParseSignatureErrorCode(std::string_view json) {
  rapidjson::Document document;
  if (!ParseJsonObject(json, "signature body", document).ok() || document.HasMember("text")) {
    return std::nullopt;
  }
  const auto code = document.FindMember("error_code");
  if (code == document.MemberEnd() || !code->value.IsString()) return std::nullopt;
  SignatureErrorCode out{std::string(code->value.GetString(), code->value.GetStringLength()), {}};
  if (Result<std::string> message = OptionalString(document, "message"); message.ok()) {
    out.message = std::move(message).value();
  }
  return out;
}

}  // namespace teeharness::protocol
