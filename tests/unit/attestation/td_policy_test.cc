#include "harness/attestation/policy/td_policy.h"

#include <gtest/gtest.h>

#include "harness/crypto/hex.h"
#include "tests/unit/attestation/vectors.h"

namespace teeharness::attestation {
namespace {

TdxQuote RealV4() {
  Result<TdxQuote> quote = ParseTdxQuote(testing::ReadVectorBytes("tdx/dcap-qvl-v4.quote"));
  EXPECT_TRUE(quote.ok());
  return *quote;
}

TEST(TdAttributes, TheRealQuoteIsAProductionTd) {
  const CheckResult r = CheckTdAttributes(RealV4(), QuotePolicy{});
  EXPECT_EQ(r.state, CheckState::kPass) << r.reason;
  EXPECT_EQ(DecodeTdAttributes(RealV4().body.td_attributes),
            std::vector<std::string>{"SEPT_VE_DISABLE"});
}

TEST(TdAttributes, DebugReservedSeptVeAndServiceTdFailUnlessAllowed) {
  TdxQuote debug = RealV4();
  debug.body.td_attributes[0] = 0x01;
  EXPECT_EQ(CheckTdAttributes(debug, QuotePolicy{}).state, CheckState::kFail);
  QuotePolicy allow_debug;
  allow_debug.allow_debug = true;
  EXPECT_EQ(CheckTdAttributes(debug, allow_debug).state, CheckState::kPass);

  TdxQuote reserved = RealV4();
  reserved.body.td_attributes[1] = 0x01;  // bit 8
  const CheckResult r = CheckTdAttributes(reserved, allow_debug);
  EXPECT_EQ(r.state, CheckState::kFail);
  EXPECT_NE(r.reason.find("(8)"), std::string::npos) << r.reason;

  TdxQuote sept = RealV4();
  sept.body.td_attributes[3] = 0x00;
  EXPECT_EQ(CheckTdAttributes(sept, QuotePolicy{}).state, CheckState::kFail);
  QuotePolicy allow_sept;
  allow_sept.allow_sept_ve = true;
  EXPECT_EQ(CheckTdAttributes(sept, allow_sept).state, CheckState::kPass);

  TdxQuote service = RealV4();
  service.body.is_td15 = true;
  service.body.mr_service_td[5] = 1;
  EXPECT_EQ(CheckTdAttributes(service, QuotePolicy{}).state, CheckState::kFail);
  QuotePolicy allow_service;
  allow_service.allow_service_td = true;
  EXPECT_EQ(CheckTdAttributes(service, allow_service).state, CheckState::kPass);

  TdxQuote named = RealV4();
  named.body.td_attributes[3] |= 0x40;  // PKS
  named.body.td_attributes[7] = 0x80;   // PERFMON
  EXPECT_EQ(CheckTdAttributes(named, QuotePolicy{}).state, CheckState::kPass);
  EXPECT_EQ(DecodeTdAttributes(named.body.td_attributes),
            (std::vector<std::string>{"SEPT_VE_DISABLE", "PKS", "PERFMON"}));
}

TEST(TdMeasurements, SkippedWithoutPinsPassingAndFailingWithThem) {
  const TdxQuote quote = RealV4();
  EXPECT_EQ(CheckTdMeasurements(quote, {}, QuotePolicy{}).state, CheckState::kSkip);
  QuotePolicy policy;
  ASSERT_TRUE(ApplyPolicySetting("mrtd=" + crypto::EncodeHex(quote.body.mr_td) +
                                     ";rtmr3=" + std::string(96, '0') + ";fmspc=b0c06f000000",
                                 policy)
                  .ok());
  const crypto::Bytes fmspc = *crypto::DecodeHex("b0c06f000000");
  EXPECT_EQ(CheckTdMeasurements(quote, fmspc, policy).state, CheckState::kPass);
  TdxQuote other = quote;
  other.body.mr_td[0] ^= 1;
  const CheckResult r = CheckTdMeasurements(other, fmspc, policy);
  EXPECT_EQ(r.state, CheckState::kFail);
  EXPECT_EQ(r.reason.rfind("mrtd is ", 0), 0u) << r.reason;
  QuotePolicy minimum;
  ASSERT_TRUE(ApplyPolicySetting("min_tee_tcb_svn=06020000000000000000000000000000", minimum).ok());
  EXPECT_EQ(CheckTdMeasurements(quote, fmspc, minimum).state, CheckState::kFail);
}

TEST(QuotePolicySettings, ParsesEveryKeyAndNamesBadOnes) {
  QuotePolicy p;
  ASSERT_TRUE(ApplyPolicySetting("tcb_status=UpToDate,OutOfDate; allow_debug=true", p).ok());
  EXPECT_EQ(p.accepted_tcb_statuses, (std::vector<std::string>{"UpToDate", "OutOfDate"}));
  EXPECT_TRUE(p.allow_debug);
  ASSERT_TRUE(
      ApplyPolicySetting("mr_seam=" + std::string(96, 'a') + "," + std::string(96, 'b'), p).ok());
  EXPECT_EQ(p.pins["mr_seam"].size(), 2u);
  ASSERT_TRUE(ApplyPolicySetting("min_tcb_evaluation_data_number=17", p).ok());
  EXPECT_EQ(p.min_tcb_evaluation_data_number, 17);
  EXPECT_EQ(ApplyPolicySetting("tcb_status=Fine", p)
                .error()
                .rfind("policy tcb_status: unknown status 'Fine'", 0),
            0u);
  EXPECT_EQ(ApplyPolicySetting("mrtd=abcd", p).error(),
            "policy mrtd: expected 48 bytes (96 hex digits), got 2");
  EXPECT_FALSE(ApplyPolicySetting("colour=blue", p).ok());
  EXPECT_FALSE(ApplyPolicySetting("allow_debug=yes", p).ok());
  EXPECT_FALSE(ApplyPolicySetting("mrtd", p).ok());
  EXPECT_FALSE(
      ApplyPolicySetting("mrtd=" + std::string(96, 'a') + "," + std::string(96, 'b'), p).ok());
}

}  // namespace
}  // namespace teeharness::attestation
