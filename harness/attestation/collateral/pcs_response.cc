#include "harness/attestation/collateral/pcs_response.h"

#include <rapidjson/document.h>

#include "harness/attestation/collateral/json_fields.h"
#include "harness/attestation/pki/crl.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation::pcs {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
    ++i;
  }
  return i;
}

// `i` is at an opening quote; returns the index just past the closing one, or npos.
size_t SkipString(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // the escaped character (for \uXXXX the digits are plain characters anyway)
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// `i` is at the first character of a value; returns the index just past it, or npos.
size_t SkipValue(std::string_view text, size_t i) {
  if (i >= text.size()) return std::string_view::npos;
  if (text[i] == '"') return SkipString(text, i);
  if (text[i] == '{' || text[i] == '[') {
    int depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        i = SkipString(text, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }
  // A number, true, false or null: up to the next structural character or space.
  const size_t end = text.find_first_of(",}] \t\r\n", i);
  return end == i ? std::string_view::npos : end;
}

}  // namespace

Result<std::string> DecodeIssuerChainHeader(std::string_view value, std::string_view header) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      out += value[i];
      continue;
    }
    const int hi = i + 2 < value.size() ? HexValue(value[i + 1]) : -1;
    const int lo = i + 2 < value.size() ? HexValue(value[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return MakeError("header ", header, ": '%' at offset ", i,
                       " is not followed by two hex digits");
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return MakeError("header ", header, " holds no PEM certificate");
  }
  return out;
}

Result<std::string_view> RawMemberText(std::string_view json, std::string_view key) {
  size_t i = SkipSpace(json, 0);
  if (i >= json.size() || json[i] != '{') return MakeError("not a JSON object");
  i = SkipSpace(json, i + 1);
  while (i < json.size() && json[i] != '}') {
    if (json[i] != '"') return MakeError("expected a member name at offset ", i);
    const size_t name_end = SkipString(json, i);
    if (name_end == std::string_view::npos) return MakeError("unterminated string at offset ", i);
    const std::string_view name = json.substr(i + 1, name_end - i - 2);
    i = SkipSpace(json, name_end);
    if (i >= json.size() || json[i] != ':') return MakeError("expected ':' at offset ", i);
    const size_t value_begin = SkipSpace(json, i + 1);
    const size_t value_end = SkipValue(json, value_begin);
    if (value_end == std::string_view::npos) {
      return MakeError("unterminated value at offset ", value_begin);
    }
    if (name == key) return json.substr(value_begin, value_end - value_begin);
    i = SkipSpace(json, value_end);
    if (i < json.size() && json[i] == ',') i = SkipSpace(json, i + 1);
  }
  return MakeError("member '", key, "' is missing");
}

Result<SignedJson> ParseSignedJson(std::string_view body, std::string_view member,
                                   const char* what) {
  rapidjson::Document doc;
  if (Result<bool> parsed = json::ParseObject(body, what, doc); !parsed.ok()) {
    return Error{parsed.error()};
  }
  int count = 0;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == member) ++count;
  }
  if (count != 1) {
    return MakeError(what, ": member '", member, "' appears ", count, " times; expected once");
  }
  const rapidjson::Value& inner =
      doc[rapidjson::Value(member.data(), static_cast<rapidjson::SizeType>(member.size()))];
  if (!inner.IsObject()) return MakeError(what, ": '", member, "' is not an object");
  const auto sig = doc.FindMember("signature");
  if (sig == doc.MemberEnd() || !sig->value.IsString()) {
    return MakeError(what, ": 'signature' is missing or not a string");
  }
  Result<crypto::Bytes> signature = crypto::DecodeHexExact(
      std::string_view(sig->value.GetString(), sig->value.GetStringLength()), 64);
  if (!signature.ok()) return MakeError(what, ": signature: ", signature.error());
  Result<std::string_view> text = RawMemberText(body, member);
  // Unreachable for JSON RapidJSON accepted with exactly one such member, unless the only match
  // has an escaped name ("tcb\u0049nfo"), which Intel never writes.
  if (!text.ok()) return MakeError(what, ": ", text.error());
  return SignedJson{std::string(*text), std::move(signature).value()};
}

Result<crypto::Bytes> DecodeCrlBody(std::string_view body, const char* what) {
  Result<pki::Crl> crl = pki::Crl::Parse(body);
  if (!crl.ok()) return MakeError(what, ": ", crl.error());
  return crl->der();
}

}  // namespace teeharness::attestation::pcs
