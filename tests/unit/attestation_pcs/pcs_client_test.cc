// The PCS v4 client against an in-memory PCCS serving the real Intel-signed v4 collateral: the
// fetched collateral equals the shipped file byte for byte and verifies the real quote; every
// failure names the URL and the status.
#include "harness/attestation/collateral/pcs_client.h"

#include <gtest/gtest.h>

#include "harness/attestation/verify/quote_verifier.h"
#include "tests/unit/attestation_pcs/fake_pcs.h"

namespace teeharness::attestation {
namespace {

using pcs_testing::FakePcs;
using pcs_testing::kBase;
using pcs_testing::kV4At;
using pcs_testing::V4Collateral;

CollateralKey V4Key() {
  Result<CollateralKey> key = CollateralKeyFromQuote(
      crypto::AsBytes(std::string_view(pcs_testing::ReadVector("dcap-qvl-v4.quote"))));
  EXPECT_TRUE(key.ok()) << key.error();
  return key.ok() ? *key : CollateralKey{};
}

TEST(PcsEndpoints, NormalizesTheBaseAndBuildsV4Urls) {
  for (const char* base : {"https://pccs.example", "https://pccs.example/",
                           "https://pccs.example/sgx/certification/v4/",
                           "https://pccs.example/tdx/certification/v4"}) {
    const PcsEndpoints e(base);
    EXPECT_EQ(e.base_url(), "https://pccs.example") << base;
    EXPECT_FALSE(e.IsIntelPcs());
  }
  const PcsEndpoints e("http://127.0.0.1:8081");
  const uint8_t fmspc[] = {0xb0, 0xc0, 0x6f, 0, 0, 0};
  EXPECT_EQ(e.TcbInfo(fmspc), "http://127.0.0.1:8081/tdx/certification/v4/tcb?fmspc=B0C06F000000");
  EXPECT_EQ(e.QeIdentity(), "http://127.0.0.1:8081/tdx/certification/v4/qe/identity");
  EXPECT_EQ(e.PckCrl(PckCa::kProcessor),
            "http://127.0.0.1:8081/sgx/certification/v4/pckcrl?ca=processor&encoding=der");
  EXPECT_EQ(e.RootCaCrl(), "http://127.0.0.1:8081/sgx/certification/v4/rootcacrl");
  EXPECT_TRUE(PcsEndpoints("https://api.trustedservices.intel.com/").IsIntelPcs());
  EXPECT_FALSE(PcsEndpoints("https://api.trustedservices.intel.com.evil").IsIntelPcs());
}

TEST(CollateralKey, RealQuoteIsFmspcB0c06fUnderThePlatformCa) {
  const CollateralKey key = V4Key();
  EXPECT_EQ(crypto::EncodeHex(key.fmspc), "b0c06f000000");
  EXPECT_EQ(key.ca, PckCa::kPlatform);
  EXPECT_FALSE(CollateralKeyFromQuote(crypto::Bytes(100, 0)).ok());
}

TEST(FetchPcsCollateral, EqualsTheShippedCollateralAndVerifiesTheRealQuote) {
  const Collateral expected = V4Collateral();
  FakePcs pcs(expected);
  Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->tcb_info, expected.tcb_info);
  EXPECT_EQ(c->tcb_info_signature, expected.tcb_info_signature);
  EXPECT_EQ(c->tcb_info_issuer_chain, expected.tcb_info_issuer_chain);
  EXPECT_EQ(c->qe_identity, expected.qe_identity);
  EXPECT_EQ(c->qe_identity_signature, expected.qe_identity_signature);
  EXPECT_EQ(c->qe_identity_issuer_chain, expected.qe_identity_issuer_chain);
  EXPECT_EQ(c->pck_crl, expected.pck_crl);
  EXPECT_EQ(c->pck_crl_issuer_chain, expected.pck_crl_issuer_chain);
  EXPECT_EQ(c->root_ca_crl, expected.root_ca_crl);

