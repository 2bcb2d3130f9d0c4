#include "harness/attestation/policy/tcb_level.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "harness/attestation/collateral/tcb_info.h"
#include "harness/attestation/policy/qe_identity_match.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_collateral/vectors.h"

namespace teeharness::attestation {
namespace {

using namespace collateral_testing;  // NOLINT(google-build-using-namespace): test helpers

TcbInfo V4Info() { return *ParseTcbInfo(LoadCollateral(kV4Collateral).tcb_info); }
TcbInfo V5Info() { return *ParseTcbInfo(LoadCollateral(kV5Collateral).tcb_info); }

constexpr TcbRule kAllRules[] = {TcbRule::kIntel, TcbRule::kDcapQvl, TcbRule::kDcapQvlModule};

// The hand-extracted inputs agree with the quote bytes (so the constants are not made up).
TEST(TcbVectors, HandExtractedInputsMatchTheQuoteBytes) {
  const std::string v4 = ReadVector(kV4Quote);
  const std::string v5 = ReadVector(kV5Quote);
  ASSERT_EQ(v4.size(), 5006u);
  ASSERT_EQ(v5.size(), 5006u);
  const auto bytes = [](const std::string& s, size_t at, size_t n) {
    return crypto::Bytes(s.begin() + at, s.begin() + at + n);
  };
  const TcbInputs i4 = V4Inputs();
  const TcbInputs i5 = V5Inputs();
  EXPECT_EQ(bytes(v4, kV4BodyOffset, 16),
            crypto::Bytes(i4.tee_tcb_svn.begin(), i4.tee_tcb_svn.end()));
  EXPECT_EQ(bytes(v5, kV5BodyOffset, 16),
            crypto::Bytes(i5.tee_tcb_svn.begin(), i5.tee_tcb_svn.end()));
  EXPECT_EQ(bytes(v4, kV4BodyOffset + 64, 48), i4.mr_signer_seam);
  EXPECT_EQ(bytes(v4, kV4BodyOffset + 112, 8), i4.seam_attributes);
  EXPECT_EQ(bytes(v5, kV5BodyOffset + 64, 48), i5.mr_signer_seam);
  EXPECT_EQ(bytes(v5, kV5BodyOffset + 112, 8), i5.seam_attributes);
  // The PCK certificate (first PEM of the certification data) holds the components as
  // OID 1.2.840.113741.1.13.1.2.<n> INTEGER and the CPUSVN as .2.18 OCTET STRING; PCESVN is .2.17.
  for (const auto& [quote, in] : {std::pair{&v4, &i4}, std::pair{&v5, &i5}}) {
    const size_t begin = quote->find("-----BEGIN CERTIFICATE-----");
    const size_t end = quote->find("-----END CERTIFICATE-----");
    ASSERT_NE(end, std::string::npos);
    std::string body;
    for (char c : quote->substr(begin + 27, end - begin - 27)) {
      if (c != '\n' && c != '\r') body += c;
    }
    Result<crypto::Bytes> der = crypto::DecodeBase64(body);
    ASSERT_TRUE(der.ok()) << der.error();
    const std::string d(der->begin(), der->end());
    const std::string oid = "\x06\x0b\x2a\x86\x48\x86\xf8\x4d\x01\x0d\x01\x02";
    const size_t cpusvn = d.find(oid + "\x12\x04\x10");
    ASSERT_NE(cpusvn, std::string::npos);
    EXPECT_EQ(d.substr(cpusvn + oid.size() + 3, 16),
              std::string(in->sgx_components.begin(), in->sgx_components.end()));
    const size_t pcesvn = d.find(oid + "\x11\x02\x01");
    ASSERT_NE(pcesvn, std::string::npos);
    EXPECT_EQ(static_cast<uint8_t>(d[pcesvn + oid.size() + 3]), in->pce_svn);
  }
}

TEST(TcbVectors, QeReportFieldsFromTheQuoteBytes) {
  for (const auto& [name, offset, isvsvn] :
       {std::tuple{kV4Quote, kV4QeReportOffset, uint16_t{6}},
        std::tuple{kV5Quote, kV5QeReportOffset, uint16_t{7}}}) {
    const std::string q = ReadVector(name);
    // u16 certification type 6 and u32 size precede the report.
    EXPECT_EQ(static_cast<uint8_t>(q[offset - 6]), 6);
    Result<QeReportFields> f =
        ParseQeReportFields(crypto::AsBytes(std::string_view(q).substr(offset, 384)));
    ASSERT_TRUE(f.ok()) << f.error();
    const QeReportFields want = QeFields(isvsvn);
    EXPECT_EQ(f->miscselect, want.miscselect);
    EXPECT_EQ(f->attributes, want.attributes);
    EXPECT_EQ(f->mrsigner, want.mrsigner);
    EXPECT_EQ(f->isvprodid, want.isvprodid);
    EXPECT_EQ(f->isvsvn, want.isvsvn) << name;
  }
  EXPECT_EQ(ParseQeReportFields(crypto::ByteSpan()).error(),
            "QE report is 0 bytes; an SGX enclave report is 384");
}

// The README's expectation: v4 is UpToDate with no advisories. By Intel's rule the module
// identity TDX_01 (TEE_TCB_SVN[1] = 1) applies, its level isvsvn 4 <= 6 is UpToDate.
TEST(TcbLevel, V4IsUpToDateUnderEveryRule) {
  const TcbInfo info = V4Info();
  Result<TcbMatch> intel = MatchTcbLevel(info, V4Inputs(), TcbRule::kIntel);
  ASSERT_TRUE(intel.ok()) << intel.error();
  EXPECT_EQ(intel->status, "UpToDate");
  EXPECT_TRUE(intel->advisory_ids.empty());
  EXPECT_EQ(intel->tcb_date, "2024-03-13T00:00:00Z");
  EXPECT_EQ(intel->rule, TcbRule::kIntel);
  EXPECT_EQ(intel->module_id, "TDX_01");
  EXPECT_EQ(intel->module_status, "UpToDate");
  EXPECT_EQ(intel->platform_status, "UpToDate");

  Result<TcbMatch> qvl = MatchTcbLevel(info, V4Inputs(), TcbRule::kDcapQvl);
  ASSERT_TRUE(qvl.ok()) << qvl.error();
  EXPECT_EQ(qvl->status, "UpToDate");
  EXPECT_TRUE(qvl->advisory_ids.empty());
  EXPECT_EQ(qvl->rule, TcbRule::kDcapQvl);
  EXPECT_EQ(qvl->module_id, "");

  Result<TcbMatch> qvl4 = MatchTcbLevel(info, V4Inputs(), TcbRule::kDcapQvlModule);
  ASSERT_TRUE(qvl4.ok()) << qvl4.error();
  EXPECT_EQ(qvl4->status, "UpToDate");
  EXPECT_EQ(qvl4->module_id, "TDX_01");
  EXPECT_STREQ(TcbRuleName(TcbRule::kDcapQvlModule), "dcap-qvl-module");
}

// The README's expectation: v5 matches no level because the PCK's SGX component 8 (index 7,
// SEAMLDR ACM) is 3 and every level needs 5. All three rules agree.
TEST(TcbLevel, V5MatchesNoLevelNamingSgxComponentEight) {
  const TcbInfo info = V5Info();
  for (TcbRule rule : kAllRules) {
    Result<TcbMatch> m = MatchTcbLevel(info, V5Inputs(), rule);
    ASSERT_FALSE(m.ok()) << TcbRuleName(rule) << " gave " << m->status;
    EXPECT_EQ(m.error(),
              "no TCB level matches: SGX TCB component 8 (index 7, SEAMLDR ACM) is 3, every level "
              "needs at least 5")
        << TcbRuleName(rule);
  }
  // With component 8 at 5 the v5 platform is UpToDate (SGX 03 03 02 02 04 01 00 05 meets the top
  // level, PCESVN 13, TDX bytes 2.. are 03 >= 03; module TDX_01 isvsvn 6 <= 7).
  TcbInputs fixed = V5Inputs();
  fixed.sgx_components[7] = 5;
  Result<TcbMatch> m = MatchTcbLevel(info, fixed, TcbRule::kIntel);
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m->status, "UpToDate");
  EXPECT_EQ(m->tcb_date, "2024-11-13T00:00:00Z");
}

TEST(TcbLevel, NoMatchMessagesArePrecise) {
  const TcbInfo info = V4Info();
  TcbInputs in = V4Inputs();
  in.pce_svn = 4;  // levels need 11 and 5
  for (TcbRule rule : kAllRules) {
    EXPECT_EQ(MatchTcbLevel(info, in, rule).error(),
              "no TCB level matches: PCESVN is 4, every level needs at least 5");
  }
  in = V4Inputs();
  in.tee_tcb_svn[2] = 1;  // TDX Late Microcode Update: every level needs 2
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel).error(),
            "no TCB level matches: TEE_TCB_SVN byte 2 (TDX TCB component 3, TDX Late Microcode "
            "Update) is 1, every level the SGX TCB meets needs at least 2");
  // Short of different levels in different components: the lowest level's shortfall is given.
  TcbInfo crossed = info;
  crossed.levels[0].sgx_components[0] = 4;  // top needs 4 at index 0
  crossed.levels[0].pce_svn = 5;
  crossed.levels[1].sgx_components[0] = 2;
  crossed.levels[1].pce_svn = 12;  // bottom needs PCESVN 12
  in = V4Inputs();
  EXPECT_EQ(MatchTcbLevel(crossed, in, TcbRule::kDcapQvl).error(),
            "no TCB level matches: the platform falls short of each level in a different "
            "component; against the lowest (OutOfDate, 2018-01-04T00:00:00Z): PCESVN is 11, it "
            "needs 12");
}

