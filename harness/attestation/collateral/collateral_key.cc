#include "harness/attestation/collateral/collateral_key.h"

#include "harness/attestation/pki/sgx_extensions.h"
#include "harness/attestation/quote/tdx_quote.h"

namespace teeharness::attestation {

std::string_view PckCaName(PckCa ca) { return ca == PckCa::kProcessor ? "processor" : "platform"; }

Result<CollateralKey> CollateralKeyFromPckChain(const std::vector<pki::Certificate>& chain) {
  if (chain.empty()) return MakeError("PCK chain is empty");
  Result<pki::PckExtensions> extensions = pki::ParsePckExtensions(chain.front());
  if (!extensions.ok()) return MakeError("PCK certificate: ", extensions.error());
  CollateralKey key;
  key.fmspc = extensions->fmspc;
  const std::string& issuer = chain.front().issuer();
  if (issuer.find("PCK Processor CA") != std::string::npos) {
    key.ca = PckCa::kProcessor;
  } else if (issuer.find("PCK Platform CA") != std::string::npos) {
    key.ca = PckCa::kPlatform;
  } else {
    return MakeError("PCK certificate issuer '", issuer,
                     "' is neither a PCK Platform CA nor a PCK Processor CA");
  }
  return key;
}

Result<CollateralKey> CollateralKeyFromQuote(crypto::ByteSpan quote) {
  Result<TdxQuote> parsed = ParseTdxQuote(quote);
  if (!parsed.ok()) return Error{parsed.error()};
  Result<QuoteSignature> signature = ParseQuoteSignature(quote, *parsed);
  if (!signature.ok()) return Error{signature.error()};
  Result<std::vector<pki::Certificate>> chain = pki::ParsePemChain(signature->pck_chain_pem);
  if (!chain.ok()) return MakeError("PCK chain: ", chain.error());
  return CollateralKeyFromPckChain(*chain);
}

}  // namespace teeharness::attestation
