#pragma once

#include <cstdint>
#include <string>

#include "harness/base/result.h"

typedef struct asn1_string_st ASN1_TIME;

namespace teeharness::attestation::pki {

// Unix seconds of an ASN.1 UTCTime/GeneralizedTime. Computed with our own civil-date arithmetic so
// that years up to 9999 (NVIDIA's "never expires" certificates) work regardless of time_t or TZ.
// Thread-safe (pure function).
Result<int64_t> Asn1TimeToUnix(const ASN1_TIME* time);

// "2025-07-19T10:00:34Z". Used in error messages so times are readable. Thread-safe.
std::string FormatRfc3339(int64_t unix_seconds);

}  // namespace teeharness::attestation::pki
