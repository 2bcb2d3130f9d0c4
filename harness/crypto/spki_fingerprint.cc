#include "harness/crypto/spki_fingerprint.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "harness/crypto/sha256.h"

namespace teeharness::crypto {
namespace {

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

Result<Hash32> OfCertificate(X509* cert) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (length <= 0) return MakeError("the certificate's public key cannot be encoded");
  const Hash32 digest = Sha256::Hash(ByteSpan(der, static_cast<size_t>(length)));
  OPENSSL_free(der);
  return digest;
}

}  // namespace

Result<Hash32> SpkiSha256FromDer(ByteSpan certificate_der) {
  const unsigned char* p = certificate_der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(certificate_der.size())));
  if (!cert) return MakeError("not a DER certificate");
  return OfCertificate(cert.get());
}

Result<Hash32> SpkiSha256FromPem(const std::string& certificate_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())), BIO_free);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return MakeError("not a PEM certificate");
  return OfCertificate(cert.get());
}

}  // namespace teeharness::crypto