// Where the rules part: TEE_TCB_SVN bytes 0 and 1 are the module's under Intel's rule only.
TEST(TcbLevel, IntelSkipsTheModuleBytesDcapQvlDoesNot) {
  const TcbInfo info = V4Info();
  TcbInputs in = V4Inputs();
  in.tee_tcb_svn[0] = 4;  // below the levels' TDX component 1 (5); TDX_01 level isvsvn 4 is met
  Result<TcbMatch> intel = MatchTcbLevel(info, in, TcbRule::kIntel);
  ASSERT_TRUE(intel.ok()) << intel.error();
  EXPECT_EQ(intel->status, "UpToDate");
  for (TcbRule rule : {TcbRule::kDcapQvl, TcbRule::kDcapQvlModule}) {
    EXPECT_EQ(MatchTcbLevel(info, in, rule).error(),
              "no TCB level matches: TEE_TCB_SVN byte 0 (TDX TCB component 1, TDX Module) is 4, "
              "every level the SGX TCB meets needs at least 5");
  }
  // Module major version 0: Intel compares all 16 bytes against tcbInfo.tdxModule's levels and
  // has no module status.
  in = V4Inputs();
  in.tee_tcb_svn[1] = 0;
  Result<TcbMatch> zero = MatchTcbLevel(info, in, TcbRule::kIntel);
  ASSERT_TRUE(zero.ok()) << zero.error();
  EXPECT_EQ(zero->status, "UpToDate");
  EXPECT_EQ(zero->module_id, "");
  in.tee_tcb_svn[0] = 4;
  EXPECT_NE(MatchTcbLevel(info, in, TcbRule::kIntel).error().find("TEE_TCB_SVN byte 0"),
            std::string::npos);
}

