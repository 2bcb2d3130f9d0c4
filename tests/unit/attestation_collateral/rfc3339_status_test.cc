#include <gtest/gtest.h>

#include <climits>

#include "harness/attestation/collateral/rfc3339.h"
#include "harness/attestation/policy/tcb_status.h"

namespace teeharness::attestation {
namespace {

TEST(Rfc3339, ParsesIntelTimesAndRoundTrips) {
  EXPECT_EQ(*ParseRfc3339("2025-07-19T10:00:34Z"), 1752919234);
  EXPECT_EQ(*ParseRfc3339("2025-06-19T10:16:03Z"), 1750328163);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00+00:00"), 0);
  EXPECT_EQ(*ParseRfc3339("2024-02-29T00:00:00.123Z"), 1709164800);
  EXPECT_EQ(*ParseRfc3339("2000-02-29t12:00:00z"), 951825600);  // RFC 3339 allows lowercase
  EXPECT_EQ(*ParseRfc3339("1969-12-31T23:59:59Z"), -1);
  for (int64_t t : {int64_t{0}, int64_t{-1}, int64_t{951782400}, int64_t{1752919234},
                    int64_t{4102444800}, int64_t{253402300799} /* 9999-12-31T23:59:59Z */,
                    int64_t{-62167219200} /* 0000-01-01T00:00:00Z */}) {
    const std::string text = FormatRfc3339(t);
    Result<int64_t> back = ParseRfc3339(text);
    ASSERT_TRUE(back.ok()) << text << ": " << back.error();
    EXPECT_EQ(*back, t) << text;
  }
  EXPECT_EQ(FormatRfc3339(1752919234), "2025-07-19T10:00:34Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59Z");
  // Extremes format without overflow (the verifier formats INT64_MAX as "no collateral bound").
  EXPECT_FALSE(FormatRfc3339(INT64_MAX).empty());
  EXPECT_FALSE(FormatRfc3339(INT64_MIN).empty());
}

TEST(Rfc3339, RejectsWhatIsNotAStrictUtcTime) {
  for (const char* bad : {"",
                          "x",
                          "2025-07-19",
                          "2025-07-19T10:00:34",
                          "2025-07-19T10:00:34+02:00",
                          "2025-07-19T10:00:34-00:00",
                          "2025-07-19 10:00:34Z",
                          "2025-02-30T00:00:00Z",
                          "2023-02-29T00:00:00Z",
                          "1900-02-29T00:00:00Z",
                          "2025-13-01T00:00:00Z",
                          "2025-00-01T00:00:00Z",
                          "2025-07-00T00:00:00Z",
                          "2025-07-19T24:00:00Z",
                          "2025-07-19T10:60:00Z",
                          "2025-07-19T10:00:60Z",
                          "2025-07-19T10:00:34.Z",
                          "2025-07-19T10:00:34ZZ",
                          "2025-07-19T10:00:34Z ",
                          " 2025-07-19T10:00:34Z",
                          "2025-7-19T10:00:34Z",
                          "+2025-07-19T10:00:34Z",
                          "2025-07-19T10:00:3aZ",
                          "2025-07-19T10:0034Z",
                          "20250719T100034Z"}) {
    Result<int64_t> r = ParseRfc3339(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "' parsed as " << (r.ok() ? *r : 0);
  }
  EXPECT_NE(ParseRfc3339("2025-07-19T10:00:34+02:00").error().find("not UTC"), std::string::npos);
}

TEST(TcbStatus, NamesParseExactlyAndListInSeverityOrder) {
  ASSERT_EQ(AllTcbStatuses().size(), 9u);
  for (TcbStatus s : AllTcbStatuses()) {
    Result<TcbStatus> back = ParseTcbStatus(TcbStatusName(s));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, s);
    EXPECT_TRUE(IsKnownTcbStatus(TcbStatusName(s)));
  }
  EXPECT_EQ(KnownTcbStatusList(),
            "UpToDate, SWHardeningNeeded, ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, "
            "TDRelaunchAdvised, TDRelaunchAdvisedConfigurationNeeded, OutOfDate, "
            "OutOfDateConfigurationNeeded, Revoked");
  // The two relaunch statuses are known (a policy may accept them) but never collateral's.
  EXPECT_FALSE(IsCollateralTcbStatus(TcbStatus::kTDRelaunchAdvised));
  EXPECT_FALSE(IsCollateralTcbStatus(TcbStatus::kTDRelaunchAdvisedConfigurationNeeded));
  EXPECT_TRUE(IsCollateralTcbStatus(TcbStatus::kOutOfDate));
  for (const char* bad : {"", "uptodate", "UpToDate ", "TDRelaunchadvised", "Unknown"}) {
    EXPECT_FALSE(ParseTcbStatus(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseTcbStatus("Fine").error().rfind("unknown TCB status 'Fine' (one of UpToDate", 0),
            0u);
  // Untrusted text is quoted only in part.
  EXPECT_LT(ParseTcbStatus(std::string(10000, 'A')).error().size(), 400u);
  EXPECT_TRUE(IsValidModuleTcbStatus(TcbStatus::kOutOfDate));
  EXPECT_FALSE(IsValidModuleTcbStatus(TcbStatus::kConfigurationNeeded));
}

// Intel's convergeTcbStatusWithTdxModuleStatus, the whole table, against dcap-qvl's merge.
TEST(TcbStatus, IntelConvergenceAndDcapQvlMergeDifferOnlyWhereDocumented) {
  using S = TcbStatus;
  for (S platform : AllTcbStatuses()) {
    EXPECT_EQ(ConvergeWithModuleStatus(platform, S::kUpToDate), platform);
    EXPECT_EQ(ConvergeWithModuleStatus(platform, S::kRevoked), S::kRevoked);
    EXPECT_EQ(ConvergeWithQeStatus(platform, S::kRevoked), S::kRevoked);
    EXPECT_EQ(WorseTcbStatus(platform, S::kUpToDate), platform);
    EXPECT_EQ(WorseTcbStatus(platform, S::kRevoked), S::kRevoked);
  }
  EXPECT_EQ(ConvergeWithModuleStatus(S::kUpToDate, S::kOutOfDate), S::kOutOfDate);
  EXPECT_EQ(ConvergeWithModuleStatus(S::kSWHardeningNeeded, S::kOutOfDate), S::kOutOfDate);
  EXPECT_EQ(ConvergeWithModuleStatus(S::kConfigurationNeeded, S::kOutOfDate),
            S::kOutOfDateConfigurationNeeded);
  EXPECT_EQ(ConvergeWithModuleStatus(S::kConfigurationAndSWHardeningNeeded, S::kOutOfDate),
            S::kOutOfDateConfigurationNeeded);
  EXPECT_EQ(ConvergeWithModuleStatus(S::kOutOfDateConfigurationNeeded, S::kOutOfDate),
            S::kOutOfDateConfigurationNeeded);
  EXPECT_EQ(ConvergeWithQeStatus(S::kConfigurationNeeded, S::kOutOfDate),
            S::kOutOfDateConfigurationNeeded);
  // dcap-qvl's severity merge: ConfigurationNeeded + OutOfDate is OutOfDate, not Intel's
  // OutOfDateConfigurationNeeded.
  EXPECT_EQ(WorseTcbStatus(S::kConfigurationNeeded, S::kOutOfDate), S::kOutOfDate);
  EXPECT_EQ(WorseTcbStatus(S::kOutOfDate, S::kConfigurationNeeded), S::kOutOfDate);
}

}  // namespace
}  // namespace teeharness::attestation
