#include "harness/crypto/secp256k1.h"

#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "harness/crypto/keccak.h"

namespace teeharness::crypto {
namespace {

// One context for the whole process. libsecp256k1 documents every API taking a const context as
// safe to call concurrently; only randomisation mutates it, and that happens once, before first
// use.
const secp256k1_context* SharedContext() {
  static const secp256k1_context* context = [] {
    secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char seed[32];
    if (RAND_bytes(seed, sizeof(seed)) == 1) {
      // Blinding against side channels when signing; verification does not depend on it.
      [[maybe_unused]] const int randomized = secp256k1_context_randomize(ctx, seed);
    }
    return ctx;
  }();
  return context;
}

// secp256k1 group order n, halved: s above this is "high-s".
constexpr std::array<uint8_t, 32> kHalfOrder = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

PublicKey64 SerializeUncompressed(const secp256k1_pubkey& pubkey) {
  unsigned char out[65];
  size_t size = sizeof(out);
  secp256k1_ec_pubkey_serialize(SharedContext(), out, &size, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  PublicKey64 key{};
  std::memcpy(key.data(), out + 1, 64);  // drop the 0x04 tag
  return key;
}

}  // namespace

bool IsLowS(const std::array<uint8_t, 64>& rs) {
  return !std::lexicographical_compare(kHalfOrder.begin(), kHalfOrder.end(), rs.begin() + 32,
                                       rs.end());
}

Result<PublicKey64> RecoverPublicKey(const Hash32& digest, const RecoverableSignature& signature) {
  if (signature.recovery_id < 0 || signature.recovery_id > 3) {
    return MakeError("recovery id ", signature.recovery_id, " outside 0..3");
  }
  const secp256k1_context* ctx = SharedContext();
  secp256k1_ecdsa_recoverable_signature parsed;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &parsed, signature.rs.data(),
                                                          signature.recovery_id) != 1) {
    return Error{"r or s is zero or not below the curve order"};
  }
  secp256k1_pubkey pubkey;
  if (secp256k1_ecdsa_recover(ctx, &pubkey, &parsed, digest.data()) != 1) {
    return Error{"no public key recovers from this signature and digest"};
  }
  return SerializeUncompressed(pubkey);
}

Address20 AddressFromPublicKey(const PublicKey64& public_key) {
  const Hash32 hash = Keccak256(ByteSpan(public_key));
  Address20 address{};
  std::copy(hash.begin() + 12, hash.end(), address.begin());
  return address;
}

Result<EcdsaKey> EcdsaKey::FromPrivateKey(ByteSpan private_key) {
  if (private_key.size() != 32) {
    return MakeError("secp256k1 private key must be 32 bytes, got ", private_key.size());
  }
  const secp256k1_context* ctx = SharedContext();
  if (secp256k1_ec_seckey_verify(ctx, private_key.data()) != 1) {
    return Error{"secp256k1 private key is zero or not below the curve order"};
  }
  EcdsaKey key;
  std::copy(private_key.begin(), private_key.end(), key.private_key_.begin());
  secp256k1_pubkey pubkey;
  if (secp256k1_ec_pubkey_create(ctx, &pubkey, key.private_key_.data()) != 1) {
    return Error{"secp256k1 public key derivation failed"};
  }
  key.public_key_ = SerializeUncompressed(pubkey);
  key.address_ = AddressFromPublicKey(key.public_key_);
  return key;
}

EcdsaKey EcdsaKey::Generate() {
  for (;;) {
    std::array<uint8_t, 32> candidate{};
    if (RAND_bytes(candidate.data(), candidate.size()) != 1) {
      throw std::runtime_error("OpenSSL RAND_bytes failed: no entropy for a signing key");
    }
    // Fails only for zero or >= n: probability ~2^-128, so this loop runs once.
    Result<EcdsaKey> key = FromPrivateKey(candidate);
    if (key.ok()) return std::move(key).value();
  }
}

RecoverableSignature EcdsaKey::SignDigest(const Hash32& digest) const {
  const secp256k1_context* ctx = SharedContext();
  secp256k1_ecdsa_recoverable_signature signature;
  // nullptr nonce function = RFC 6979, so signatures are reproducible for a known key.
  secp256k1_ecdsa_sign_recoverable(ctx, &signature, digest.data(), private_key_.data(), nullptr,
                                   nullptr);
  RecoverableSignature out;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, out.rs.data(), &out.recovery_id,
                                                          &signature);
  return out;
}

EthSignature65 EcdsaKey::SignPersonalMessage(std::string_view text) const {
  const RecoverableSignature signature = SignDigest(Eip191Digest(text));
  EthSignature65 out{};
  std::copy(signature.rs.begin(), signature.rs.end(), out.begin());
  out[64] = static_cast<uint8_t>(27 + signature.recovery_id);
  return out;
}

}  // namespace teeharness::crypto
