// Intel's TD relaunch check (TDRelaunchCheck.cpp) for TD report 1.5 quotes, on a TCB info written
// here: one platform whose TDX level is OutOfDate with an OutOfDate module, and whose
// TEE_TCB_SVN_2 (what a relaunched TD would report) may or may not meet the latest level.
#include <gtest/gtest.h>

#include <string>

#include "harness/attestation/collateral/tcb_info.h"
#include "harness/attestation/policy/quote_policy.h"
#include "harness/attestation/policy/tcb_level.h"
#include "harness/attestation/policy/tcb_status.h"

namespace teeharness::attestation {
namespace {

std::string Components(const std::string& first_three) {
  // 16 {"svn":N}: the three given, then zeros.
  std::string out = "[";
  size_t start = 0;
  for (int i = 0; i < 16; ++i) {
    std::string svn = "0";
    if (i < 3) {
      const size_t comma = first_three.find(',', start);
      svn = first_three.substr(start, comma - start);
      start = comma + 1;
    }
    out += std::string(i ? "," : "") + "{\"svn\":" + svn + "}";
  }
  return out + "]";
}

std::string Level(const std::string& tdx, const std::string& status) {
  return R"({"tcb":{"sgxtcbcomponents":)" + Components("1,1,1") +
         R"(,"pcesvn":1,"tdxtcbcomponents":)" + Components(tdx) +
         R"(},"tcbDate":"2024-01-01T00:00:00Z","tcbStatus":")" + status + "\"}";
}

std::string ModuleIdentity(const std::string& id, int up_to_date_svn, int out_of_date_svn) {
  const std::string zeros96(96, '0');
  return R"({"id":")" + id + R"(","mrsigner":")" + zeros96 +
         R"(","attributes":"0000000000000000","attributesMask":"FFFFFFFFFFFFFFFF","tcbLevels":[)" +
         R"({"tcb":{"isvsvn":)" + std::to_string(up_to_date_svn) +
         R"(},"tcbDate":"2024-01-01T00:00:00Z","tcbStatus":"UpToDate"},)" + R"({"tcb":{"isvsvn":)" +
         std::to_string(out_of_date_svn) +
         R"(},"tcbDate":"2023-01-01T00:00:00Z","tcbStatus":"OutOfDate"}]})";
}

// Latest level: TDX components 5,0,3 (UpToDate, or `latest_status`); then 3,0,2 OutOfDate.
// Module TDX_01: isvsvn 5 UpToDate, 3 OutOfDate; TDX_02: 7 UpToDate, 1 OutOfDate.
std::string TcbInfoJson(const std::string& latest_status = "UpToDate") {
  const std::string zeros96(96, '0');
  return R"({"id":"TDX","version":3,"issueDate":"2024-01-01T00:00:00Z",)"
         R"("nextUpdate":"2049-01-01T00:00:00Z","fmspc":"00906ED50000","pceId":"0000",)"
         R"("tcbType":0,"tcbEvaluationDataNumber":17,"tdxModule":{"mrsigner":")" +
         zeros96 +
         R"(","attributes":"0000000000000000","attributesMask":"FFFFFFFFFFFFFFFF"},)"
         R"("tdxModuleIdentities":[)" +
         ModuleIdentity("TDX_01", 5, 3) + "," + ModuleIdentity("TDX_02", 7, 1) +
         R"(],"tcbLevels":[)" + Level("5,0,3", latest_status) + "," + Level("3,0,2", "OutOfDate") +
         "]}";
}

TcbInfo Info(const std::string& latest_status = "UpToDate") {
  Result<TcbInfo> info = ParseTcbInfo(TcbInfoJson(latest_status));
  EXPECT_TRUE(info.ok()) << info.error();
  return info.ok() ? *info : TcbInfo{};
}

// A TD launched on module TDX_01 SVN 3 (OutOfDate) at TDX byte 2 = 2: the OutOfDate level.
TcbInputs Launched(std::array<uint8_t, 16> svn2) {
  TcbInputs in;
  in.sgx_components.fill(0);
  in.sgx_components[0] = in.sgx_components[1] = in.sgx_components[2] = 1;
  in.pce_svn = 1;
  in.tee_tcb_svn = {3, 1, 2};
  in.mr_signer_seam.assign(48, 0);
  in.seam_attributes.assign(8, 0);
  in.td15 = true;
  in.tee_tcb_svn2 = svn2;
  in.qe_tcb_status = "UpToDate";
  return in;
}

std::string StatusOf(const TcbInfo& info, const TcbInputs& in, TcbRule rule = TcbRule::kIntel) {
  Result<TcbMatch> m = MatchTcbLevel(info, in, rule);
  return m.ok() ? m->status : "error: " + m.error();
}

TEST(TdRelaunch, WithoutTeeTcbSvn2TheTdIsOutOfDate) {
  TcbInputs in = Launched({5, 0, 3});
  in.td15 = false;  // a TD report 1.0: nothing to relaunch to
  EXPECT_EQ(StatusOf(Info(), in), "OutOfDate");
}

