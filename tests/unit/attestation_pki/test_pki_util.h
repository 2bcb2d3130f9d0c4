#pragma once

// Helpers for the PKI tests: reading the real vectors, and minting throwaway test CAs, certificates
// and CRLs with OpenSSL (Intel's CRLs cannot be forged, so revocation logic is tested on our own).

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/crl.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki::testing {

constexpr int64_t kV4At = 1752919234;  // 2025-07-19T10:00:34Z
constexpr int64_t kV5At = 1774003274;  // 2026-03-20T10:41:14Z

inline std::string ReadVector(const std::string& relative) {
  std::ifstream in(std::string(TEEHARNESS_VECTORS_DIR) + "/attestation/" + relative,
                   std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The PEM chain inside a quote's certification data: first BEGIN to last END marker.
inline std::string QuotePemChain(const std::string& quote) {
  constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  const size_t begin = quote.find(kBegin);
  const size_t end = quote.rfind(kEnd);
  if (begin == std::string::npos || end == std::string::npos) return "";
  return quote.substr(begin, end + kEnd.size() - begin);
}

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

inline Key NewKey(const char* curve = "P-256") { return Key(EVP_EC_gen(curve)); }

inline const EVP_MD* DigestFor(EVP_PKEY* key) {
  return EVP_PKEY_get_bits(key) > 256 ? EVP_sha384() : EVP_sha256();
}

struct CertSpec {
  std::string subject_cn;
  std::string issuer_cn;  // Equal to subject_cn for a self-signed root.
  long serial = 1;
  bool ca = false;
  int64_t not_before = 1700000000;
  int64_t not_after = 1900000000;
};

inline X509_NAME* NameOf(const std::string& cn) {
  X509_NAME* name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("teeharness test"), -1, -1, 0);
  return name;
}

// A certificate for `subject_key`, signed by `issuer_key`. Returns the DER.
inline crypto::Bytes MakeCertDer(const CertSpec& spec, EVP_PKEY* subject_key,
                                 EVP_PKEY* issuer_key) {
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), spec.serial);
  X509_NAME* subject = NameOf(spec.subject_cn);
  X509_NAME* issuer = NameOf(spec.issuer_cn);
  X509_set_subject_name(x, subject);
  X509_set_issuer_name(x, issuer);
  X509_NAME_free(subject);
  X509_NAME_free(issuer);
  ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(spec.not_after));
  X509_set_pubkey(x, subject_key);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints,
                                           spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  X509_add_ext(x, bc, -1);
  X509_EXTENSION_free(bc);
  X509_sign(x, issuer_key, DigestFor(issuer_key));
  unsigned char* der = nullptr;
  const int size = i2d_X509(x, &der);
  crypto::Bytes out(der, der + (size > 0 ? size : 0));
  OPENSSL_free(der);
  X509_free(x);
  return out;
}

inline Certificate MakeCert(const CertSpec& spec, EVP_PKEY* subject_key, EVP_PKEY* issuer_key) {
  return Certificate::FromDer(MakeCertDer(spec, subject_key, issuer_key)).value();
}

inline crypto::Bytes MakeCrlDer(const std::string& issuer_cn, EVP_PKEY* issuer_key,
                                const std::vector<long>& revoked, int64_t this_update,
                                int64_t next_update) {
  X509_CRL* crl = X509_CRL_new();
  X509_CRL_set_version(crl, 1);
  X509_NAME* issuer = NameOf(issuer_cn);
  X509_CRL_set_issuer_name(crl, issuer);
  X509_NAME_free(issuer);
  ASN1_TIME* time = ASN1_TIME_new();
  ASN1_TIME_set(time, static_cast<time_t>(this_update));
  X509_CRL_set1_lastUpdate(crl, time);
  ASN1_TIME_set(time, static_cast<time_t>(next_update));
  X509_CRL_set1_nextUpdate(crl, time);
  for (long serial : revoked) {
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* number = ASN1_INTEGER_new();
    ASN1_INTEGER_set(number, serial);
    X509_REVOKED_set_serialNumber(entry, number);
    ASN1_TIME_set(time, static_cast<time_t>(this_update));
    X509_REVOKED_set_revocationDate(entry, time);
    X509_CRL_add0_revoked(crl, entry);
    ASN1_INTEGER_free(number);
  }
  ASN1_TIME_free(time);
  X509_CRL_sort(crl);
  X509_CRL_sign(crl, issuer_key, DigestFor(issuer_key));
  unsigned char* der = nullptr;
  const int size = i2d_X509_CRL(crl, &der);
  crypto::Bytes out(der, der + (size > 0 ? size : 0));
  OPENSSL_free(der);
  X509_CRL_free(crl);
  return out;
}

inline Crl MakeCrl(const std::string& issuer_cn, EVP_PKEY* issuer_key,
                   const std::vector<long>& revoked, int64_t this_update = 1750000000,
                   int64_t next_update = 1800000000) {
  return Crl::FromDer(MakeCrlDer(issuer_cn, issuer_key, revoked, this_update, next_update)).value();
}

// Raw x||y of an EC key (no 0x04 prefix).
inline crypto::Bytes RawPublicKey(EVP_PKEY* key) {
  unsigned char buffer[133];
  size_t size = 0;
  EVP_PKEY_get_octet_string_param(key, "pub", buffer, sizeof(buffer), &size);
  return crypto::Bytes(buffer + 1, buffer + size);
}

// Signs `message` and returns raw r||s, each padded to `half` bytes.
inline crypto::Bytes SignRaw(EVP_PKEY* key, crypto::ByteSpan message, size_t half) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, DigestFor(key), nullptr, key);
  size_t size = 0;
  EVP_DigestSign(ctx, nullptr, &size, message.data(), message.size());
  crypto::Bytes der(size);
  EVP_DigestSign(ctx, der.data(), &size, message.data(), message.size());
  EVP_MD_CTX_free(ctx);
  const unsigned char* cursor = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(size));
  crypto::Bytes rs(2 * half);
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs.data(), static_cast<int>(half));
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs.data() + half, static_cast<int>(half));
  ECDSA_SIG_free(sig);
  return rs;
}

}  // namespace teeharness::attestation::pki::testing
