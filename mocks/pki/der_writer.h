#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "harness/crypto/bytes.h"

namespace teeharness::mocks::pki::der {

// A minimal DER writer for the few types of Intel's SGX PCK extension: enough to encode it the way
// Intel does, without depending on OpenSSL's ASN.1 templates. Thread-safe (pure functions).

inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kEnumerated = 0x0a;
inline constexpr uint8_t kSequence = 0x30;

// tag, definite length (short or long form), contents.
crypto::Bytes Tlv(uint8_t tag, crypto::ByteSpan contents);
// An OBJECT IDENTIFIER from dotted text ("1.2.840.113741.1.13.1"); arcs in base 128.
crypto::Bytes Oid(std::string_view dotted);
// A non-negative INTEGER (or ENUMERATED with tag kEnumerated), minimal two's complement.
crypto::Bytes Unsigned(uint64_t value, uint8_t tag = kInteger);
crypto::Bytes Octets(crypto::ByteSpan bytes);
// SEQUENCE of already-encoded elements, in order.
crypto::Bytes Sequence(std::initializer_list<crypto::ByteSpan> elements);
crypto::Bytes Sequence(const crypto::Bytes& concatenated_elements);

}  // namespace teeharness::mocks::pki::der
