#include "harness/attestation/collateral/collateral.h"

#include "harness/attestation/collateral/json_fields.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

// The base64 body between the first "-----BEGIN ...-----" line and "-----END", whitespace
// removed.
Result<crypto::Bytes> PemBody(std::string_view text, const char* key) {
  const size_t begin_marker = text.find("-----BEGIN");
  const size_t begin = text.find('\n', begin_marker);
  const size_t end = text.find("-----END", begin_marker);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return MakeError("collateral.", key, " is truncated PEM");
  }
  std::string body;
  for (char c : text.substr(begin, end - begin)) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') body += c;
  }
  Result<crypto::Bytes> der = crypto::DecodeBase64(body);
  if (!der.ok()) return MakeError("collateral.", key, ": PEM body: ", der.error());
  return der;
}

// A byte field as dcap-qvl versions write it: hex text, a JSON array of byte values, or (when
// `pem_ok`) PEM text. `size` 0 means any non-zero length.
Result<crypto::Bytes> ByteField(const rapidjson::Value& doc, const char* key, size_t size,
                                bool pem_ok) {
  Result<const rapidjson::Value*> v = json::Member(doc, key, "collateral");
  if (!v.ok()) return Error{v.error()};
  crypto::Bytes bytes;
  if ((*v)->IsArray()) {
    bytes.reserve((*v)->Size());
    for (rapidjson::SizeType i = 0; i < (*v)->Size(); ++i) {
      const rapidjson::Value& b = (**v)[i];
      if (!b.IsUint() || b.GetUint() > 255) {
        return MakeError("collateral.", key, "[", i, "] is not a byte (0..255)");
      }
      bytes.push_back(static_cast<uint8_t>(b.GetUint()));
    }
  } else if ((*v)->IsString()) {
    const std::string_view text((*v)->GetString(), (*v)->GetStringLength());
    Result<crypto::Bytes> decoded = pem_ok && text.find("-----BEGIN") != std::string_view::npos
                                        ? PemBody(text, key)
                                        : crypto::DecodeHex(text);
    if (!decoded.ok()) {
      // PemBody names the key already; hex errors do not.
      if (decoded.error().rfind("collateral.", 0) == 0) return decoded;
      return MakeError("collateral.", key, ": ", decoded.error());
    }
    bytes = std::move(decoded).value();
  } else {
    return MakeError("collateral.", key, " is neither a string nor an array of bytes");
  }
  if (bytes.empty()) return MakeError("collateral.", key, " is empty");
  if (size != 0 && bytes.size() != size) {
    return MakeError("collateral.", key, " is ", bytes.size(), " bytes; expected ", size);
  }
  return bytes;
}

}  // namespace

Result<Collateral> ParseCollateralJson(std::string_view text) {
  rapidjson::Document doc;
  if (Result<bool> parsed = json::ParseObject(text, "collateral", doc); !parsed.ok()) {
    return Error{parsed.error()};
  }
  Collateral c;
  struct StringField {
    const char* key;
    std::string* out;
  };
  for (const StringField& f : {StringField{"tcb_info", &c.tcb_info},
                               StringField{"tcb_info_issuer_chain", &c.tcb_info_issuer_chain},
                               StringField{"qe_identity", &c.qe_identity},
                               StringField{"qe_identity_issuer_chain", &c.qe_identity_issuer_chain},
                               StringField{"pck_crl_issuer_chain", &c.pck_crl_issuer_chain}}) {
    Result<std::string> value = json::String(doc, f.key, "collateral");
    if (!value.ok()) return Error{value.error()};
    *f.out = std::move(value).value();
  }
  struct BytesField {
    const char* key;
    crypto::Bytes* out;
    size_t size;
    bool pem_ok;
  };
  for (const BytesField& f :
       {BytesField{"tcb_info_signature", &c.tcb_info_signature, 64, false},
        BytesField{"qe_identity_signature", &c.qe_identity_signature, 64, false},
        BytesField{"pck_crl", &c.pck_crl, 0, true},
        BytesField{"root_ca_crl", &c.root_ca_crl, 0, true}}) {
    Result<crypto::Bytes> value = ByteField(doc, f.key, f.size, f.pem_ok);
    if (!value.ok()) return Error{value.error()};
    *f.out = std::move(value).value();
  }
  if (const auto it = doc.FindMember("pck_certificate_chain"); it != doc.MemberEnd()) {
    if (!it->value.IsNull()) {  // serde writes None as null when not skipped
      if (!it->value.IsString()) {
        return MakeError("collateral.pck_certificate_chain is not a string");
      }
      c.pck_certificate_chain.assign(it->value.GetString(), it->value.GetStringLength());
    }
  }
  return c;
}

}  // namespace teeharness::attestation
