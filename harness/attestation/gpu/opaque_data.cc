#include "harness/attestation/gpu/opaque_data.h"

#include <cstdio>

namespace teeharness::attestation::gpu {
namespace {

uint16_t U16(crypto::ByteSpan b, size_t at) {
  return static_cast<uint16_t>(b[at] | (b[at + 1] << 8));
}

}  // namespace

const OpaqueField* OpaqueData::Find(uint16_t type) const {
  for (const OpaqueField& field : fields) {
    if (field.type == type) return &field;
  }
  return nullptr;
}

std::string OpaqueData::DriverVersion() const {
  const OpaqueField* field = Find(kOpaqueDriverVersion);
  if (field == nullptr) return "";
  std::string text;
  for (uint8_t c : field->value) {
    if (c == 0) break;
    // The version goes into reports and metric labels: keep it printable.
    text += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  return text;
}

std::string OpaqueData::VbiosVersion() const {
  const OpaqueField* field = Find(kOpaqueVbiosVersion);
  if (field == nullptr || field->value.size() != 8) return "";
  // nvtrust's format_vbios_version: the 8 bytes read as a little-endian number, its upper four
  // bytes (most significant first) then byte 3: 00 9f 00 96 01 00 00 00 -> 96.00.9F.00.01.
  const crypto::Bytes& v = field->value;
  const uint8_t order[5] = {v[3], v[2], v[1], v[0], v[4]};
  std::string text;
  char piece[4];
  for (size_t i = 0; i < 5; ++i) {
    std::snprintf(piece, sizeof(piece), "%02X", order[i]);
    if (i) text += '.';
    text += piece;
  }
  return text;
}

Result<OpaqueData> ParseOpaqueData(crypto::ByteSpan bytes, size_t base_offset) {
  OpaqueData out;
  size_t at = 0;
  while (at < bytes.size()) {
    if (bytes.size() - at < 4) {
      return MakeError("opaque data TLV header at offset ", base_offset + at, " needs 4 bytes; ",
                       bytes.size() - at, " remain");
    }
    OpaqueField field;
    field.type = U16(bytes, at);
    const size_t size = U16(bytes, at + 2);
    if (bytes.size() - at - 4 < size) {
      return MakeError("opaque data field type ", field.type, " at offset ", base_offset + at,
                       " declares ", size, " bytes; ", bytes.size() - at - 4, " remain");
    }
    field.value.assign(bytes.begin() + at + 4, bytes.begin() + at + 4 + size);
    out.fields.push_back(std::move(field));
    at += 4 + size;
  }
  return out;
}

}  // namespace teeharness::attestation::gpu
