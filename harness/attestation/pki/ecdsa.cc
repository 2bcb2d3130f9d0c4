// The legacy EC_KEY / ECDSA_do_verify API is deprecated in OpenSSL 3.0, but it skips the provider
// machinery (key import, context fetches) that dominates EVP-based verification of a fresh raw key,
// which is exactly our hot path. Suppressed here only.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "harness/attestation/pki/ecdsa.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>

namespace teeharness::attestation::pki {
namespace {

struct EcKeyDeleter {
  void operator()(EC_KEY* key) const { EC_KEY_free(key); }
};
struct EcPointDeleter {
  void operator()(EC_POINT* point) const { EC_POINT_free(point); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};

// Curve groups are immutable after creation and safe to share across threads; creating one per
// call costs more than the rest of the key setup, so each is built once.
const EC_GROUP* Group(int nid) {
  if (nid == NID_X9_62_prime256v1) {
    static const EC_GROUP* const p256 = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    return p256;
  }
  static const EC_GROUP* const p384 = EC_GROUP_new_by_curve_name(NID_secp384r1);
  return p384;
}

// r||s -> ECDSA_SIG (owning). Null on allocation failure.
std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> MakeSig(crypto::ByteSpan rs) {
  const size_t half = rs.size() / 2;
  BIGNUM* r = BN_bin2bn(rs.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(rs.data() + half, static_cast<int>(half), nullptr);
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return nullptr;
  }
  return sig;  // Owns r and s now.
}

// The public key as a legacy EC_KEY (cheap: no provider import). Null when the point is not on
// the curve or the sizes are wrong.
std::unique_ptr<EC_KEY, EcKeyDeleter> MakeKey(int nid, crypto::ByteSpan public_key_xy) {
  const size_t coordinate_size = nid == NID_X9_62_prime256v1 ? 32 : 48;
  const EC_GROUP* group = Group(nid);
  if (group == nullptr || public_key_xy.size() != 2 * coordinate_size) return nullptr;
  // Uncompressed SEC1 point: 0x04 || x || y. oct2point rejects points not on the curve.
  std::array<uint8_t, 1 + 2 * 48> encoded{};
  encoded[0] = 0x04;
  std::copy(public_key_xy.begin(), public_key_xy.end(), encoded.begin() + 1);
  std::unique_ptr<EC_POINT, EcPointDeleter> point(EC_POINT_new(group));
  if (point == nullptr || EC_POINT_oct2point(group, point.get(), encoded.data(),
                                             1 + public_key_xy.size(), nullptr) != 1) {
    return nullptr;
  }
  std::unique_ptr<EC_KEY, EcKeyDeleter> key(EC_KEY_new());
  if (key == nullptr || EC_KEY_set_group(key.get(), group) != 1 ||
      EC_KEY_set_public_key(key.get(), point.get()) != 1) {
    return nullptr;
  }
  return key;
}

bool VerifyRaw(int nid, size_t coordinate_size, crypto::ByteSpan public_key_xy,
               crypto::ByteSpan message, crypto::ByteSpan signature_rs) {
  if (public_key_xy.size() != 2 * coordinate_size || signature_rs.size() != 2 * coordinate_size) {
    return false;
  }
  auto key = MakeKey(nid, public_key_xy);
  if (key == nullptr) return false;

  std::array<uint8_t, SHA384_DIGEST_LENGTH> digest{};
  size_t digest_size = 0;
  if (nid == NID_X9_62_prime256v1) {
    SHA256(message.data(), message.size(), digest.data());
    digest_size = SHA256_DIGEST_LENGTH;
  } else {
    SHA384(message.data(), message.size(), digest.data());
    digest_size = SHA384_DIGEST_LENGTH;
  }

  auto sig = MakeSig(signature_rs);
  if (sig == nullptr) return false;
  // ECDSA_do_verify itself rejects r or s outside [1, n-1].
  return ECDSA_do_verify(digest.data(), static_cast<int>(digest_size), sig.get(), key.get()) == 1;
}

}  // namespace

bool VerifyP256(crypto::ByteSpan public_key_xy, crypto::ByteSpan message,
                crypto::ByteSpan signature_rs) {
  return VerifyRaw(NID_X9_62_prime256v1, 32, public_key_xy, message, signature_rs);
}

bool VerifyP384(crypto::ByteSpan public_key_xy, crypto::ByteSpan message,
                crypto::ByteSpan signature_rs) {
  return VerifyRaw(NID_secp384r1, 48, public_key_xy, message, signature_rs);
}

bool VerifyWithCertificate(const Certificate& cert, crypto::ByteSpan message,
                           crypto::ByteSpan signature_rs) {
  switch (cert.key_curve_nid()) {
    case NID_X9_62_prime256v1:
      return VerifyRaw(NID_X9_62_prime256v1, 32, cert.key_xy(), message, signature_rs);
    case NID_secp384r1:
      return VerifyRaw(NID_secp384r1, 48, cert.key_xy(), message, signature_rs);
    default:
      return false;
  }
}

bool VerifyDigestWithCertificate(const Certificate& cert, crypto::ByteSpan digest,
                                 crypto::ByteSpan der_signature) {
  const int nid = cert.key_curve_nid();
  if (nid != NID_X9_62_prime256v1 && nid != NID_secp384r1) return false;
  auto key = MakeKey(nid, cert.key_xy());
  if (key == nullptr) return false;
  const unsigned char* cursor = der_signature.data();
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_signature.size())));
  if (sig == nullptr) return false;
  // Strict DER, as OpenSSL's own ECDSA_verify insists: the signature must re-encode to exactly
  // the bytes given (no trailing bytes, no non-minimal integers).
  unsigned char* reencoded = nullptr;
  const int reencoded_size = i2d_ECDSA_SIG(sig.get(), &reencoded);
  const bool canonical = reencoded_size > 0 &&
                         static_cast<size_t>(reencoded_size) == der_signature.size() &&
                         std::equal(der_signature.begin(), der_signature.end(), reencoded);
  OPENSSL_free(reencoded);
  return canonical &&
         ECDSA_do_verify(digest.data(), static_cast<int>(digest.size()), sig.get(), key.get()) == 1;
}

}  // namespace teeharness::attestation::pki
