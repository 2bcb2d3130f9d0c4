#include "harness/attestation/quote/tdx_quote.h"

#include <gtest/gtest.h>

#include "mocks/attestation_builder.h"

namespace teeharness::attestation {
namespace {

crypto::Bytes ReportData() {
  crypto::Bytes data(64);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i + 1);
  return data;
}

// A v5 quote with a TD report 1.5 body carrying `report_data`.
crypto::Bytes V5Quote(uint16_t body_type, uint32_t body_size, size_t actual_body) {
  crypto::Bytes quote(48 + 6 + actual_body + 4, 0);
  quote[0] = 5;
  quote[4] = 0x81;
  quote[48] = static_cast<uint8_t>(body_type);
  for (int i = 0; i < 4; ++i) quote[50 + i] = static_cast<uint8_t>(body_size >> (8 * i));
  if (actual_body >= 584) {
    const crypto::Bytes data = ReportData();
    std::copy(data.begin(), data.end(), quote.begin() + 54 + 520);
  }
  return quote;
}

TEST(TdxQuote, ReadsTheMockV4Quote) {
  const crypto::Bytes quote = mocks::BuildMockQuote(ReportData());
  const Result<TdxQuote> parsed = ParseTdxQuote(quote);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->version, 4);
  EXPECT_EQ(parsed->attestation_key_type, 2);
  EXPECT_EQ(parsed->tee_type, 0x81u);
  EXPECT_EQ(crypto::Bytes(parsed->report_data.begin(), parsed->report_data.end()), ReportData());
  EXPECT_EQ(parsed->signature_data_length, 0u);
}

TEST(TdxQuote, ReadsV5BodiesOfBothSizes) {
  for (auto [type, size] : {std::pair<uint16_t, uint32_t>{2, 584}, {3, 648}}) {
    const Result<TdxQuote> parsed = ParseTdxQuote(V5Quote(type, size, size));
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(parsed->body_type, type);
    EXPECT_EQ(crypto::Bytes(parsed->report_data.begin(), parsed->report_data.end()), ReportData());
  }
}

TEST(TdxQuote, NamesWhatIsWrongAndWhere) {
  crypto::Bytes quote = mocks::BuildMockQuote(ReportData());
  EXPECT_EQ(ParseTdxQuote(crypto::ByteSpan(quote.data(), 20)).error(),
            "quote is 20 bytes, shorter than its 48-byte header");
  EXPECT_EQ(ParseTdxQuote(crypto::ByteSpan(quote.data(), 600)).error(),
            "quote is 600 bytes; a TDX v4 quote needs at least 632");
  crypto::Bytes wrong_version = quote;
  wrong_version[0] = 3;
  EXPECT_EQ(ParseTdxQuote(wrong_version).error(), "quote version 3 at offset 0; expected 4 or 5");
  crypto::Bytes sgx = quote;
  sgx[4] = 0;
  EXPECT_EQ(ParseTdxQuote(sgx).error(), "quote TEE type 0 at offset 4; TDX is 129 (0x81)");
  crypto::Bytes lying = quote;
  lying[632] = 0xff;  // signature data length 255, but nothing follows
  EXPECT_EQ(ParseTdxQuote(lying).error(),
            "quote signature data length 255 at offset 632 runs past the quote's 636 bytes");
  EXPECT_EQ(ParseTdxQuote(V5Quote(7, 584, 584)).error(),
            "quote body type 7 at offset 48 is not a TD report (2 or 3)");
  EXPECT_EQ(ParseTdxQuote(V5Quote(3, 584, 584)).error(),
            "quote body size 584 at offset 50; body type 3 has 648");
  EXPECT_EQ(ParseTdxQuote(V5Quote(3, 648, 100)).error(),
            "quote is 158 bytes; its v5 body ends at 702");
}

}  // namespace
}  // namespace teeharness::attestation