  QuoteVerifyOptions options;
  options.at = kV4At;
  options.collateral = &*c;
  const std::string quote = pcs_testing::ReadVector("dcap-qvl-v4.quote");
  const QuoteVerification v = VerifyQuote(crypto::AsBytes(std::string_view(quote)), options);
  ASSERT_NE(v.Find("QUOTE-TCB"), nullptr);
  EXPECT_EQ(v.Find("QUOTE-TCB")->state, CheckState::kPass) << v.Find("QUOTE-TCB")->reason;
  EXPECT_EQ(v.Find("QUOTE-CHAIN")->state, CheckState::kPass) << v.Find("QUOTE-CHAIN")->reason;
  EXPECT_EQ(v.tcb_status, "UpToDate");
}

TEST(FetchPcsCollateral, AcceptsTheV3TcbHeaderName) {
  const Collateral expected = V4Collateral();
  FakePcs pcs(expected);
  for (auto& [url, response] : pcs.routes) {
    for (auto& [name, value] : response.headers) {
      if (name == "TCB-Info-Issuer-Chain") name = "SGX-TCB-Info-Issuer-Chain";
    }
  }
  Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->tcb_info_issuer_chain, expected.tcb_info_issuer_chain);
}

TEST(FetchPcsCollateral, FailuresNameTheUrlAndTheStatus) {
  const std::string tcb_url = std::string(kBase) + "/tdx/certification/v4/tcb?fmspc=B0C06F000000";
  {
    FakePcs pcs(V4Collateral());
    pcs.routes[tcb_url].status = 404;
    pcs.routes[tcb_url].body = "No TCB info for FMSPC\n";
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error(), "GET " + tcb_url + ": HTTP 404: No TCB info for FMSPC") << c.error();
  }
  {
    FakePcs pcs(V4Collateral());
    pcs.down = true;
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().find(tcb_url), std::string::npos) << c.error();
    EXPECT_NE(c.error().find("Couldn't connect"), std::string::npos) << c.error();
  }
  {
    FakePcs pcs(V4Collateral());
    pcs.routes[tcb_url].headers.clear();
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error(), "GET " + tcb_url + ": no TCB-Info-Issuer-Chain header") << c.error();
  }
  {
    FakePcs pcs(V4Collateral());
    const std::string pck_url =
        std::string(kBase) + "/sgx/certification/v4/pckcrl?ca=platform&encoding=der";
    pcs.routes[pck_url].body = "garbage";
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().rfind("GET " + pck_url + ": PCK CRL: ", 0), 0u) << c.error();
  }
  {
    FakePcs pcs(V4Collateral());
    CollateralKey key = V4Key();
    key.ca = PckCa::kProcessor;  // the fake serves only the platform CA's CRL
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), key, pcs.Get());
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().find("pckcrl?ca=processor&encoding=der: HTTP 404"), std::string::npos)
        << c.error();
  }
}

TEST(FetchPcsCollateral, RootCrlFallsBackToTheRootsDistributionPoint) {
  const Collateral expected = V4Collateral();
  const std::string cdp = "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";
  {
    // A PCCS without rootcacrl: the root's CRL distribution point, DER.
    FakePcs pcs(expected);
    pcs.routes.erase(std::string(kBase) + "/sgx/certification/v4/rootcacrl");
    pcs.routes[cdp] = {
        200, std::string(expected.root_ca_crl.begin(), expected.root_ca_crl.end()), {}};
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ(c->root_ca_crl, expected.root_ca_crl);
    EXPECT_EQ(pcs.Count("rootcacrl"), 1);
    EXPECT_EQ(pcs.Count(cdp), 1);
  }
  {
    // Intel's PCS has no rootcacrl route: it is not even asked.
    const std::string intel = "https://api.trustedservices.intel.com";
    FakePcs pcs(expected, intel);
    pcs.routes[cdp] = {
        200, std::string(expected.root_ca_crl.begin(), expected.root_ca_crl.end()), {}};
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(intel), V4Key(), pcs.Get());
    ASSERT_TRUE(c.ok()) << c.error();
    EXPECT_EQ(pcs.Count("rootcacrl"), 0);
    EXPECT_EQ(c->root_ca_crl, expected.root_ca_crl);
  }
  {
    // Both fail: both URLs are named.
    FakePcs pcs(expected);
    pcs.routes.erase(std::string(kBase) + "/sgx/certification/v4/rootcacrl");
    Result<Collateral> c = FetchPcsCollateral(PcsEndpoints(kBase), V4Key(), pcs.Get());
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().find("rootcacrl: HTTP 404"), std::string::npos) << c.error();
    EXPECT_NE(c.error().find(cdp + ": HTTP 404"), std::string::npos) << c.error();
  }
}

}  // namespace
}  // namespace teeharness::attestation
