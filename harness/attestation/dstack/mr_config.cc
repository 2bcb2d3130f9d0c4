#include "harness/attestation/dstack/mr_config.h"

#include <rapidjson/document.h>

#include <algorithm>

#include "harness/crypto/hex.h"
#include "harness/crypto/keccak.h"
#include "harness/crypto/sha256.h"
#include "harness/protocol/json_body.h"

namespace teeharness::attestation::dstack {
namespace {

// dstack's KeyProviderKind: its byte in v2 and its name in the v3 document.
struct Kind {
  int byte;
  const char* document_name;
};

std::optional<Kind> KindOf(const std::string& name) {
  if (name == "none") return Kind{0, "none"};
  if (name == "local-sgx" || name == "local") return Kind{1, "local"};
  if (name == "kms") return Kind{2, "kms"};
  if (name == "tpm") return Kind{3, "tpm"};
  if (name == "amd-snp-derived" || name == "snp_derived") return Kind{4, "snp_derived"};
  return std::nullopt;
}

bool Matches(const std::array<uint8_t, 48>& id, const crypto::Hash32& digest) {
  return std::equal(digest.begin(), digest.end(), id.begin() + 1) &&
         std::all_of(id.begin() + 33, id.end(), [](uint8_t b) { return b == 0; });
}

crypto::Hash32 DocumentDigest(std::string_view document) {
  crypto::Sha256 h;
  h.Update(std::string_view("dstack-mr-config-v3:"));
  const uint8_t zero[1] = {0};
  h.Update(crypto::ByteSpan(zero, 1));
  h.Update(document);
  return h.Finish();
}

// The JCS form dstack writes: keys sorted, lowercase hex without 0x, optional fields absent.
std::string CanonicalDocument(const DstackEvidence& id, const Kind& kind) {
  std::string doc = "{";
  if (!id.app_id.empty()) doc += "\"app_id\":\"" + id.app_id + "\",";
  doc += "\"compose_hash\":\"" + id.compose_hash + "\",";
  if (!id.instance_id.empty()) doc += "\"instance_id\":\"" + id.instance_id + "\",";
  doc += "\"key_provider\":\"" + std::string(kind.document_name) + "\",";
  if (!id.key_provider_id.empty()) doc += "\"key_provider_id\":\"" + id.key_provider_id + "\",";
  return doc + "\"version\":3}";
}

std::string DocumentComposeHash(const std::string& document) {
  rapidjson::Document doc;
  if (!protocol::ParseJsonObject(document, "mr_config", doc).ok()) return "";
  const auto it = doc.FindMember("compose_hash");
  if (it == doc.MemberEnd() || !it->value.IsString()) return "";
  std::string hex = it->value.GetString();
  std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) { return std::tolower(c); });
  return hex;
}

MrConfigBinding Checked(int version, bool matches, std::string what) {
  MrConfigBinding b;
  b.bound = b.checked = true;
  b.version = version;
  b.matches = matches;
  b.reason =
      "mr_config_id v" + std::to_string(version) + (matches ? " binds " : " does not bind ") + what;
  return b;
}

MrConfigBinding V3(const std::array<uint8_t, 48>& mr, const DstackEvidence& id,
                   const std::optional<std::string>& document) {
  if (document) {
    const bool bound = Matches(mr, DocumentDigest(*document));
    const std::string doc_hash = DocumentComposeHash(*document);
    if (bound && doc_hash != id.compose_hash) {
      return Checked(3, false,
                     "the compose hash: its document names compose_hash '" + doc_hash + "', not " +
                         id.compose_hash);
    }
    return Checked(3, bound, "the MrConfigV3 document the guest shipped");
  }
  const std::optional<Kind> kind = KindOf(id.key_provider);
  if (kind && Matches(mr, DocumentDigest(CanonicalDocument(id, *kind)))) {
    return Checked(3, true, "the MrConfigV3 document rebuilt from the event log");
  }
  MrConfigBinding b;
  b.bound = true;
  b.version = 3;
  b.reason =
      "mr_config_id v3 binding skipped: it hashes a MrConfigV3 document that the report does "
      "not carry, and the one rebuilt from the event log differs";
  return b;
}

}  // namespace

MrConfigBinding EvaluateMrConfig(const std::array<uint8_t, 48>& mr, const DstackEvidence& id,
                                 const std::optional<std::string>& document) {
  if (std::all_of(mr.begin(), mr.end(), [](uint8_t b) { return b == 0; })) {
    MrConfigBinding b;
    b.reason = "mr_config_id binding skipped: mr_config_id is all zero (not bound)";
    return b;
  }
  Result<crypto::Bytes> compose = crypto::DecodeHexExact(id.compose_hash, 32);
  crypto::Hash32 compose_hash{};
  if (compose.ok()) std::copy(compose->begin(), compose->end(), compose_hash.begin());
  switch (mr[0]) {
    case 1:
      return Checked(1, compose.ok() && Matches(mr, compose_hash),
                     "the compose hash " + id.compose_hash);
    case 2: {
      const std::optional<Kind> kind = KindOf(id.key_provider);
      Result<crypto::Bytes> app = crypto::DecodeHexExact(id.app_id, 20);
      Result<crypto::Bytes> kp_id = crypto::DecodeHex(id.key_provider_id);
      if (!compose.ok() || !kind || !app.ok() || !kp_id.ok()) {
        return Checked(2, false,
                       "a known identity: compose hash, app id (20 bytes), key provider kind and "
                       "id are needed and one is missing or malformed");
      }
      crypto::Bytes input(compose_hash.begin(), compose_hash.end());
      input.insert(input.end(), app->begin(), app->end());
      input.push_back(static_cast<uint8_t>(kind->byte));
      input.insert(input.end(), kp_id->begin(), kp_id->end());
      return Checked(2, Matches(mr, crypto::Keccak256(input)),
                     "keccak256(compose hash ‖ app id ‖ key provider " + id.key_provider + ")");
    }
    case 3:
      return V3(mr, id, document);
    default: {
      MrConfigBinding b;
      b.bound = b.checked = true;
      b.version = mr[0];
      b.reason = "mr_config_id version " + std::to_string(mr[0]) + " is not 1, 2 or 3";
      return b;
    }
  }
}

}  // namespace teeharness::attestation::dstack
