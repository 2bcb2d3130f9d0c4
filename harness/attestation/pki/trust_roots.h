#pragma once

#include "harness/attestation/pki/certificate.h"

namespace teeharness::attestation::pki {

// The public trust anchors, embedded (verification must work offline). Compared with a chain's top
// by full DER, never by name. Thread-safe (parsed once, on first use, into function-local statics).
const Certificate& IntelSgxRootCa();
const Certificate& NvidiaDeviceIdentityCa();

}  // namespace teeharness::attestation::pki
