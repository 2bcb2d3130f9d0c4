#pragma once

#include <optional>
#include <string>

#include "mocks/pki/mock_pki.h"
#include "mocks/signer_backend.h"

namespace teeharness::mocks::pki {

// Intel PCS v4 style collateral routes of the mock, plus two conveniences:
//   GET /sgx/certification/v4/pckcrl?ca=platform[&encoding=der]  PCK CRL (DER, or PEM by default)
//                                     header SGX-PCK-CRL-Issuer-Chain (URL-encoded PEM)
//   GET /sgx/certification/v4/rootcacrl                       root CA CRL, hex of the DER
//   GET /tdx/certification/v4/tcb?fmspc=HEX                   {"tcbInfo":...,"signature":...}
//                                     header TCB-Info-Issuer-Chain
//   GET /tdx/certification/v4/qe/identity {"enclaveIdentity":...,"signature":...}
//                                     header SGX-Enclave-Identity-Issuer-Chain
//   GET /mock/pki/root.pem                                    the trust root
//   GET /mock/pki/collateral.json                             dcap-qvl QuoteCollateralV3 JSON
//   GET /mock/pki/reference.json        the image's reference measurements {mrtd, rtmr0..rtmr3}
//   GET /mock/pki/nvidia-root.pem                             the GPU evidence's trust root
//   GET /mock/pki/nvidia-rim-root.pem                         the RIM signing root
//   GET /mock/pki/rims/driver.swidtag, /mock/pki/rims/vbios.swidtag   the GPUs' signed RIMs
// Returns nullopt for any other path (the dialect's backend answers those). `collateral` picks the
// TCB info / QE identity variant (kExpired for a collateral_expired fault). Thread-safe.
std::optional<MockReply> HandlePkiRequest(
    const MockPki& pki, const std::string& method, const std::string& target,
    MockPki::Collateral collateral = MockPki::Collateral::kCurrent);

// Percent-encoding of everything but RFC 3986 unreserved characters, as the PCS encodes its
// issuer-chain headers.
std::string UrlEncode(const std::string& text);

}  // namespace teeharness::mocks::pki
