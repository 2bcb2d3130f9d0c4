#pragma once

#include <string>

#include "harness/attestation/pki/certificate.h"
#include "harness/base/result.h"

namespace teeharness::attestation::pki {

// The first http:// or https:// URI of `cert`'s CRL Distribution Points extension (OID 2.5.29.31),
// e.g. "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der" for Intel's SGX Root
// CA, which is where Intel's PCS publishes the root CA CRL (it has no rootcacrl route). Other
// schemes (ldap:, file:) are skipped: the URI comes from a server's certificate. An error when
// there is none. Thread-safe (read-only on the certificate).
Result<std::string> CrlDistributionPointUrl(const Certificate& cert);

}  // namespace teeharness::attestation::pki