TEST(TdRelaunch, ModuleMajorZeroComparesBytesZeroAndTwoWithTheLatestLevel) {
  const TcbInfo info = Info();
  Result<TcbMatch> m = MatchTcbLevel(info, Launched({5, 0, 3}), TcbRule::kIntel);
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m->status, "TDRelaunchAdvised");
  EXPECT_EQ(m->before_relaunch, "OutOfDate");
  EXPECT_EQ(m->module_status, "OutOfDate");
  // Either byte behind the latest level (5 and 3): no relaunch would help.
  EXPECT_EQ(StatusOf(info, Launched({4, 0, 3})), "OutOfDate");
  EXPECT_EQ(StatusOf(info, Launched({5, 0, 2})), "OutOfDate");
}

TEST(TdRelaunch, ModuleMajorAboveZeroUsesThatModulesHighestLevel) {
  const TcbInfo info = Info();
  EXPECT_EQ(StatusOf(info, Launched({5, 1, 3})), "TDRelaunchAdvised");  // TDX_01 needs 5
  EXPECT_EQ(StatusOf(info, Launched({4, 1, 3})), "OutOfDate");
  EXPECT_EQ(StatusOf(info, Launched({7, 2, 3})), "TDRelaunchAdvised");  // TDX_02 needs 7
  EXPECT_EQ(StatusOf(info, Launched({6, 2, 3})), "OutOfDate");
  EXPECT_EQ(StatusOf(info, Launched({7, 2, 2})), "OutOfDate");  // byte 2 still behind
  // Intel's STATUS_TDX_MODULE_MISMATCH: an error, not a status.
  EXPECT_EQ(StatusOf(info, Launched({9, 3, 3})),
            "error: TD relaunch check: no TDX module identity TDX_03 for TEE_TCB_SVN_2[1] = 3 in "
            "the TCB info");
}

TEST(TdRelaunch, ConfigurationNeededGivesTheConfigurationVariant) {
  // The SGX status is the first level meeting the SGX components: the latest one here.
  EXPECT_EQ(StatusOf(Info("ConfigurationNeeded"), Launched({5, 0, 3})),
            "TDRelaunchAdvisedConfigurationNeeded");
  EXPECT_EQ(StatusOf(Info("ConfigurationAndSWHardeningNeeded"), Launched({5, 1, 3})),
            "TDRelaunchAdvisedConfigurationNeeded");
  EXPECT_EQ(StatusOf(Info("SWHardeningNeeded"), Launched({5, 1, 3})), "TDRelaunchAdvised");
}

TEST(TdRelaunch, AnOutOfDateOrRevokedQeSuppressesIt) {
  const TcbInfo info = Info();
  for (const char* qe : {"OutOfDate", "Revoked"}) {
    TcbInputs in = Launched({5, 0, 3});
    in.qe_tcb_status = qe;
    EXPECT_EQ(StatusOf(info, in), "OutOfDate") << qe;
  }
  TcbInputs unknown = Launched({5, 0, 3});
  unknown.qe_tcb_status = "";  // no QE identity evaluated: Intel's empty Optional
  EXPECT_EQ(StatusOf(info, unknown), "TDRelaunchAdvised");
}

TEST(TdRelaunch, OnlyAnOutOfDateModuleQualifies) {
  const TcbInfo info = Info();
  TcbInputs up_to_date_module = Launched({5, 0, 3});
  up_to_date_module.tee_tcb_svn[0] = 5;  // TDX_01 UpToDate; the level is still OutOfDate
  EXPECT_EQ(StatusOf(info, up_to_date_module), "OutOfDate");
  // The latest level met with an OutOfDate module converges to OutOfDate too (Intel's
  // convergence), and then the relaunch check applies.
  TcbInputs up_to_date_level = Launched({5, 0, 3});
  up_to_date_level.tee_tcb_svn[2] = 3;
  EXPECT_EQ(StatusOf(info, up_to_date_level), "TDRelaunchAdvised");
  // A revoked SGX level (the first one meeting the SGX components) rules it out.
  EXPECT_EQ(StatusOf(Info("Revoked"), Launched({5, 0, 3})), "OutOfDate");
}

TEST(TdRelaunch, TheDcapQvlRulesDoNotCheck) {
  const TcbInfo info = Info();
  for (TcbRule rule : {TcbRule::kDcapQvl, TcbRule::kDcapQvlModule}) {
    EXPECT_EQ(StatusOf(info, Launched({5, 0, 3}), rule).rfind("TDRelaunch", 0), std::string::npos)
        << TcbRuleName(rule);
  }
}

TEST(TdRelaunch, CollateralNeverListsARelaunchStatus) {
  Result<TcbInfo> info = ParseTcbInfo(TcbInfoJson("TDRelaunchAdvised"));
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.error().find("computed by a verifier"), std::string::npos) << info.error();
}

TEST(TdRelaunch, PolicyAcceptsTheStatusOnlyWhenAsked) {
  QuotePolicy policy;
  EXPECT_EQ(std::count(policy.accepted_tcb_statuses.begin(), policy.accepted_tcb_statuses.end(),
                       "TDRelaunchAdvised"),
            0);
  ASSERT_TRUE(ApplyPolicySetting("tcb_status=UpToDate,TDRelaunchAdvised", policy).ok());
  EXPECT_EQ(policy.accepted_tcb_statuses,
            (std::vector<std::string>{"UpToDate", "TDRelaunchAdvised"}));
  EXPECT_TRUE(ApplyPolicySetting("tcb_status=TDRelaunchAdvisedConfigurationNeeded", policy).ok());
  EXPECT_TRUE(IsKnownTcbStatus("TDRelaunchAdvisedConfigurationNeeded"));
}

}  // namespace
}  // namespace teeharness::attestation
