#include "harness/attestation/collateral/collateral_validity.h"

#include <algorithm>

#include "harness/attestation/collateral/qe_identity.h"
#include "harness/attestation/collateral/tcb_info.h"
#include "harness/attestation/pki/crl.h"

namespace teeharness::attestation {

Result<int64_t> CollateralNextUpdate(const Collateral& c) {
  Result<TcbInfo> tcb = ParseTcbInfo(c.tcb_info);
  if (!tcb.ok()) return Error{tcb.error()};
  Result<QeIdentity> qe = ParseQeIdentity(c.qe_identity);
  if (!qe.ok()) return Error{qe.error()};
  Result<pki::Crl> pck = pki::Crl::FromDer(c.pck_crl);
  if (!pck.ok()) return MakeError("PCK CRL: ", pck.error());
  Result<pki::Crl> root = pki::Crl::FromDer(c.root_ca_crl);
  if (!root.ok()) return MakeError("root CA CRL: ", root.error());
  return std::min({tcb->next_update, qe->next_update, pck->next_update(), root->next_update()});
}

}  // namespace teeharness::attestation
