#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/ed25519.h"
#include "harness/crypto/secp256k1.h"

namespace teeharness::crypto {

enum class SignatureAlgo { kEcdsa, kEd25519 };

// "ecdsa" or "ed25519" (case-sensitive, as on the wire).
Result<SignatureAlgo> ParseSignatureAlgo(std::string_view name);
std::string_view SignatureAlgoName(SignatureAlgo algo);

// What a signature looked like on the wire: evidence for the SIG-FORMAT check.
struct SignatureFormat {
  bool has_0x_prefix = false;  // current APIs send "0x" + 130 hex; the 2024 API sent bare hex
  int v = -1;                  // the raw last byte for ECDSA (27/28 or 0/1); -1 for Ed25519
  bool low_s = true;           // ECDSA only; high-s is malleable and rejected by Ethereum tooling
};

struct DecodedEcdsaSignature {
  RecoverableSignature signature;
  SignatureFormat format;
};

// Decodes "0x"? + 130 hex: r || s || v. v must be 27, 28, 0 or 1; anything else is rejected here,
// before libsecp256k1 (which aborts on a recovery id outside 0..3) can see it. Thread-safe.
Result<DecodedEcdsaSignature> DecodeEcdsaSignature(std::string_view text);

// Decodes 128 hex (an optional 0x is tolerated and reported). Thread-safe.
Result<Ed25519Signature> DecodeEd25519Signature(std::string_view text,
                                                SignatureFormat* format = nullptr);

// Encodes r || s || v as "0x" + 130 lowercase hex (the current wire form).
std::string EncodeEthSignature(const EthSignature65& signature);

}  // namespace teeharness::crypto
