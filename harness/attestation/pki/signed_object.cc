#include "harness/attestation/pki/signed_object.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <optional>

#include "harness/attestation/pki/der_reader.h"
#include "harness/attestation/pki/ecdsa.h"

namespace teeharness::attestation::pki {
namespace {

constexpr uint8_t kDerBitString = 0x03;
// 1.2.840.10045.4.3.2 and 1.2.840.10045.4.3.3 (RFC 5758), contents octets.
constexpr std::array<uint8_t, 8> kEcdsaWithSha256 = {0x2a, 0x86, 0x48, 0xce,
                                                     0x3d, 0x04, 0x03, 0x02};
constexpr std::array<uint8_t, 8> kEcdsaWithSha384 = {0x2a, 0x86, 0x48, 0xce,
                                                     0x3d, 0x04, 0x03, 0x03};

// The whole encoding (tag, length, contents) of an element read from `der`.
crypto::ByteSpan Encoding(crypto::ByteSpan der, const DerElement& e) {
  return der.subspan(e.offset, e.content_offset - e.offset + e.value.size());
}

bool SameBytes(crypto::ByteSpan a, crypto::ByteSpan b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// The signature algorithm inside tbs: its first SEQUENCE (certificates have [0] version and the
// serial INTEGER before it, CRLs an optional version INTEGER).
std::optional<crypto::ByteSpan> InnerAlgorithm(crypto::ByteSpan der, const DerElement& tbs) {
  DerReader fields = DerReader::Inside(tbs);
  for (int i = 0; i < 3 && !fields.done(); ++i) {
    Result<DerElement> field = fields.Next();
    if (!field.ok()) return std::nullopt;
    if (field->tag == kDerSequence) return Encoding(der, *field);
  }
  return std::nullopt;
}

// 32 for ecdsa-with-SHA256, 48 for ecdsa-with-SHA384, 0 for anything else.
size_t DigestSize(const DerElement& algorithm) {
  DerReader inside = DerReader::Inside(algorithm);
  Result<DerElement> oid = inside.Expect(kDerOid, "signature algorithm");
  if (!oid.ok() || !inside.done()) return 0;  // ECDSA algorithms have absent parameters
  if (SameBytes(oid->value, kEcdsaWithSha256)) return SHA256_DIGEST_LENGTH;
  if (SameBytes(oid->value, kEcdsaWithSha384)) return SHA384_DIGEST_LENGTH;
  return 0;
}

}  // namespace

bool IssuerSignatureVerifies(crypto::ByteSpan der, const Certificate& issuer) {
  DerReader top(der);
  Result<DerElement> outer = top.Expect(kDerSequence, "signed object");
  if (!outer.ok() || !top.done()) return false;
  DerReader parts = DerReader::Inside(*outer);
  Result<DerElement> tbs = parts.Expect(kDerSequence, "tbs");
  if (!tbs.ok()) return false;
  Result<DerElement> algorithm = parts.Expect(kDerSequence, "signatureAlgorithm");
  if (!algorithm.ok()) return false;
  Result<DerElement> signature = parts.Expect(kDerBitString, "signatureValue");
  if (!signature.ok() || !parts.done()) return false;

  const std::optional<crypto::ByteSpan> inner = InnerAlgorithm(der, *tbs);
  if (!inner || !SameBytes(*inner, Encoding(der, *algorithm))) return false;
  const size_t digest_size = DigestSize(*algorithm);
  // A BIT STRING of whole bytes: the leading unused-bits count must be 0.
  if (digest_size == 0 || signature->value.empty() || signature->value[0] != 0) return false;

  const crypto::ByteSpan signed_bytes = Encoding(der, *tbs);
  std::array<uint8_t, SHA384_DIGEST_LENGTH> digest{};
  if (digest_size == SHA256_DIGEST_LENGTH) {
    SHA256(signed_bytes.data(), signed_bytes.size(), digest.data());
  } else {
    SHA384(signed_bytes.data(), signed_bytes.size(), digest.data());
  }
  return VerifyDigestWithCertificate(issuer, crypto::ByteSpan(digest.data(), digest_size),
                                     signature->value.subspan(1));
}

}  // namespace teeharness::attestation::pki
