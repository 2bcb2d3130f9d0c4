#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/crypto/signature.h"

namespace teeharness::crypto {

struct VerifyInput {
  std::string_view text;       // exactly what was signed (UTF-8)
  std::string_view signature;  // as received: hex, with or without 0x
  SignatureAlgo algo = SignatureAlgo::kEcdsa;
  // ECDSA: the attested Ethereum address to compare with (optional).
  // Ed25519: the 64-hex public key; required, since Ed25519 has no key recovery.
  std::optional<std::string_view> expected_address;
};

enum class Verdict {
  kValid,            // the signature verifies (and matches the expected address, when given)
  kAddressMismatch,  // a valid signature by some other key than the expected one
  kInvalid,          // well-formed, but does not verify / recover
  kMalformed,        // could not even be decoded (bad hex, length, v, address)
};
std::string_view VerdictName(Verdict verdict);

// Everything later checks need, as data: SIG-RECOVER, SIG-ADDRESS and SIG-FORMAT read it.
struct VerifyOutcome {
  Verdict verdict = Verdict::kMalformed;
  std::string signer;  // ECDSA: recovered EIP-55 address; Ed25519: the public key when verified
  SignatureFormat format;
  std::vector<std::string> reasons;  // why it is not kValid, and format remarks (e.g. high-s)
  bool valid() const { return verdict == Verdict::kValid; }
};

// Verifies one signed text. Never throws on bad input: every problem is a Verdict with reasons.
// Thread-safe: it shares only the read-only secp256k1 context.
VerifyOutcome VerifySignedText(const VerifyInput& input);

}  // namespace teeharness::crypto