TEST(TcbLevel, ModuleStatusIsFoldedInIntelsWayOrDcapQvlsWay) {
  TcbInfo info = V4Info();
  TcbInputs in = V4Inputs();
  in.tee_tcb_svn[0] = 3;  // TDX_01: isvsvn 4 UpToDate, 2 OutOfDate
  info.tdx_module_identities[1].levels[1].advisory_ids = {"INTEL-SA-00001"};
  Result<TcbMatch> m = MatchTcbLevel(info, in, TcbRule::kIntel);
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m->platform_status, "UpToDate");
  EXPECT_EQ(m->module_status, "OutOfDate");
  EXPECT_EQ(m->status, "OutOfDate");
  EXPECT_EQ(m->advisory_ids, std::vector<std::string>{"INTEL-SA-00001"});
  // ConfigurationNeeded platform + OutOfDate module: Intel converges to
  // OutOfDateConfigurationNeeded, dcap-qvl >= 0.4 takes the worse (OutOfDate), dcap-qvl <= 0.3
  // ignores the module (and here fails byte 0: 3 < 5).
  info.levels[0].status = "ConfigurationNeeded";
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel)->status, "OutOfDateConfigurationNeeded");
  // Byte 0 at 5 meets the levels' TDX component 1 (so dcap-qvl matches too), and with TDX_01's
  // UpToDate level raised to isvsvn 6 the module is OutOfDate.
  in.tee_tcb_svn[0] = 5;
  info.tdx_module_identities[1].levels[0].isvsvn = 6;
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel)->status, "OutOfDateConfigurationNeeded");
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kDcapQvlModule)->status, "OutOfDate");
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kDcapQvl)->status, "ConfigurationNeeded");
  // A revoked module revokes.
  info.tdx_module_identities[1].levels[1].status = "Revoked";
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel)->status, "Revoked");
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kDcapQvlModule)->status, "Revoked");
  // Intel accepts only UpToDate, OutOfDate and Revoked for a module level.
  info.tdx_module_identities[1].levels[1].status = "SWHardeningNeeded";
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel).error(),
            "TDX module identity TDX_01 level status is SWHardeningNeeded; a module level may "
            "only be UpToDate, OutOfDate or Revoked");
  // Below every module level.
  in.tee_tcb_svn[0] = 1;
  info.levels[0].tdx_components[0] = 0;
  info.levels[1].tdx_components[0] = 0;
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel).error(),
            "no TCB level of TDX module identity TDX_01 matches: TEE_TCB_SVN[0] (TDX module SVN) "
            "is 1, every level needs at least 2");
}

