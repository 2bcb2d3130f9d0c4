#include "mocks/tls/tls_identity.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "harness/base/read_file.h"
#include "harness/crypto/spki_fingerprint.h"

namespace teeharness::mocks::tls {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

// The certificate's fields; false when OpenSSL refused one.
bool FillCertificate(X509* cert, EVP_PKEY* key) {
  X509_set_version(cert, 2);  // v3, for the SAN extension
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -24L * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 24 * 3600);
  if (X509_set_pubkey(cert, key) != 1) return false;
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("teeharness mock"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  char san[] = "IP:127.0.0.1,IP:::1,DNS:localhost";
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) return false;
  return X509_sign(cert, key, EVP_sha256()) > 0;
}

}  // namespace

Result<TlsIdentity> MakeSelfSignedTlsIdentity() {
  KeyPtr key(EVP_EC_gen("P-256"));
  CertPtr cert(X509_new());
  if (!key || !cert || !FillCertificate(cert.get(), key.get())) {
    return MakeError("cannot make a self-signed TLS certificate");
  }
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1) {
    return MakeError("cannot encode the TLS certificate");
  }
  TlsIdentity identity;
  identity.certificate_pem = BioText(cert_bio.get());
  identity.private_key_pem = BioText(key_bio.get());
  Result<crypto::Hash32> fingerprint = crypto::SpkiSha256FromPem(identity.certificate_pem);
  if (!fingerprint.ok()) return Error{fingerprint.error()};
  identity.spki_sha256 = *fingerprint;
  return identity;
}

Result<TlsIdentity> LoadTlsIdentity(const std::string& certificate_path,
                                    const std::string& key_path) {
  Result<std::string> cert = ReadFile(certificate_path);
  if (!cert.ok()) return MakeError("--tls-cert: ", cert.error());
  Result<std::string> key = ReadFile(key_path);
  if (!key.ok()) return MakeError("--tls-key: ", key.error());
  Result<crypto::Hash32> fingerprint = crypto::SpkiSha256FromPem(*cert);
  if (!fingerprint.ok())
    return MakeError("--tls-cert ", certificate_path, ": ", fingerprint.error());
  return TlsIdentity{std::move(cert).value(), std::move(key).value(), *fingerprint};
}

}  // namespace teeharness::mocks::tls
