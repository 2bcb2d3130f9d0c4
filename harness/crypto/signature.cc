#include "harness/crypto/signature.h"

#include <algorithm>

#include "harness/crypto/hex.h"

namespace teeharness::crypto {

Result<SignatureAlgo> ParseSignatureAlgo(std::string_view name) {
  if (name == "ecdsa") return SignatureAlgo::kEcdsa;
  if (name == "ed25519") return SignatureAlgo::kEd25519;
  return MakeError("unknown signing algorithm '", name, "' (expected ecdsa or ed25519)");
}

std::string_view SignatureAlgoName(SignatureAlgo algo) {
  return algo == SignatureAlgo::kEcdsa ? "ecdsa" : "ed25519";
}

Result<DecodedEcdsaSignature> DecodeEcdsaSignature(std::string_view text) {
  Result<Bytes> bytes = DecodeHexExact(text, 65);
  if (!bytes.ok()) return MakeError("ECDSA signature: ", bytes.error());
  DecodedEcdsaSignature out;
  out.format.has_0x_prefix = HasHexPrefix(text);
  out.format.v = (*bytes)[64];
  switch (out.format.v) {
    case 27:
    case 28:
      out.signature.recovery_id = out.format.v - 27;
      break;
    case 0:
    case 1:
      out.signature.recovery_id = out.format.v;
      break;
    default:
      return MakeError("ECDSA signature: v = ", out.format.v, " (expected 27, 28, 0 or 1)");
  }
  std::copy_n(bytes->begin(), 64, out.signature.rs.begin());
  out.format.low_s = IsLowS(out.signature.rs);
  return out;
}

Result<Ed25519Signature> DecodeEd25519Signature(std::string_view text, SignatureFormat* format) {
  Result<Bytes> bytes = DecodeHexExact(text, 64);
  if (!bytes.ok()) return MakeError("Ed25519 signature: ", bytes.error());
  if (format != nullptr) *format = SignatureFormat{HasHexPrefix(text), -1, true};
  Ed25519Signature out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

std::string EncodeEthSignature(const EthSignature65& signature) {
  return "0x" + EncodeHex(signature);
}

}  // namespace teeharness::crypto