TEST(TcbLevel, V5ModuleAdvisoriesAreMergedOnce) {
  const TcbInfo info = V5Info();
  TcbInputs in = V5Inputs();
  in.sgx_components = {2, 2, 2, 2, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};  // the middle level
  in.tee_tcb_svn[0] = 4;  // TDX_01 level isvsvn 4: OutOfDate, INTEL-SA-01036 and -01099
  Result<TcbMatch> m = MatchTcbLevel(info, in, TcbRule::kIntel);
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m->status, "OutOfDate");
  EXPECT_EQ(m->tcb_date, "2024-03-13T00:00:00Z");
  EXPECT_EQ(m->advisory_ids,
            (std::vector<std::string>{"INTEL-SA-01036", "INTEL-SA-01079", "INTEL-SA-01099",
                                      "INTEL-SA-01103", "INTEL-SA-01111"}));
}

TEST(TcbLevel, ModuleIdentityAndSignerChecks) {
  const TcbInfo info = V4Info();
  TcbInputs in = V4Inputs();
  in.tee_tcb_svn[1] = 7;
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel).error(),
            "no TDX module identity TDX_07 for TEE_TCB_SVN[1] = 7 in the TCB info (it has TDX_03, "
            "TDX_01)");
  EXPECT_TRUE(MatchTcbLevel(info, in, TcbRule::kDcapQvl).ok());
  EXPECT_FALSE(MatchTcbLevel(info, in, TcbRule::kDcapQvlModule).ok());
  // Both failures are reported, the module's first (the QVL's order).
  in.pce_svn = 4;
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel).error(),
            "no TDX module identity TDX_07 for TEE_TCB_SVN[1] = 7 in the TCB info (it has TDX_03, "
            "TDX_01); and no TCB level matches: PCESVN is 4, every level needs at least 5");
  // Identity ids compare ignoring case.
  TcbInfo lower = info;
  lower.tdx_module_identities[1].id = "tdx_01";
  EXPECT_EQ(MatchTcbLevel(lower, V4Inputs(), TcbRule::kIntel)->module_id, "tdx_01");
  // No identities at all: Intel needs one for a non-zero major version; dcap-qvl >= 0.4 falls
  // back to tdxModule.
  TcbInfo bare = info;
  bare.tdx_module_identities.clear();
  EXPECT_NE(MatchTcbLevel(bare, V4Inputs(), TcbRule::kIntel).error().find("no tdxModuleIdentities"),
            std::string::npos);
  Result<TcbMatch> fallback = MatchTcbLevel(bare, V4Inputs(), TcbRule::kDcapQvlModule);
  ASSERT_TRUE(fallback.ok()) << fallback.error();
  EXPECT_EQ(fallback->module_id, "");

  in = V4Inputs();
  in.mr_signer_seam[47] = 1;
  EXPECT_EQ(MatchTcbLevel(info, in, TcbRule::kIntel)
                .error()
                .rfind("the TD report's MRSIGNERSEAM 0000", 0),
            0u);
  EXPECT_NE(MatchTcbLevel(info, in, TcbRule::kIntel).error().find("TDX module identity TDX_01"),
            std::string::npos);
  EXPECT_TRUE(MatchTcbLevel(info, in, TcbRule::kDcapQvl).ok());
  EXPECT_FALSE(MatchTcbLevel(info, in, TcbRule::kDcapQvlModule).ok());
  in.tee_tcb_svn[1] = 0;  // tcbInfo.tdxModule applies
  EXPECT_NE(MatchTcbLevel(info, in, TcbRule::kIntel).error().find("of tcbInfo.tdxModule"),
            std::string::npos);

  // SEAMATTRIBUTES: Intel wants zero (mask unused); dcap-qvl >= 0.4 compares under the mask.
  TcbInfo masked = info;
  masked.tdx_module_identities[1].attributes_mask.assign(8, 0);
  in = V4Inputs();
  in.seam_attributes[0] = 0x80;
  EXPECT_NE(MatchTcbLevel(masked, in, TcbRule::kIntel).error().find("are not zero"),
            std::string::npos);
  EXPECT_NE(MatchTcbLevel(masked, in, TcbRule::kDcapQvlModule).error().find("under mask"),
            std::string::npos);  // a bit outside the mask is set
  EXPECT_TRUE(MatchTcbLevel(masked, in, TcbRule::kDcapQvl).ok());
  in.seam_attributes.resize(7);
  EXPECT_NE(MatchTcbLevel(info, in, TcbRule::kIntel).error().find("SEAMATTRIBUTES 8"),
            std::string::npos);
}

