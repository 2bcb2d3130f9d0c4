#include <gtest/gtest.h>

#include "harness/attestation/quote/tdx_quote.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation/vectors.h"

namespace teeharness::attestation {
namespace {

using testing::ReadVectorBytes;

TEST(QuoteSignatureParse, ReadsTheRealV4QuoteByDeclaredLengths) {
  const crypto::Bytes bytes = ReadVectorBytes("tdx/dcap-qvl-v4.quote");
  ASSERT_EQ(bytes.size(), 5006u);
  Result<TdxQuote> quote = ParseTdxQuote(bytes);
  ASSERT_TRUE(quote.ok()) << quote.error();
  EXPECT_EQ(quote->version, 4);
  EXPECT_EQ(quote->attestation_key_type, 2);
  EXPECT_EQ(quote->qe_vendor_id, kIntelQeVendorId);
  EXPECT_EQ(quote->signed_length, 632u);
  EXPECT_EQ(quote->signature_data_length, 4300u);
  EXPECT_EQ(quote->trailing_bytes, 70u);  // padding, not an error
  EXPECT_EQ(crypto::EncodeHex(quote->body.mr_td).substr(0, 8), "91eb2b44");
  EXPECT_EQ(crypto::EncodeHex(quote->body.td_attributes), "0000001000000000");
  EXPECT_EQ(quote->body.rtmr[3], (std::array<uint8_t, 48>{}));
  Result<QuoteSignature> sig = ParseQuoteSignature(bytes, *quote);
  ASSERT_TRUE(sig.ok()) << sig.error();
  EXPECT_EQ(sig->qe_report_bytes.size(), 384u);
  EXPECT_EQ(sig->qe_auth_data.size(), 32u);
  EXPECT_EQ(sig->inner_cert_type, 5);
  EXPECT_EQ(sig->pck_chain_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
}

TEST(QuoteSignatureParse, ReadsTheRealV5Td15Quote) {
  const crypto::Bytes bytes = ReadVectorBytes("tdx/dcap-qvl-v5-nomatch.quote");
  Result<TdxQuote> quote = ParseTdxQuote(bytes);
  ASSERT_TRUE(quote.ok()) << quote.error();
  EXPECT_EQ(quote->version, 5);
  EXPECT_EQ(quote->body_type, 3);
  EXPECT_TRUE(quote->body.is_td15);
  EXPECT_EQ(quote->signed_length, 48u + 6 + 648);
  EXPECT_TRUE(ParseQuoteSignature(bytes, *quote).ok());
}

TEST(QuoteSignatureParse, EveryTruncationIsAnErrorNamingTheField) {
  const crypto::Bytes bytes = ReadVectorBytes("tdx/dcap-qvl-v4.quote");
  Result<TdxQuote> full = ParseTdxQuote(bytes);
  ASSERT_TRUE(full.ok());
  // Shrinking the declared signature length cuts each field in turn; none may read past it.
  for (uint32_t length : {0u, 10u, 100u, 130u, 200u, 600u, 660u, 4000u}) {
    crypto::Bytes cut = bytes;
    for (int i = 0; i < 4; ++i) cut[632 + i] = static_cast<uint8_t>(length >> (8 * i));
    Result<TdxQuote> quote = ParseTdxQuote(cut);
    ASSERT_TRUE(quote.ok()) << quote.error();
    Result<QuoteSignature> sig = ParseQuoteSignature(cut, *quote);
    ASSERT_FALSE(sig.ok()) << length;
    EXPECT_NE(sig.error().find("offset"), std::string::npos) << sig.error();
  }
  crypto::Bytes wrong_type = bytes;
  wrong_type[636 + 128] = 4;
  Result<TdxQuote> quote = ParseTdxQuote(wrong_type);
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(ParseQuoteSignature(wrong_type, *quote).error(),
            "quote certification data type 4 at offset 764; a TDX quote carries type 6 (QE report "
            "certification data)");
}

}  // namespace
}  // namespace teeharness::attestation
