#include "mocks/pki/der_writer.h"

#include <string>
#include <vector>

namespace teeharness::mocks::pki::der {

crypto::Bytes Tlv(uint8_t tag, crypto::ByteSpan contents) {
  crypto::Bytes out{tag};
  const size_t n = contents.size();
  if (n < 0x80) {
    out.push_back(static_cast<uint8_t>(n));
  } else {
    crypto::Bytes length;
    for (size_t rest = n; rest > 0; rest >>= 8) length.insert(length.begin(), rest & 0xff);
    out.push_back(static_cast<uint8_t>(0x80 | length.size()));
    out.insert(out.end(), length.begin(), length.end());
  }
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

crypto::Bytes Oid(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  size_t start = 0;
  while (start <= dotted.size()) {
    const size_t dot = std::min(dotted.find('.', start), dotted.size());
    arcs.push_back(std::stoull(std::string(dotted.substr(start, dot - start))));
    start = dot + 1;
  }
  crypto::Bytes contents;
  auto base128 = [&contents](uint64_t arc) {
    crypto::Bytes digits{static_cast<uint8_t>(arc & 0x7f)};
    for (arc >>= 7; arc > 0; arc >>= 7) digits.insert(digits.begin(), 0x80 | (arc & 0x7f));
    contents.insert(contents.end(), digits.begin(), digits.end());
  };
  base128(arcs[0] * 40 + arcs[1]);  // the first two arcs share one number
  for (size_t i = 2; i < arcs.size(); ++i) base128(arcs[i]);
  return Tlv(kOid, contents);
}

crypto::Bytes Unsigned(uint64_t value, uint8_t tag) {
  crypto::Bytes contents;
  do {
    contents.insert(contents.begin(), static_cast<uint8_t>(value & 0xff));
    value >>= 8;
  } while (value > 0);
  if (contents[0] & 0x80) contents.insert(contents.begin(), 0);  // stays non-negative
  return Tlv(tag, contents);
}

crypto::Bytes Octets(crypto::ByteSpan bytes) { return Tlv(kOctetString, bytes); }

crypto::Bytes Sequence(std::initializer_list<crypto::ByteSpan> elements) {
  crypto::Bytes contents;
  for (crypto::ByteSpan e : elements) contents.insert(contents.end(), e.begin(), e.end());
  return Tlv(kSequence, contents);
}

crypto::Bytes Sequence(const crypto::Bytes& concatenated_elements) {
  return Tlv(kSequence, concatenated_elements);
}

}  // namespace teeharness::mocks::pki::der
