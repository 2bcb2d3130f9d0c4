#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/attestation/pki/certificate.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// Which Intel PCK CA issued the PCK certificate; its CRL is fetched with ?ca=platform|processor.
enum class PckCa { kPlatform, kProcessor };
std::string_view PckCaName(PckCa ca);  // "platform" | "processor"

// What a quote's collateral is looked up by: the platform's FMSPC and the PCK CA. Value type.
struct CollateralKey {
  crypto::Bytes fmspc;  // 6 bytes, from the PCK certificate's SGX extension
  PckCa ca = PckCa::kPlatform;
};

// From a PCK chain, leaf first: the FMSPC from the leaf's SGX extension; the CA from the leaf's
// issuer ("... PCK Processor CA" or "... PCK Platform CA", Intel's names and the mock's). An issuer
// naming neither is an error naming it. Thread-safe (pure).
Result<CollateralKey> CollateralKeyFromPckChain(const std::vector<pki::Certificate>& chain);

// The same from a whole TDX quote's certification data (parse errors are the parsers').
// Thread-safe.
Result<CollateralKey> CollateralKeyFromQuote(crypto::ByteSpan quote);

}  // namespace teeharness::attestation
