#pragma once

#include <string>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/collateral/collateral_key.h"
#include "harness/attestation/collateral/http_get.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// Intel's own PCS: the default collateral source against a real target.
inline constexpr char kIntelPcsBaseUrl[] = "https://api.trustedservices.intel.com";

// The URLs of one Intel PCS v4 service: Intel's PCS, a PCCS or the mock. Value type.
class PcsEndpoints {
 public:
  // `base_url` is the service's root ("https://api.trustedservices.intel.com"); a trailing '/' and
  // a trailing "/sgx/certification/v4" or "/tdx/certification/v4" (how PCCS URLs are often given)
  // are dropped.
  explicit PcsEndpoints(std::string base_url);

  const std::string& base_url() const { return base_url_; }
  // Intel's own PCS has no rootcacrl route: the root CA CRL is at the root's CRL distribution
  // point.
  bool IsIntelPcs() const;

  std::string TcbInfo(crypto::ByteSpan fmspc) const;  // /tdx/certification/v4/tcb?fmspc=HEX
  std::string QeIdentity() const;                     // /tdx/certification/v4/qe/identity
  std::string PckCrl(PckCa ca) const;  // /sgx/certification/v4/pckcrl?ca=..&encoding=der
  std::string RootCaCrl() const;       // /sgx/certification/v4/rootcacrl (PCCS: hex text)

 private:
  std::string base_url_;
};

// Fetches and decodes one platform's collateral into the struct ParseCollateralJson produces, so
// VerifyQuote consumes it unchanged:
//   tcb_info, qe_identity: the inner objects' exact served bytes, with their hex signatures;
//   issuer chains: the URL-decoded PEM headers TCB-Info-Issuer-Chain (or the v3 name
//     SGX-TCB-Info-Issuer-Chain), SGX-Enclave-Identity-Issuer-Chain, SGX-PCK-CRL-Issuer-Chain;
//   pck_crl: DER (encoding=der; hex or PEM accepted too);
//   root_ca_crl: the PCCS's rootcacrl (hex of the DER); for Intel's PCS, or when that route fails,
//     the CRL distribution point of the top certificate of the QE identity's issuer chain (the
//     root).
// Any failure is an Error naming the URL and the HTTP status or transport error; nothing is checked
// cryptographically here (VerifyQuote does that). Thread-safe if `get` is.
Result<Collateral> FetchPcsCollateral(const PcsEndpoints& endpoints, const CollateralKey& key,
                                      const HttpGet& get);

}  // namespace teeharness::attestation
