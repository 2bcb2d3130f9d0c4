#pragma once

#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// The collateral a TDX quote is verified against, in dcap-qvl's QuoteCollateralV3 shape. The
// signed JSON texts are kept as their exact bytes: the signatures cover them. Value type.
struct Collateral {
  std::string tcb_info;               // exact text of the tcbInfo object
  crypto::Bytes tcb_info_signature;   // raw r||s, 64 bytes
  std::string tcb_info_issuer_chain;  // PEM: TCB signing certificate, root
  std::string qe_identity;            // exact text of the enclaveIdentity object
  crypto::Bytes qe_identity_signature;
  std::string qe_identity_issuer_chain;
  crypto::Bytes pck_crl;             // DER
  crypto::Bytes root_ca_crl;         // DER
  std::string pck_crl_issuer_chain;  // PEM: PCK Platform (or Processor) CA, root
  // Newer dcap-qvl writes the PCK chain too (optional; empty when absent). The quote's own
  // certification data is what the verifier uses; this is kept for tools that compare the two.
  std::string pck_certificate_chain;
};

// Parses dcap-qvl's QuoteCollateralV3 JSON: tcb_info and qe_identity as JSON strings (their text
// kept byte for byte), chains as PEM, signatures and CRLs as hex. dcap-qvl serializes its byte
// fields with serde_bytes, which serde_json writes as an array of numbers, so every byte field also
// accepts [48,130,...]; CRLs also accept PEM ("-----BEGIN X509 CRL-----"). Signatures must be 64
// bytes, CRLs non-empty. Unknown members are ignored. Errors name the field
// ("collateral.pck_crl: ..."). Collateral comes from a server or a file of one: never throws.
// Thread-safe (pure).
Result<Collateral> ParseCollateralJson(std::string_view json);

}  // namespace teeharness::attestation
