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
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
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

bool VerifyRaw(int nid, size_t coordinate_size, crypto::ByteSpan public_key_xy,
               crypto::ByteSpan message, crypto::ByteSpan signature_rs) {
  if (public_key_xy.size() != 2 * coordinate_size || signature_rs.size() != 2 * coordinate_size) {
    return false;
  }
  const EC_GROUP* group = Group(nid);
  if (group == nullptr) return false;

  // Uncompressed SEC1 point: 0x04 || x || y. oct2point rejects points not on the curve.
  std::array<uint8_t, 1 + 2 * 48> encoded{};
  encoded[0] = 0x04;
  std::copy(public_key_xy.begin(), public_key_xy.end(), encoded.begin() + 1);
  std::unique_ptr<EC_POINT, EcPointDeleter> point(EC_POINT_new(group));
  if (point == nullptr || EC_POINT_oct2point(group, point.get(), encoded.data(),
                                             1 + public_key_xy.size(), nullptr) != 1) {
    return false;
  }
  std::unique_ptr<EC_KEY, EcKeyDeleter> key(EC_KEY_new());
  if (key == nullptr || EC_KEY_set_group(key.get(), group) != 1 ||
      EC_KEY_set_public_key(key.get(), point.get()) != 1) {
    return false;
  }

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
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group_name[64] = {};
  size_t name_size = 0;
  if (EVP_PKEY_get_group_name(key, group_name, sizeof(group_name), &name_size) != 1) return false;
  int nid = OBJ_sn2nid(group_name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(group_name);
  const EVP_MD* md = nullptr;
  size_t coordinate_size = 0;
  if (nid == NID_X9_62_prime256v1) {
    md = EVP_sha256();
    coordinate_size = 32;
  } else if (nid == NID_secp384r1) {
    md = EVP_sha384();
    coordinate_size = 48;
  } else {
    return false;
  }
  if (signature_rs.size() != 2 * coordinate_size) return false;

  auto sig = MakeSig(signature_rs);
  if (sig == nullptr) return false;
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_size <= 0) return false;
  // EVP path: the certificate's key is a provider key shared between threads; EVP_DigestVerify only
  // reads it, whereas extracting a legacy EC_KEY would mutate its cache.
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  const bool ok = ctx != nullptr &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_size), message.data(),
                                   message.size()) == 1;
  OPENSSL_free(der);
  return ok;
}

}  // namespace teeharness::attestation::pki
