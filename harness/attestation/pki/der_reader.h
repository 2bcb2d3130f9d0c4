#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// One DER element: its (single-byte) tag, its contents, and where it starts in the outermost input
// (for error messages).
struct DerElement {
  uint8_t tag = 0;
  crypto::ByteSpan value;
  size_t offset = 0;          // Of the tag byte.
  size_t content_offset = 0;  // Of the first contents byte.
};

// A minimal bounds-checked DER reader over untrusted bytes: definite lengths only, single-byte
// tags, minimal length encodings, no reads past the span. Enough for Intel's SGX extension.
// Not thread-safe (a cursor); cheap to copy.
class DerReader {
 public:
  // `base_offset` is the position of `data` within the outermost input.
  explicit DerReader(crypto::ByteSpan data, size_t base_offset = 0)
      : data_(data), base_offset_(base_offset) {}

  bool done() const { return position_ >= data_.size(); }
  size_t offset() const { return base_offset_ + position_; }

  // Reads the next element of any tag.
  Result<DerElement> Next();
  // Reads the next element and requires `tag`.
  Result<DerElement> Expect(uint8_t tag, std::string_view what);

  // A reader over an element's contents, offsets kept relative to the outermost input.
  static DerReader Inside(const DerElement& element);

 private:
  crypto::ByteSpan data_;
  size_t base_offset_;
  size_t position_ = 0;
};

// Tags used here.
inline constexpr uint8_t kDerInteger = 0x02;
inline constexpr uint8_t kDerOctetString = 0x04;
inline constexpr uint8_t kDerOid = 0x06;
inline constexpr uint8_t kDerEnumerated = 0x0a;
inline constexpr uint8_t kDerSequence = 0x30;

// A non-negative DER INTEGER/ENUMERATED contents as an unsigned value no larger than `max`.
Result<uint64_t> DerUnsigned(const DerElement& element, uint64_t max, std::string_view what);

// Dotted text of OID contents ("1.2.840.113741.1.13.1.2"), for messages; "<malformed OID>" if the
// encoding is bad. Never reads out of bounds.
std::string OidToString(crypto::ByteSpan contents);

}  // namespace teeharness::attestation::pki
