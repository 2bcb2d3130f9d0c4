#include "harness/attestation/gpu/spdm_evidence.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "harness/crypto/hex.h"

namespace teeharness::attestation::gpu {
namespace {

constexpr uint8_t kGetMeasurements = 0xe0;
constexpr uint8_t kMeasurements = 0x60;

// A bounds-checked reader over the evidence; each read names its field and offset.
class Reader {
 public:
  explicit Reader(crypto::ByteSpan bytes) : bytes_(bytes) {}
  size_t at() const { return at_; }
  size_t remaining() const { return bytes_.size() - at_; }

  Result<crypto::ByteSpan> Take(size_t n, std::string_view field) {
    if (remaining() < n) {
      return MakeError("SPDM ", field, " at offset ", at_, " needs ", n, " bytes; ", remaining(),
                       " remain");
    }
    crypto::ByteSpan out = bytes_.subspan(at_, n);
    at_ += n;
    return out;
  }
  // Little-endian unsigned of `n` (1..3) bytes.
  Result<uint32_t> TakeLe(size_t n, std::string_view field) {
    Result<crypto::ByteSpan> b = Take(n, field);
    if (!b.ok()) return Error{b.error()};
    uint32_t v = 0;
    for (size_t i = n; i-- > 0;) v = (v << 8) | (*b)[i];
    return v;
  }

 private:
  crypto::ByteSpan bytes_;
  size_t at_ = 0;
};

template <size_t N>
void CopyTo(crypto::ByteSpan from, std::array<uint8_t, N>& to) {
  std::copy_n(from.begin(), N, to.begin());
}

Result<SpdmRequest> ReadRequest(Reader& r) {
  Result<crypto::ByteSpan> b = r.Take(kSpdmRequestSize, "GET_MEASUREMENTS request");
  if (!b.ok()) return Error{b.error()};
  SpdmRequest req;
  req.version = (*b)[0];
  if ((*b)[1] != kGetMeasurements) {
    return MakeError("SPDM request code ", static_cast<int>((*b)[1]),
                     " at offset 1 is not GET_MEASUREMENTS (0xe0)");
  }
  req.param1 = (*b)[2];
  req.param2 = (*b)[3];
  CopyTo(b->subspan(4, 32), req.nonce);
  req.slot_id = (*b)[36];
  return req;
}

// The measurement record: `count` blocks filling exactly `length` bytes.
Result<std::vector<MeasurementBlock>> ReadBlocks(Reader& r, size_t count, size_t length) {
  const size_t start = r.at();
  Result<crypto::ByteSpan> record = r.Take(length, "measurement record");
  if (!record.ok()) return Error{record.error()};
  std::vector<MeasurementBlock> blocks;
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    const size_t offset = start + at;
    if (length - at < 4) {
      return MakeError("SPDM measurement block ", i, " at offset ", offset,
                       " needs a 4-byte header; ", length - at, " bytes of the record remain");
    }
    MeasurementBlock block;
    block.index = (*record)[at];
    block.specification = (*record)[at + 1];
    const size_t size = (*record)[at + 2] | ((*record)[at + 3] << 8);
    if (length - at - 4 < size) {
      return MakeError("SPDM measurement block ", i, " at offset ", offset, " declares ", size,
                       " bytes; ", length - at - 4, " remain in the record");
    }
    if (block.specification != 1) {
      return MakeError("SPDM measurement block ", i, " at offset ", offset + 1,
                       " has specification ", static_cast<int>(block.specification),
                       "; only DMTF (1) is defined");
    }
    if (size < 3) {
      return MakeError("SPDM measurement block ", i, " at offset ", offset, " is ", size,
                       " bytes; a DMTF measurement needs 3");
    }
    const crypto::ByteSpan m = record->subspan(at + 4, size);
    block.dmtf_type = m[0];
    const size_t value_size = m[1] | (m[2] << 8);
    if (value_size != size - 3) {
      return MakeError("SPDM measurement block ", i, " at offset ", offset + 5,
                       " declares a value of ", value_size, " bytes in a ", size - 3,
                       "-byte measurement");
    }
    block.value.assign(m.begin() + 3, m.end());
    blocks.push_back(std::move(block));
    at += 4 + size;
  }
  if (at != length) {
    return MakeError("SPDM measurement record at offset ", start, " is ", length, " bytes but its ",
                     count, " blocks use ", at);
  }
  return blocks;
}

Result<bool> ReadResponseHeader(Reader& r, SpdmEvidence& out, size_t& count, size_t& length) {
  Result<crypto::ByteSpan> h = r.Take(8, "MEASUREMENTS response header");
  if (!h.ok()) return Error{h.error()};
  out.response_version = (*h)[0];
  if ((*h)[1] != kMeasurements) {
    return MakeError("SPDM response code ", static_cast<int>((*h)[1]), " at offset ",
                     kSpdmRequestSize + 1, " is not MEASUREMENTS (0x60)");
  }
  if (out.response_version != out.request.version) {
    return MakeError("SPDM response version ", static_cast<int>(out.response_version),
                     " at offset ", kSpdmRequestSize, " differs from the request's ",
                     static_cast<int>(out.request.version));
  }
  out.response_param1 = (*h)[2];
  out.response_param2 = (*h)[3];
  count = (*h)[4];
  length = (*h)[5] | ((*h)[6] << 8) | ((*h)[7] << 16);
  return true;
}

}  // namespace

