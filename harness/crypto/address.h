#pragma once

#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/secp256k1.h"

namespace teeharness::crypto {

// EIP-55 mixed-case checksum encoding, with the 0x prefix.
std::string ToChecksumAddress(const Address20& address);

// Lowercase with the 0x prefix (NEAR's form).
std::string ToLowerAddress(const Address20& address);

// Parses an Ethereum address: "0x" + 40 hex (the prefix is optional). All-lowercase and
// all-uppercase are accepted without a checksum; mixed case must match EIP-55 exactly or it is an
// Error that shows the correctly checksummed form. Thread-safe.
Result<Address20> ParseAddress(std::string_view text);

// True when both parse and name the same 20 bytes, whatever their case.
bool SameAddress(std::string_view a, std::string_view b);

}  // namespace teeharness::crypto
