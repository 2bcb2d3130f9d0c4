#include "harness/attestation/policy/qe_identity_match.h"

#include <algorithm>
#include <cstdio>

#include "harness/attestation/policy/tcb_status.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

std::string Hex32(uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof(text), "%08x", v);
  return text;
}

std::string Hex16(uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04x", v);
  return text;
}

}  // namespace

Result<QeReportFields> ParseQeReportFields(crypto::ByteSpan r) {
  if (r.size() != 384) {
    return MakeError("QE report is ", r.size(), " bytes; an SGX enclave report is 384");
  }
  QeReportFields f;
  f.miscselect = static_cast<uint32_t>(r[16]) | static_cast<uint32_t>(r[17]) << 8 |
                 static_cast<uint32_t>(r[18]) << 16 | static_cast<uint32_t>(r[19]) << 24;
  std::copy(r.begin() + 48, r.begin() + 64, f.attributes.begin());
  std::copy(r.begin() + 128, r.begin() + 160, f.mrsigner.begin());
  f.isvprodid = static_cast<uint16_t>(r[256] | r[257] << 8);
  f.isvsvn = static_cast<uint16_t>(r[258] | r[259] << 8);
  return f;
}

Result<QeMatch> MatchQeIdentity(const QeIdentity& id, const QeReportFields& qe) {
  if (id.attributes.size() != 16 || id.attributes_mask.size() != 16 || id.mrsigner.size() != 32) {
    return MakeError(
        "QE identity attributes, attributesMask and mrsigner must be 16, 16 and 32 "
        "bytes (got ",
        id.attributes.size(), ", ", id.attributes_mask.size(), ", ", id.mrsigner.size(), ")");
  }
  if ((qe.miscselect & id.miscselect_mask) != id.miscselect) {
    return MakeError("QE MISCSELECT ", Hex32(qe.miscselect), " under mask ",
                     Hex32(id.miscselect_mask), " is ", Hex32(qe.miscselect & id.miscselect_mask),
                     ", not the identity's ", Hex32(id.miscselect));
  }
  std::array<uint8_t, 16> masked{};
  for (size_t i = 0; i < 16; ++i) masked[i] = qe.attributes[i] & id.attributes_mask[i];
  if (!std::equal(masked.begin(), masked.end(), id.attributes.begin())) {
    return MakeError("QE ATTRIBUTES ", crypto::EncodeHex(qe.attributes), " under mask ",
                     crypto::EncodeHex(id.attributes_mask), " are ", crypto::EncodeHex(masked),
                     ", not the identity's ", crypto::EncodeHex(id.attributes));
  }
  if (!std::equal(id.mrsigner.begin(), id.mrsigner.end(), qe.mrsigner.begin())) {
    return MakeError("QE MRSIGNER ", crypto::EncodeHex(qe.mrsigner), " is not the identity's ",
                     crypto::EncodeHex(id.mrsigner));
  }
  if (qe.isvprodid != id.isvprodid) {
    return MakeError("QE ISVPRODID ", Hex16(qe.isvprodid), " (", qe.isvprodid,
                     ") is not the identity's ", Hex16(id.isvprodid), " (", id.isvprodid, ")");
  }
  const auto level =
      std::find_if(id.levels.begin(), id.levels.end(),
                   [&](const QeIdentity::Level& l) { return l.isvsvn <= qe.isvsvn; });
  if (level == id.levels.end()) {
    int lowest = 65536;
    for (const auto& l : id.levels) lowest = std::min(lowest, static_cast<int>(l.isvsvn));
    return MakeError("QE ISVSVN ", Hex16(qe.isvsvn), " (", qe.isvsvn,
                     ") is below every level of the QE identity",
                     id.levels.empty() ? std::string(" (it lists none)")
                                       : " (the lowest needs " + std::to_string(lowest) + ")");
  }
  if (Result<TcbStatus> s = ParseTcbStatus(level->status); !s.ok()) {
    return MakeError("QE identity level status: ", s.error());
  }
  return QeMatch{level->status, level->advisory_ids};
}

}  // namespace teeharness::attestation
