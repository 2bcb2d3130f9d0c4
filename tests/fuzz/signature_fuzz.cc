// Signature bodies, hex and signature decoding, signed-text parsing and full verification over
// untrusted bytes. The first byte picks the algorithm; the rest is split into text and signature.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/checks/signature_checks.h"
#include "harness/crypto/address.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/signature.h"
#include "harness/crypto/signed_text.h"
#include "harness/protocol/signature_response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)protocol::ParseSignatureDocument(input);
  (void)protocol::ParseSignatureErrorCode(input);
  (void)crypto::ParseSignedText(input);
  (void)crypto::DecodeBase64(input);
  (void)crypto::DecodeHex(input);
  (void)crypto::DecodeEcdsaSignature(input);
  (void)crypto::ParseAddress(input);
  if (const Result<crypto::Bytes> hex = crypto::DecodeHex(input); hex.ok()) {
    // Whatever decodes must encode back to the same digits (lowercase, without 0x).
    std::string digits(crypto::HasHexPrefix(input) ? input.substr(2) : input);
    for (char& c : digits) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (crypto::EncodeHex(*hex) != digits) __builtin_trap();
  }
  if (size < 2) return 0;
  const size_t split = data[1] % size;
  checks::SignedCompletion completion;
  completion.algo = data[0] & 1 ? crypto::SignatureAlgo::kEd25519 : crypto::SignatureAlgo::kEcdsa;
  completion.signed_text = std::string(input.substr(2, split > 2 ? split - 2 : 0));
  completion.signature = std::string(input.substr(split));
  completion.attested_address = completion.signature.substr(0, 66);
  completion.signature_address = completion.signed_text.substr(0, 42);
  crypto::VerifyOutcome verification;
  (void)checks::CheckSignedCompletion(completion, &verification);
  return 0;
}
