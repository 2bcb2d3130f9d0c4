#include "harness/attestation/policy/qe_identity_match.h"

#include <algorithm>

#include "harness/crypto/hex.h"

namespace teeharness::attestation {

Result<QeMatch> MatchQeIdentity(const QeIdentity& id, const QeReportFields& qe) {
  if (!std::equal(id.mrsigner.begin(), id.mrsigner.end(), qe.mrsigner.begin(), qe.mrsigner.end())) {
    return MakeError("QE MRSIGNER ", crypto::EncodeHex(qe.mrsigner), " is not the identity's ",
                     crypto::EncodeHex(id.mrsigner));
  }
  if (qe.isvprodid != id.isvprodid) {
    return MakeError("QE ISVPRODID ", qe.isvprodid, " is not the identity's ", id.isvprodid);
  }
  if ((qe.miscselect & id.miscselect_mask) != (id.miscselect & id.miscselect_mask)) {
    return MakeError("QE MISCSELECT ", qe.miscselect, " does not match ", id.miscselect,
                     " under mask ", id.miscselect_mask);
  }
  if (id.attributes.size() != 16 || id.attributes_mask.size() != 16) {
    return MakeError("QE identity attributes are not 16 bytes");
  }
  for (size_t i = 0; i < 16; ++i) {
    if ((qe.attributes[i] & id.attributes_mask[i]) != (id.attributes[i] & id.attributes_mask[i])) {
      return MakeError("QE attributes ", crypto::EncodeHex(qe.attributes), " do not match ",
                       crypto::EncodeHex(id.attributes), " under mask ",
                       crypto::EncodeHex(id.attributes_mask));
    }
  }
  const auto level =
      std::find_if(id.levels.begin(), id.levels.end(),
                   [&](const QeIdentity::Level& l) { return l.isvsvn <= qe.isvsvn; });
  if (level == id.levels.end()) {
    return MakeError("QE ISVSVN ", qe.isvsvn, " is below every level of the QE identity");
  }
  return QeMatch{level->status, level->advisory_ids};
}

}  // namespace teeharness::attestation
