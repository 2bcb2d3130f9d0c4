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
};

// Parses dcap-qvl's QuoteCollateralV3 JSON: tcb_info and qe_identity as JSON strings, signatures
// as hex, CRLs as hex of DER (or a JSON array of byte values, or PEM text), chains as PEM. Errors
// name the field. Collateral comes from a server or a file of one: never throws. Thread-safe.
Result<Collateral> ParseCollateralJson(std::string_view json);

}  // namespace teeharness::attestation
