#include "harness/attestation/collateral/collateral.h"

#include "harness/attestation/collateral/json_fields.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

// A CRL as dcap-qvl versions write it: hex of the DER, a JSON array of byte values, or PEM.
Result<crypto::Bytes> CrlBytes(const rapidjson::Value& doc, const char* key) {
  Result<const rapidjson::Value*> v = json::Member(doc, key, "collateral");
  if (!v.ok()) return Error{v.error()};
  if ((*v)->IsArray()) {
    crypto::Bytes bytes;
    for (const rapidjson::Value& b : (*v)->GetArray()) {
      if (!b.IsUint() || b.GetUint() > 255) {
        return MakeError("collateral.", key, " holds a value that is not a byte");
      }
      bytes.push_back(static_cast<uint8_t>(b.GetUint()));
    }
    return bytes;
  }
  if (!(*v)->IsString()) return MakeError("collateral.", key, " is neither a string nor an array");
  const std::string_view text((*v)->GetString(), (*v)->GetStringLength());
  if (text.find("-----BEGIN") != std::string_view::npos) {
    const size_t begin = text.find('\n', text.find("-----BEGIN"));
    const size_t end = text.find("-----END");
    if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
      return MakeError("collateral.", key, " is truncated PEM");
    }
    std::string body;
    for (char c : text.substr(begin, end - begin)) {
      if (c != '\n' && c != '\r' && c != ' ') body += c;
    }
    Result<crypto::Bytes> der = crypto::DecodeBase64(body);
    if (!der.ok()) return MakeError("collateral.", key, ": ", der.error());
    return der;
  }
  Result<crypto::Bytes> der = crypto::DecodeHex(text);
  if (!der.ok()) return MakeError("collateral.", key, ": ", der.error());
  return der;
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
  Result<crypto::Bytes> tcb_sig = json::Hex(doc, "tcb_info_signature", "collateral", 64);
  if (!tcb_sig.ok()) return Error{tcb_sig.error()};
  c.tcb_info_signature = std::move(tcb_sig).value();
  Result<crypto::Bytes> qe_sig = json::Hex(doc, "qe_identity_signature", "collateral", 64);
  if (!qe_sig.ok()) return Error{qe_sig.error()};
  c.qe_identity_signature = std::move(qe_sig).value();
  Result<crypto::Bytes> pck_crl = CrlBytes(doc, "pck_crl");
  if (!pck_crl.ok()) return Error{pck_crl.error()};
  c.pck_crl = std::move(pck_crl).value();
  Result<crypto::Bytes> root_crl = CrlBytes(doc, "root_ca_crl");
  if (!root_crl.ok()) return Error{root_crl.error()};
  c.root_ca_crl = std::move(root_crl).value();
  return c;
}

}  // namespace teeharness::attestation
