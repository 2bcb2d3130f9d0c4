#include "harness/protocol/endpoints.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>

namespace teeharness::protocol {
namespace {

constexpr const char* kJson = "Content-Type: application/json";

std::string IonetAttestationBody(std::string_view model_id, std::string_view nonce) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("model_id");
  writer.String(model_id.data(), static_cast<rapidjson::SizeType>(model_id.size()));
  writer.Key("nonce");
  writer.String(nonce.data(), static_cast<rapidjson::SizeType>(nonce.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

std::string NormalizeBaseUrl(std::string_view url) {
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

Endpoints::Endpoints(Dialect dialect, std::string base_url)
    : dialect_(dialect), raw_url_(base_url), base_url_(NormalizeBaseUrl(raw_url_)) {}

HttpCall Endpoints::Attestation(std::string_view nonce, std::string_view signing_algo,
                                std::string_view ionet_model_id) const {
  AttestationQuery query;
  query.nonce = nonce;
  query.signing_algo = signing_algo;
  query.ionet_model_id = ionet_model_id;
  return Attestation(query);
}

HttpCall Endpoints::Attestation(const AttestationQuery& q) const {
  if (dialect_ == Dialect::kIonet) {
    return {"POST",
            base_url_ + "/v1/private/attestation",
            {kJson},
            IonetAttestationBody(q.ionet_model_id, q.nonce)};
  }
  std::string url = base_url_ + "/v1/attestation/report";
  char separator = '?';
  auto add = [&url, &separator](std::string_view name, std::string_view value) {
    url += separator;
    url += name;
    url += '=';
    url += PercentEncode(value);
    separator = '&';
  };
  if (dialect_ == Dialect::kNear) {
    if (!q.model.empty()) add("model", q.model);
    if (!q.signing_algo.empty()) add("signing_algo", q.signing_algo);
    add("nonce", q.nonce);
    if (!q.signing_address.empty()) add("signing_address", q.signing_address);
    if (q.include_tls_fingerprint) add("include_tls_fingerprint", "true");
  } else {
    add("nonce", q.nonce);
    if (!q.signing_algo.empty()) add("signing_algo", q.signing_algo);
  }
  return {"GET", std::move(url), {}, {}};
}

HttpCall Endpoints::Chat(std::string body) const {
  const char* path =
      dialect_ == Dialect::kIonet ? "/v1/private/completions" : "/v1/chat/completions";
  return {"POST", base_url_ + path, {kJson}, std::move(body)};
}

HttpCall Endpoints::Signature(std::string_view chat_id, std::string_view signing_algo,
                              std::string_view model) const {
  std::string url = base_url_ + "/v1/signature/" + PercentEncode(chat_id) + "?";
  if (dialect_ == Dialect::kNear && !model.empty()) url += "model=" + PercentEncode(model) + "&";
  url += "signing_algo=" + PercentEncode(signing_algo);
  return {"GET", std::move(url), {}, {}};
}

HttpCall Endpoints::Models() const { return {"GET", base_url_ + "/v1/models", {}, {}}; }

HttpCall Endpoints::Root() const { return {"GET", raw_url_, {}, {}}; }

}  // namespace teeharness::protocol
