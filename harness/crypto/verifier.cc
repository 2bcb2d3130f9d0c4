#include "harness/crypto/verifier.h"

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/keccak.h"

namespace teeharness::crypto {
namespace {

VerifyOutcome Malformed(std::string reason) {
  VerifyOutcome outcome;
  outcome.verdict = Verdict::kMalformed;
  outcome.reasons.push_back(std::move(reason));
  return outcome;
}

VerifyOutcome VerifyEcdsa(const VerifyInput& input) {
  std::optional<Address20> expected;
  if (input.expected_address) {
    Result<Address20> parsed = ParseAddress(*input.expected_address);
    if (!parsed.ok()) return Malformed("expected " + parsed.error());
    expected = *parsed;
  }
  Result<DecodedEcdsaSignature> decoded = DecodeEcdsaSignature(input.signature);
  if (!decoded.ok()) return Malformed(decoded.error());

  VerifyOutcome outcome;
  outcome.format = decoded->format;
  if (!outcome.format.low_s) outcome.reasons.push_back("high-s signature (malleable form)");
  Result<PublicKey64> key = RecoverPublicKey(Eip191Digest(input.text), decoded->signature);
  if (!key.ok()) {
    outcome.verdict = Verdict::kInvalid;
    outcome.reasons.push_back(key.error());
    return outcome;
  }
  const Address20 signer = AddressFromPublicKey(*key);
  outcome.signer = ToChecksumAddress(signer);
  if (expected && *expected != signer) {
    outcome.verdict = Verdict::kAddressMismatch;
    outcome.reasons.push_back("recovered " + outcome.signer + ", expected " +
                              ToChecksumAddress(*expected));
    return outcome;
  }
  outcome.verdict = Verdict::kValid;
  return outcome;
}

VerifyOutcome VerifyEd25519(const VerifyInput& input) {
  if (!input.expected_address) {
    return Malformed("Ed25519 has no key recovery: the public key (signing_address) is required");
  }
  Result<Bytes> public_key = DecodeHexExact(*input.expected_address, 32);
  if (!public_key.ok()) return Malformed("Ed25519 public key: " + public_key.error());
  VerifyOutcome outcome;
  Result<Ed25519Signature> signature = DecodeEd25519Signature(input.signature, &outcome.format);
  if (!signature.ok()) return Malformed(signature.error());
  Ed25519PublicKey key{};
  std::copy(public_key->begin(), public_key->end(), key.begin());
  if (!Ed25519Verify(key, input.text, *signature)) {
    outcome.verdict = Verdict::kInvalid;
    outcome.reasons.push_back("Ed25519 signature does not verify under " + EncodeHex(key));
    return outcome;
  }
  outcome.signer = EncodeHex(key);
  outcome.verdict = Verdict::kValid;
  return outcome;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return "valid";
    case Verdict::kAddressMismatch:
      return "address_mismatch";
    case Verdict::kInvalid:
      return "invalid";
    case Verdict::kMalformed:
      return "malformed";
  }
  return "unknown";
}

VerifyOutcome VerifySignedText(const VerifyInput& input) {
  return input.algo == SignatureAlgo::kEcdsa ? VerifyEcdsa(input) : VerifyEd25519(input);
}

}  // namespace teeharness::crypto
