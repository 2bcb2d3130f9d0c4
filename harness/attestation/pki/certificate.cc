#include "harness/attestation/pki/certificate.h"

#include <openssl/asn1t.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>

#include "harness/attestation/pki/certificate_pool.h"
#include "harness/attestation/pki/pki_time.h"

namespace teeharness::attestation::pki {
namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

// Decodes the base64 body of a PEM block, skipping whitespace (PEM wraps lines, maybe with CRLF).
// Strict otherwise: any other character or bad padding is an error.
Result<crypto::Bytes> DecodePemBody(std::string_view body) {
  std::string compact;
  compact.reserve(body.size());
  for (char c : body) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    // Not std::isalnum: locale-dependent, and an out-of-line call per character on the cold path.
    const bool base64_char = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    if (!base64_char) return MakeError("invalid character in PEM body");
    compact.push_back(c);
  }
  if (compact.empty() || compact.size() % 4 != 0) {
    return MakeError("PEM body length is not a multiple of 4");
  }
  const size_t first_pad = compact.find('=');
  const size_t padding = first_pad == std::string::npos ? 0 : compact.size() - first_pad;
  if (padding > 2 || compact.find_first_not_of('=', first_pad) != std::string::npos) {
    return MakeError("misplaced '=' in PEM body");
  }
  crypto::Bytes out(compact.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(compact.data()),
                                static_cast<int>(compact.size()));
  if (n < 0 || static_cast<size_t>(n) < padding) return MakeError("invalid base64 in PEM body");
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

// The base64 bodies of every BEGIN/END CERTIFICATE block in `text`, in order.
Result<std::vector<std::string_view>> FindPemBlocks(std::string_view text) {
  std::vector<std::string_view> blocks;
  size_t pos = 0;
  while (true) {
    const size_t begin = text.find(kBegin, pos);
    if (begin == std::string_view::npos) break;
    const size_t body = begin + kBegin.size();
    const size_t end = text.find(kEnd, body);
    if (end == std::string_view::npos) {
      return MakeError("PEM block ", blocks.size(), " has no \"", kEnd, "\"");
    }
    const size_t nested = text.find(kBegin, body);
    if (nested != std::string_view::npos && nested < end) {
      return MakeError("PEM block ", blocks.size(), " has no \"", kEnd, "\" before the next block");
    }
    blocks.push_back(text.substr(body, end - body));
    pos = end + kEnd.size();
  }
  if (blocks.empty()) return MakeError("no \"", kBegin, "\" block found");
  return blocks;
}

// A library context whose only provider is OpenSSL's "null" provider: d2i_X509 in it finds no
// key decoder and leaves the public key undecoded (cheaply) instead of running the default
// provider's decoder chain. Nothing else in a parse needs a provider. Created once, never freed.
OSSL_LIB_CTX* KeylessLibCtx() {
  static OSSL_LIB_CTX* const ctx = [] {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    if (c != nullptr && OSSL_PROVIDER_load(c, "null") == nullptr) {
      OSSL_LIB_CTX_free(c);
      c = nullptr;
    }
    return c;
  }();
  return ctx;
}

// The EC key of `x509` from its SubjectPublicKeyInfo: id-ecPublicKey with the named curve P-256
// or P-384 and an uncompressed point. Other keys leave `nid` at NID_undef. The point is checked
// to be on the curve when it is used (EC_POINT_oct2point in ecdsa.cc).
void ReadEcKey(X509* x509, int& nid, crypto::Bytes& xy) {
  nid = NID_undef;
  xy.clear();
  X509_PUBKEY* spki = X509_get_X509_PUBKEY(x509);
  ASN1_OBJECT* algorithm = nullptr;
  const unsigned char* point = nullptr;
  int point_size = 0;
  X509_ALGOR* parameters = nullptr;
  if (spki == nullptr ||
      X509_PUBKEY_get0_param(&algorithm, &point, &point_size, &parameters, spki) != 1 ||
      OBJ_obj2nid(algorithm) != NID_X9_62_id_ecPublicKey || parameters == nullptr) {
    return;
  }
  int parameter_type = 0;
  const void* parameter = nullptr;
  X509_ALGOR_get0(nullptr, &parameter_type, &parameter, parameters);
  if (parameter_type != V_ASN1_OBJECT) return;
  const int curve = OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(parameter));
  const int coordinate = curve == NID_X9_62_prime256v1 ? 32 : curve == NID_secp384r1 ? 48 : 0;
  if (coordinate == 0 || point_size != 1 + 2 * coordinate || point[0] != 0x04) return;
  nid = curve;
  xy.assign(point + 1, point + point_size);
}

}  // namespace

