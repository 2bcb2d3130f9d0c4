#include "harness/attestation/pki/crl_distribution_point.h"

#include <openssl/x509v3.h>

#include <memory>
#include <string_view>

namespace teeharness::attestation::pki {
namespace {

struct DistPointsFree {
  void operator()(CRL_DIST_POINTS* points) const { CRL_DIST_POINTS_free(points); }
};

bool IsHttpUrl(std::string_view uri) {
  return uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0;
}

}  // namespace

Result<std::string> CrlDistributionPointUrl(const Certificate& cert) {
  int critical = 0;
  // X509_get_ext_d2i decodes a fresh copy of the extension: nothing cached in the X509 changes.
  std::unique_ptr<CRL_DIST_POINTS, DistPointsFree> points(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(cert.get(), NID_crl_distribution_points, &critical, nullptr)));
  if (!points) {
    return MakeError(cert.subject(), " has no CRL distribution point");
  }
  for (int i = 0; i < sk_DIST_POINT_num(points.get()); ++i) {
    const DIST_POINT* point = sk_DIST_POINT_value(points.get(), i);
    if (point->distpoint == nullptr || point->distpoint->type != 0) continue;  // 0: fullName
    const GENERAL_NAMES* names = point->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, j);
      if (name->type != GEN_URI) continue;
      const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
      const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                                  static_cast<size_t>(ASN1_STRING_length(uri)));
      if (IsHttpUrl(text)) return std::string(text);
    }
  }
  return MakeError(cert.subject(), " has no http(s) CRL distribution point");
}

}  // namespace teeharness::attestation::pki
