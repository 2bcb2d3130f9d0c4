#include "harness/attestation/pki/crl.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "harness/attestation/pki/pki_time.h"
#include "harness/attestation/pki/signed_object.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation::pki {
namespace {

std::string_view Trim(std::string_view text) {
  // NUL bytes are included: collateral fields sometimes carry C-string terminators.
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
  };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<Crl> Crl::FromDer(crypto::ByteSpan der) {
  if (der.empty()) return MakeError("empty CRL DER");
  const unsigned char* cursor = der.data();
  X509_CRL* raw = d2i_X509_CRL(nullptr, &cursor, static_cast<long>(der.size()));
  if (raw == nullptr) return MakeError("CRL DER does not parse");
  Crl crl;
  crl.crl_.reset(raw, X509_CRL_free);
  const size_t consumed = static_cast<size_t>(cursor - der.data());
  if (consumed != der.size())
    return MakeError("CRL DER has ", der.size() - consumed, " trailing bytes");
  crl.der_.assign(der.begin(), der.end());
  crl.issuer_ = FormatName(X509_CRL_get_issuer(raw));
  auto this_update = Asn1TimeToUnix(X509_CRL_get0_lastUpdate(raw));
  if (!this_update) return MakeError("CRL of ", crl.issuer_, " thisUpdate: ", this_update.error());
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(raw);
  if (next == nullptr) return MakeError("CRL of ", crl.issuer_, " has no nextUpdate");
  auto next_update = Asn1TimeToUnix(next);
  if (!next_update) return MakeError("CRL of ", crl.issuer_, " nextUpdate: ", next_update.error());
  crl.this_update_ = *this_update;
  crl.next_update_ = *next_update;
  return crl;
}

Result<Crl> Crl::Parse(std::string_view text_or_bytes) {
  // Raw DER starts with 0x30 0x8x, which is never whitespace, hex or "-----", so the three forms
  // cannot be confused.
  if (!text_or_bytes.empty() && static_cast<uint8_t>(text_or_bytes.front()) == 0x30 &&
      text_or_bytes.size() > 1 && (static_cast<uint8_t>(text_or_bytes[1]) & 0x80) != 0) {
    return FromDer(crypto::AsBytes(text_or_bytes));
  }
  const std::string_view text = Trim(text_or_bytes);
  if (text.starts_with("-----BEGIN X509 CRL-----")) {
    BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
    if (bio == nullptr) return MakeError("out of memory");
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    const int ok = PEM_read_bio(bio, &name, &header, &data, &length);
    BIO_free(bio);
    Result<Crl> result = MakeError("PEM CRL does not parse");
    if (ok == 1 && std::string_view(name) == "X509 CRL") {
      result = FromDer(crypto::ByteSpan(data, static_cast<size_t>(length)));
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    return result;
  }
  std::string_view hex = text;
  if (crypto::HasHexPrefix(hex)) hex.remove_prefix(2);
  if (!hex.empty() && crypto::IsHexDigits(hex)) {
    auto der = crypto::DecodeHex(hex);
    if (!der) return MakeError("CRL hex: ", der.error());
    return FromDer(*der);
  }
  return FromDer(crypto::AsBytes(text_or_bytes));
}

bool Crl::Lists(const Certificate& cert) const {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl_.get());
  const int count = sk_X509_REVOKED_num(revoked);  // 0 for a null stack (an empty CRL).
  for (int i = 0; i < count; ++i) {
    const X509_REVOKED* entry = sk_X509_REVOKED_value(revoked, i);
    if (ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(entry), serial) == 0) return true;
  }
  return false;
}

bool Crl::SignedBy(const Certificate& issuer) const {
  return IssuerSignatureVerifies(der_, issuer);
}

}  // namespace teeharness::attestation::pki