Result<SpdmEvidence> ParseSpdmEvidence(crypto::ByteSpan evidence) {
  Reader r(evidence);
  SpdmEvidence out;
  Result<SpdmRequest> request = ReadRequest(r);
  if (!request.ok()) return Error{request.error()};
  out.request = *request;
  size_t count = 0, length = 0;
  if (Result<bool> h = ReadResponseHeader(r, out, count, length); !h.ok()) return Error{h.error()};
  Result<std::vector<MeasurementBlock>> blocks = ReadBlocks(r, count, length);
  if (!blocks.ok()) return Error{blocks.error()};
  out.blocks = std::move(blocks).value();
  Result<crypto::ByteSpan> nonce = r.Take(32, "responder nonce");
  if (!nonce.ok()) return Error{nonce.error()};
  CopyTo(*nonce, out.responder_nonce);
  Result<uint32_t> opaque_length = r.TakeLe(2, "opaque data length");
  if (!opaque_length.ok()) return Error{opaque_length.error()};
  const size_t opaque_at = r.at();
  Result<crypto::ByteSpan> opaque = r.Take(*opaque_length, "opaque data");
  if (!opaque.ok()) return Error{opaque.error()};
  Result<OpaqueData> tlvs = ParseOpaqueData(*opaque, opaque_at);
  if (!tlvs.ok()) return MakeError("SPDM ", tlvs.error());
  out.opaque = std::move(tlvs).value();
  out.signed_length = r.at();
  Result<crypto::ByteSpan> signature = r.Take(kP384SignatureSize, "signature");
  if (!signature.ok()) return Error{signature.error()};
  CopyTo(*signature, out.signature);
  if (r.remaining() != 0) {
    return MakeError("SPDM evidence has ", r.remaining(), " bytes after the signature at offset ",
                     r.at());
  }
  return out;
}

crypto::Bytes DecodeEvidenceBytes(crypto::ByteSpan decoded) {
  std::string_view text(reinterpret_cast<const char*>(decoded.data()), decoded.size());
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  // Raw evidence starts with the bytes 0x11 0xe0, never the ASCII "11e0".
  if (text.size() >= 4 && (text.substr(0, 4) == "11e0" || text.substr(0, 4) == "11E0")) {
    if (Result<crypto::Bytes> hex = crypto::DecodeHex(text); hex.ok())
      return std::move(hex).value();
  }
  return crypto::Bytes(decoded.begin(), decoded.end());
}

}  // namespace teeharness::attestation::gpu
