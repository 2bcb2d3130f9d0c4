#include "harness/engine/loop/tls_peer_key.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "harness/crypto/spki_fingerprint.h"

namespace teeharness::engine {

TlsPeer ReadTlsPeer(void* easy) {
  TlsPeer peer;
  curl_tlssessioninfo* session = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &session) != CURLE_OK || session == nullptr ||
      session->internals == nullptr) {
    return peer;  // plain HTTP (or no session yet)
  }
  peer.tls = true;
  if (session->backend != CURLSSLBACKEND_OPENSSL) return peer;
  X509* leaf = SSL_get0_peer_certificate(static_cast<SSL*>(session->internals));
  if (leaf == nullptr) return peer;
  unsigned char* der = nullptr;
  const int length = i2d_X509(leaf, &der);
  if (length <= 0) return peer;
  Result<crypto::Hash32> key =
      crypto::SpkiSha256FromDer(crypto::ByteSpan(der, static_cast<size_t>(length)));
  OPENSSL_free(der);
  if (key.ok()) peer.key_sha256 = *key;
  return peer;
}

}  // namespace teeharness::engine
