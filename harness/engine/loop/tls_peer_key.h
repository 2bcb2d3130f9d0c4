#pragma once

#include <optional>

#include "harness/crypto/bytes.h"

namespace teeharness::engine {

// What a transfer's connection presented, read from the transfer itself (curl handle `easy`,
// during the transfer, while the handle still refers to its connection): whether it is TLS, and
// the SHA-256 of its leaf certificate's SubjectPublicKeyInfo (nullopt when not TLS or libcurl's TLS
// backend is not OpenSSL). The same connection, not a second one: behind a load balancer another
// connection may reach another backend. Thread-safe (reads only that handle).
struct TlsPeer {
  bool tls = false;
  std::optional<crypto::Hash32> key_sha256;
};
TlsPeer ReadTlsPeer(void* easy);

}  // namespace teeharness::engine
