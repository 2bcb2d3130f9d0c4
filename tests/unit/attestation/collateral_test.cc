#include "harness/attestation/collateral/collateral.h"

#include <gtest/gtest.h>

#include "harness/attestation/collateral/qe_identity.h"
#include "harness/attestation/collateral/rfc3339.h"
#include "harness/attestation/collateral/tcb_info.h"
#include "harness/attestation/policy/qe_identity_match.h"
#include "harness/attestation/policy/tcb_level.h"
#include "tests/unit/attestation/vectors.h"

namespace teeharness::attestation {
namespace {

Collateral V4() {
  return *ParseCollateralJson(testing::ReadVector("tdx/dcap-qvl-v4.collateral.json"));
}

TEST(Rfc3339, RoundTripsAndRejectsWhatIsNotUtc) {
  EXPECT_EQ(*ParseRfc3339("2025-07-19T10:00:34Z"), 1752919234);
  EXPECT_EQ(FormatRfc3339(1752919234), "2025-07-19T10:00:34Z");
  EXPECT_EQ(*ParseRfc3339("2024-02-29T00:00:00.123Z"), 1709164800);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00+00:00"), 0);
  for (const char* bad : {"2025-07-19", "2025-07-19T10:00:34", "2025-07-19T10:00:34+02:00",
                          "2025-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2025-13-01T00:00:00Z",
                          "2025-07-19T24:00:00Z", "2025-07-19T10:00:34.Z", "x"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

TEST(CollateralJson, ParsesTheRealFileAndNamesMissingOrMistypedFields) {
  const Collateral c = V4();
  EXPECT_EQ(c.tcb_info_signature.size(), 64u);
  EXPECT_EQ(c.pck_crl[0], 0x30);  // DER SEQUENCE
  EXPECT_NE(c.tcb_info.find("\"id\":\"TDX\""), std::string::npos);
  EXPECT_EQ(ParseCollateralJson("{}").error(), "collateral.tcb_info is missing");
  EXPECT_FALSE(ParseCollateralJson("[").ok());
  EXPECT_FALSE(ParseCollateralJson(std::string(100000, '[')).ok());
  std::string text = testing::ReadVector("tdx/dcap-qvl-v4.collateral.json");
  const size_t at = text.find("\"tcb_info_signature\": \"");
  ASSERT_NE(at, std::string::npos) << text.substr(0, 200);
  text.insert(at + 23, "zz");
  EXPECT_NE(ParseCollateralJson(text).error().find("collateral.tcb_info_signature"),
            std::string::npos);
}

TEST(CollateralJson, CrlsAsByteArraysAreAccepted) {
  std::string crl = "[";
  for (uint8_t b : V4().root_ca_crl) crl += std::to_string(b) + ",";
  crl.back() = ']';
  const Collateral c = V4();
  std::string text = testing::ReadVector("tdx/dcap-qvl-v4.collateral.json");
  const size_t key = text.find("\"root_ca_crl\"");
  const size_t start = text.find('"', text.find(':', key));
  const size_t end = text.find('"', start + 1);
  text.replace(start, end - start + 1, crl);
  Result<Collateral> parsed = ParseCollateralJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->root_ca_crl, c.root_ca_crl);
}

TEST(TcbInfo, ParsesLevelsModulesAndRejectsBadShapes) {
  Result<TcbInfo> info = ParseTcbInfo(V4().tcb_info);
  ASSERT_TRUE(info.ok()) << info.error();
  EXPECT_EQ(info->id, "TDX");
  EXPECT_EQ(info->version, 3);
  EXPECT_EQ(info->tcb_evaluation_data_number, 17);
  EXPECT_EQ(info->levels.size(), 2u);
  EXPECT_EQ(info->levels[0].status, "UpToDate");
  EXPECT_EQ(info->levels[0].pce_svn, 11);
  EXPECT_EQ(info->tdx_module_identities.size(), 2u);
  EXPECT_EQ(info->tdx_module_identities[1].id, "TDX_01");
  EXPECT_EQ(ParseTcbInfo("{\"id\":\"TDX\"}").error(), "tcbInfo.version is missing");
  EXPECT_FALSE(ParseTcbInfo("{\"id\":5,\"version\":3}").ok());
  EXPECT_FALSE(ParseTcbInfo("{\"id\":\"TDX\",\"version\":1e300}").ok());
  std::string text = V4().tcb_info;
  text.replace(text.find("\"svn\":2"), 7, "\"svn\":999");
  EXPECT_NE(ParseTcbInfo(text).error().find("outside 0..255"), std::string::npos);
}

TEST(QeIdentity, ParsesAndMatches) {
  Result<QeIdentity> id = ParseQeIdentity(V4().qe_identity);
  ASSERT_TRUE(id.ok()) << id.error();
  EXPECT_EQ(id->id, "TD_QE");
  EXPECT_EQ(id->isvprodid, 2);
  QeReportFields qe;
  std::copy(id->mrsigner.begin(), id->mrsigner.end(), qe.mrsigner.begin());
  std::copy(id->attributes.begin(), id->attributes.end(), qe.attributes.begin());
  qe.isvprodid = 2;
  qe.isvsvn = 4;
  EXPECT_EQ(MatchQeIdentity(*id, qe)->status, "UpToDate");
  qe.isvsvn = 3;
  EXPECT_NE(MatchQeIdentity(*id, qe).error().find("below every level"), std::string::npos);
  qe.isvsvn = 4;
  qe.mrsigner[0] ^= 1;
  EXPECT_EQ(MatchQeIdentity(*id, qe).error().rfind("QE MRSIGNER", 0), 0u);
}

// The Intel rule's module step: a module level that is OutOfDate makes an UpToDate platform
// OutOfDate; an unknown module major version is no match.
TEST(TcbLevel, ModuleIdentityStatusIsFoldedIn) {
  TcbInfo info = *ParseTcbInfo(V4().tcb_info);
  TcbInputs in;
  in.sgx_components = info.levels[0].sgx_components;
  in.pce_svn = info.levels[0].pce_svn;
  in.tee_tcb_svn = {6, 1, 3};
  in.mr_signer_seam.assign(48, 0);
  in.seam_attributes.assign(8, 0);
  Result<TcbMatch> up = MatchTcbLevel(info, in, TcbRule::kIntel);
  ASSERT_TRUE(up.ok()) << up.error();
  EXPECT_EQ(up->status, "UpToDate");
  EXPECT_EQ(up->module_id, "TDX_01");
  in.tee_tcb_svn[0] = 3;  // TDX_01 needs isvsvn 4 for UpToDate, 2 for OutOfDate
  Result<TcbMatch> old = MatchTcbLevel(info, in, TcbRule::kIntel);
  ASSERT_TRUE(old.ok()) << old.error();
  EXPECT_EQ(old->module_status, "OutOfDate");
  EXPECT_EQ(old->status, "OutOfDate");
  in.tee_tcb_svn[0] = 1;
  EXPECT_NE(MatchTcbLevel(info, in, TcbRule::kIntel).error().find("TDX_01"), std::string::npos);
  in.tee_tcb_svn = {6, 7, 3};
  EXPECT_NE(MatchTcbLevel(info, in, TcbRule::kIntel).error().find("TDX_07"), std::string::npos);
  // dcap-qvl compares all 16 bytes: 06 07 03 meets 05 00 02.
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kDcapQvl)->status, "UpToDate");
  in.pce_svn = 4;  // below every level's PCESVN (11, 5)
  EXPECT_NE(MatchTcbLevel(info, in, TcbRule::kIntel).error().find("PCESVN is 4"),
            std::string::npos);
}

}  // namespace
}  // namespace teeharness::attestation
