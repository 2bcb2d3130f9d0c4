#include "harness/attestation/collateral/collateral_writer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Put(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::string CollateralToJson(const Collateral& c,
                             const std::vector<std::pair<std::string, std::string>>& metadata) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Put(w, "pck_crl_issuer_chain", c.pck_crl_issuer_chain);
  Put(w, "root_ca_crl", crypto::EncodeHex(c.root_ca_crl));
  Put(w, "pck_crl", crypto::EncodeHex(c.pck_crl));
  Put(w, "tcb_info_issuer_chain", c.tcb_info_issuer_chain);
  Put(w, "tcb_info", c.tcb_info);
  Put(w, "tcb_info_signature", crypto::EncodeHex(c.tcb_info_signature));
  Put(w, "qe_identity_issuer_chain", c.qe_identity_issuer_chain);
  Put(w, "qe_identity", c.qe_identity);
  Put(w, "qe_identity_signature", crypto::EncodeHex(c.qe_identity_signature));
  if (!c.pck_certificate_chain.empty()) Put(w, "pck_certificate_chain", c.pck_certificate_chain);
  if (!metadata.empty()) {
    w.Key("teeharness_cache");
    w.StartObject();
    for (const auto& [key, value] : metadata) Put(w, key.c_str(), value);
    w.EndObject();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace teeharness::attestation
