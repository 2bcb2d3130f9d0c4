#include "harness/attestation/pki/der_reader.h"

namespace teeharness::attestation::pki {

Result<DerElement> DerReader::Next() {
  const size_t start = position_;
  const size_t size = data_.size();
  if (start >= size) return MakeError("unexpected end of DER at offset ", offset());
  const uint8_t tag = data_[start];
  if ((tag & 0x1f) == 0x1f) {
    return MakeError("unsupported multi-byte DER tag at offset ", base_offset_ + start);
  }
  size_t cursor = start + 1;
  if (cursor >= size) return MakeError("DER length missing at offset ", base_offset_ + cursor);
  const uint8_t first = data_[cursor++];
  size_t length = 0;
  if (first < 0x80) {
    length = first;
  } else {
    const size_t length_bytes = first & 0x7f;
    if (length_bytes == 0) {
      return MakeError("indefinite DER length at offset ", base_offset_ + cursor - 1);
    }
    if (length_bytes > 4) {
      return MakeError("DER length too large at offset ", base_offset_ + cursor - 1);
    }
    if (length_bytes > size - cursor) {
      return MakeError("truncated DER length at offset ", base_offset_ + cursor - 1);
    }
    for (size_t i = 0; i < length_bytes; ++i) length = (length << 8) | data_[cursor++];
    // DER: long form only when needed, and without leading zero bytes.
    if (length < 0x80 || (length_bytes > 1 && data_[cursor - length_bytes] == 0)) {
      return MakeError("non-minimal DER length at offset ", base_offset_ + start + 1);
    }
  }
  if (length > size - cursor) {
    return MakeError("DER element at offset ", base_offset_ + start, " claims ", length,
                     " bytes but only ", size - cursor, " remain");
  }
  DerElement element{tag, data_.subspan(cursor, length), base_offset_ + start,
                     base_offset_ + cursor};
  position_ = cursor + length;
  return element;
}

Result<DerElement> DerReader::Expect(uint8_t tag, std::string_view what) {
  const size_t at = offset();
  auto element = Next();
  if (!element) return MakeError(what, ": ", element.error());
  if (element->tag != tag) {
    return MakeError(what, ": expected DER tag ", static_cast<int>(tag), " at offset ", at,
                     ", found ", static_cast<int>(element->tag));
  }
  return element;
}

DerReader DerReader::Inside(const DerElement& element) {
  return DerReader(element.value, element.content_offset);
}

Result<uint64_t> DerUnsigned(const DerElement& element, uint64_t max, std::string_view what) {
  const crypto::ByteSpan v = element.value;
  if (v.empty()) return MakeError(what, ": empty integer at offset ", element.offset);
  if ((v[0] & 0x80) != 0) return MakeError(what, ": negative integer at offset ", element.offset);
  if (v.size() > 1 && v[0] == 0 && (v[1] & 0x80) == 0) {
    return MakeError(what, ": non-minimal integer at offset ", element.offset);
  }
  size_t start = v[0] == 0 ? 1 : 0;
  if (v.size() - start > 8)
    return MakeError(what, ": integer too large at offset ", element.offset);
  uint64_t value = 0;
  for (size_t i = start; i < v.size(); ++i) value = (value << 8) | v[i];
  if (value > max) {
    return MakeError(what, ": value ", value, " exceeds ", max, " at offset ", element.offset);
  }
  return value;
}

std::string OidToString(crypto::ByteSpan contents) {
  if (contents.empty()) return "<malformed OID>";
  std::string out;
  uint64_t value = 0;
  bool first = true;
  size_t digits = 0;
  for (size_t i = 0; i < contents.size(); ++i) {
    if (value > (UINT64_MAX >> 7)) return "<malformed OID>";
    value = (value << 7) | (contents[i] & 0x7f);
    ++digits;
    if ((contents[i] & 0x80) != 0) continue;
    if (first) {
      const uint64_t head = value < 40 ? 0 : value < 80 ? 1 : 2;
      out = std::to_string(head) + "." + std::to_string(value - head * 40);
      first = false;
    } else {
      out += "." + std::to_string(value);
    }
    value = 0;
    digits = 0;
  }
  if (digits != 0) return "<malformed OID>";
  return out;
}

}  // namespace teeharness::attestation::pki