std::string FormatName(const X509_NAME* name) {
  if (name == nullptr) return "";
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return "";
  // RFC 2253 escaping, ", " separators, "CN=" short names, and certificate (not reversed) order.
  const unsigned long flags =
      (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN;
  std::string out;
  if (X509_NAME_print_ex(bio, name, 0, flags) >= 0) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    if (size > 0) out.assign(data, static_cast<size_t>(size));
  }
  BIO_free(bio);
  return out;
}

Result<Certificate> Certificate::FromDer(crypto::ByteSpan der) {
  if (der.empty()) return MakeError("empty certificate DER");
  OSSL_LIB_CTX* keyless = KeylessLibCtx();
  if (keyless == nullptr) return MakeError("OpenSSL's null provider is not available");
  const unsigned char* cursor = der.data();
  X509* raw = reinterpret_cast<X509*>(ASN1_item_d2i_ex(
      nullptr, &cursor, static_cast<long>(der.size()), ASN1_ITEM_rptr(X509), keyless, nullptr));
  // The key decode that the null provider cannot do leaves an error on the queue; it is expected.
  ERR_clear_error();
  if (raw == nullptr) return MakeError("certificate DER does not parse");
  Certificate cert;
  cert.x509_.reset(raw, X509_free);
  const size_t consumed = static_cast<size_t>(cursor - der.data());
  if (consumed != der.size()) {
    return MakeError("certificate DER has ", der.size() - consumed, " trailing bytes");
  }
  // Fills the extension cache (and validates extensions) now, so shared use stays read-only.
  X509_check_purpose(raw, -1, 0);
  if ((X509_get_extension_flags(raw) & EXFLAG_INVALID) != 0) {
    return MakeError("certificate has malformed extensions");
  }
  cert.der_.assign(der.begin(), der.end());
  ReadEcKey(raw, cert.key_curve_nid_, cert.key_xy_);
  cert.subject_ = FormatName(X509_get_subject_name(raw));
  cert.issuer_ = FormatName(X509_get_issuer_name(raw));
  auto not_before = Asn1TimeToUnix(X509_get0_notBefore(raw));
  if (!not_before)
    return MakeError("certificate ", cert.subject_, " notBefore: ", not_before.error());
  auto not_after = Asn1TimeToUnix(X509_get0_notAfter(raw));
  if (!not_after) return MakeError("certificate ", cert.subject_, " notAfter: ", not_after.error());
  cert.not_before_ = *not_before;
  cert.not_after_ = *not_after;

  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(raw), nullptr);
  if (serial == nullptr) return MakeError("certificate ", cert.subject_, " has a malformed serial");
  char* hex = BN_bn2hex(serial);
  BN_free(serial);
  if (hex == nullptr) return MakeError("out of memory");
  cert.serial_hex_ = hex;
  OPENSSL_free(hex);
  for (char& c : cert.serial_hex_)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return cert;
}

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  auto blocks = FindPemBlocks(pem);
  if (!blocks) return Error{blocks.error()};
  if (blocks->size() != 1) {
    return MakeError("expected one PEM certificate, found ", blocks->size(),
                     " (use ParsePemChain for a chain)");
  }
  auto der = DecodePemBody(blocks->front());
  if (!der) return Error{der.error()};
  return FromDer(*der);
}

namespace {

template <typename FromDer>
Result<std::vector<Certificate>> ParsePemChainWith(std::string_view pem_text, FromDer from_der) {
  auto blocks = FindPemBlocks(pem_text);
  if (!blocks) return Error{blocks.error()};
  std::vector<Certificate> chain;
  chain.reserve(blocks->size());
  for (size_t i = 0; i < blocks->size(); ++i) {
    auto der = DecodePemBody((*blocks)[i]);
    if (!der) return MakeError("PEM certificate ", i, ": ", der.error());
    auto cert = from_der(crypto::ByteSpan(*der));
    if (!cert) return MakeError("PEM certificate ", i, ": ", cert.error());
    chain.push_back(std::move(cert).value());
  }
  return chain;
}

}  // namespace

Result<std::vector<Certificate>> ParsePemChain(std::string_view pem_text) {
  return ParsePemChainWith(pem_text,
                           [](crypto::ByteSpan der) { return Certificate::FromDer(der); });
}

Result<std::vector<Certificate>> ParsePemChain(std::string_view pem_text, CertificatePool& pool) {
  return ParsePemChainWith(pem_text, [&pool](crypto::ByteSpan der) { return pool.FromDer(der); });
}

}  // namespace teeharness::attestation::pki