// Intel's QVL sorts the levels (std::set by SGX components, PCESVN, TDX components); dcap-qvl up
// to 0.3 takes them in the file's order. Reversed levels show the difference.
TEST(TcbLevel, LevelOrderIsIntelsNotTheFiles) {
  TcbInfo reversed = V4Info();
  std::reverse(reversed.levels.begin(), reversed.levels.end());
  EXPECT_EQ(MatchTcbLevel(reversed, V4Inputs(), TcbRule::kIntel)->status, "UpToDate");
  EXPECT_EQ(MatchTcbLevel(reversed, V4Inputs(), TcbRule::kDcapQvlModule)->status, "UpToDate");
  Result<TcbMatch> file_order = MatchTcbLevel(reversed, V4Inputs(), TcbRule::kDcapQvl);
  ASSERT_TRUE(file_order.ok());
  EXPECT_EQ(file_order->status, "OutOfDate");
  EXPECT_EQ(file_order->advisory_ids.size(), 14u);
}

TEST(TcbLevel, RejectsTcbInfoThatIsNotTdx) {
  TcbInfo sgx = V4Info();
  sgx.id = "SGX";
  EXPECT_EQ(MatchTcbLevel(sgx, V4Inputs(), TcbRule::kIntel).error(),
            "TCB info is id SGX version 3; a TDX quote needs a TDX version 3 TCB info");
  TcbInfo empty = V4Info();
  empty.levels.clear();
  EXPECT_EQ(MatchTcbLevel(empty, V4Inputs(), TcbRule::kDcapQvl).error(),
            "no TCB level matches: the TCB info lists none");
  TcbInfo bad_status = V4Info();
  bad_status.levels[0].status = "Great";
  EXPECT_EQ(MatchTcbLevel(bad_status, V4Inputs(), TcbRule::kDcapQvl)
                .error()
                .rfind("TCB level status: unknown TCB status 'Great'", 0),
            0u);
}

TEST(QeIdentityMatch, RealQeReportsAreUpToDate) {
  for (const char* name : {kV4Collateral, kV5Collateral}) {
    Result<QeIdentity> id = ParseQeIdentity(LoadCollateral(name).qe_identity);
    ASSERT_TRUE(id.ok()) << id.error();
    for (uint16_t isvsvn : {uint16_t{6}, uint16_t{7}}) {
      Result<QeMatch> m = MatchQeIdentity(*id, QeFields(isvsvn));
      ASSERT_TRUE(m.ok()) << m.error();
      EXPECT_EQ(m->status, "UpToDate");
      EXPECT_TRUE(m->advisory_ids.empty());
    }
  }
}

TEST(QeIdentityMatch, EachFieldMismatchNamesTheFieldAndBothValues) {
  const QeIdentity id = *ParseQeIdentity(LoadCollateral(kV4Collateral).qe_identity);
  QeReportFields qe = QeFields(6);
  qe.attributes[0] ^= 0x04;  // outside the mask FB: still matches
  qe.attributes[8] = 0x00;   // outside the mask entirely
  EXPECT_TRUE(MatchQeIdentity(id, qe).ok());
  qe.attributes[0] ^= 0x01;
  EXPECT_EQ(MatchQeIdentity(id, qe).error(),
            "QE ATTRIBUTES 10000000000000000000000000000000 under mask "
            "fbffffffffffffff0000000000000000 are 10000000000000000000000000000000, not the "
            "identity's 11000000000000000000000000000000");
  qe = QeFields(6);
  qe.miscselect = 0x1;
  EXPECT_EQ(MatchQeIdentity(id, qe).error(),
            "QE MISCSELECT 00000001 under mask ffffffff is 00000001, not the identity's 00000000");
  qe = QeFields(6);
  qe.mrsigner[31] ^= 0xff;
  EXPECT_EQ(MatchQeIdentity(id, qe).error(),
            "QE MRSIGNER dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a83a is not "
            "the identity's dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
  qe = QeFields(6);
  qe.isvprodid = 1;
  EXPECT_EQ(MatchQeIdentity(id, qe).error(),
            "QE ISVPRODID 0001 (1) is not the identity's 0002 (2)");
  qe = QeFields(3);
  EXPECT_EQ(MatchQeIdentity(id, qe).error(),
            "QE ISVSVN 0003 (3) is below every level of the QE identity (the lowest needs 4)");
}

TEST(QeIdentityMatch, LevelsGiveStatusAndAdvisories) {
  QeIdentity id = *ParseQeIdentity(LoadCollateral(kV4Collateral).qe_identity);
  id.levels.push_back({2, "2023-01-01T00:00:00Z", "OutOfDate", {"INTEL-SA-00999"}});
  id.levels.push_back({1, "2022-01-01T00:00:00Z", "Revoked", {}});
  EXPECT_EQ(MatchQeIdentity(id, QeFields(5))->status, "UpToDate");
  Result<QeMatch> old = MatchQeIdentity(id, QeFields(3));
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->status, "OutOfDate");
  EXPECT_EQ(old->advisory_ids, std::vector<std::string>{"INTEL-SA-00999"});
  EXPECT_EQ(MatchQeIdentity(id, QeFields(1))->status, "Revoked");
  EXPECT_FALSE(MatchQeIdentity(id, QeFields(0)).ok());
  id.mrsigner.resize(31);
  EXPECT_NE(MatchQeIdentity(id, QeFields(5)).error().find("must be 16, 16 and 32"),
            std::string::npos);
}

}  // namespace
}  // namespace teeharness::attestation
