#include "harness/attestation/pki/chain.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "harness/attestation/pki/trust_roots.h"
#include "tests/unit/attestation_pki/test_pki_util.h"

namespace teeharness::attestation::pki {
namespace {

using testing::ReadVector;

// One TDX vector: the PCK chain from the quote and both CRLs from the collateral.
struct TdxVector {
  std::vector<Certificate> chain;
  Crl root_crl;
  Crl pck_crl;
};

Result<TdxVector> LoadTdx(const std::string& name) {
  auto chain = ParsePemChain(testing::QuotePemChain(ReadVector("tdx/" + name + ".quote")));
  if (!chain) return Error{chain.error()};
  const std::string text = ReadVector("tdx/" + name + ".collateral.json");
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return MakeError("bad collateral JSON");
  auto root_crl = Crl::Parse(doc["root_ca_crl"].GetString());
  if (!root_crl) return Error{root_crl.error()};
  auto pck_crl = Crl::Parse(doc["pck_crl"].GetString());
  if (!pck_crl) return Error{pck_crl.error()};
  return TdxVector{std::move(chain).value(), std::move(root_crl).value(),
                   std::move(pck_crl).value()};
}

class IntelChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadTdx("dcap-qvl-v4");
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    vector_ = std::make_unique<TdxVector>(std::move(loaded).value());
  }
  ChainOptions Options(int64_t at) const {
    return ChainOptions{at, {&vector_->root_crl, &vector_->pck_crl}};
  }
  std::unique_ptr<TdxVector> vector_;
};

TEST_F(IntelChainTest, V4ChainVerifiesWithBothCrls) {
  auto verdict = VerifyChain(vector_->chain, IntelSgxRootCa(), Options(testing::kV4At));
  ASSERT_TRUE(verdict.ok()) << verdict.error();
  EXPECT_GE(verdict->earliest_not_after, testing::kV4At);
  EXPECT_LE(verdict->latest_not_before, testing::kV4At);
  EXPECT_LE(verdict->earliest_not_after, vector_->pck_crl.next_update());
  EXPECT_LE(verdict->earliest_not_after, vector_->root_crl.next_update());
  for (const Certificate& cert : vector_->chain) {
    EXPECT_LE(verdict->earliest_not_after, cert.not_after());
  }
}

TEST_F(IntelChainTest, ChainWithoutTheRootVerifiesToo) {
  std::vector<Certificate> below(vector_->chain.begin(), vector_->chain.begin() + 2);
  auto verdict = VerifyChain(below, IntelSgxRootCa(), Options(testing::kV4At));
  ASSERT_TRUE(verdict.ok()) << verdict.error();
}

TEST_F(IntelChainTest, RejectedOneSecondAfterTheEarliestExpiry) {
  auto verdict = VerifyChain(vector_->chain, IntelSgxRootCa(), Options(testing::kV4At));
  ASSERT_TRUE(verdict.ok()) << verdict.error();
  EXPECT_TRUE(
      VerifyChain(vector_->chain, IntelSgxRootCa(), Options(verdict->earliest_not_after)).ok());
  auto late =
      VerifyChain(vector_->chain, IntelSgxRootCa(), Options(verdict->earliest_not_after + 1));
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().find("expired at"), std::string::npos) << late.error();
  EXPECT_TRUE(
      VerifyChain(vector_->chain, IntelSgxRootCa(), Options(verdict->latest_not_before)).ok());
  auto early =
      VerifyChain(vector_->chain, IntelSgxRootCa(), Options(verdict->latest_not_before - 1));
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.error().find("not valid before"), std::string::npos) << early.error();
}

TEST_F(IntelChainTest, ExpiredCrlIsNamed) {
  // The PCK CRL's nextUpdate is earlier than any certificate's notAfter.
  const int64_t after = vector_->pck_crl.next_update() + 1;
  auto late = VerifyChain(vector_->chain, IntelSgxRootCa(), Options(after));
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().find("CRL of CN=Intel SGX PCK Platform CA"), std::string::npos)
      << late.error();
  EXPECT_NE(late.error().find("expired at 20"), std::string::npos) << late.error();
}

TEST_F(IntelChainTest, FlippedLeafSignatureOrBodyFails) {
  const crypto::Bytes& der = vector_->chain[0].der();
  for (size_t offset : {der.size() - 1, der.size() - 20, size_t{20}, der.size() / 2}) {
    crypto::Bytes flipped = der;
    flipped[offset] ^= 0x01;
    auto cert = Certificate::FromDer(flipped);
    if (!cert.ok()) continue;  // Unparseable is a failure too.
    std::vector<Certificate> chain = vector_->chain;
    chain[0] = std::move(cert).value();
    auto verdict = VerifyChain(chain, IntelSgxRootCa(), Options(testing::kV4At));
    ASSERT_FALSE(verdict.ok()) << "offset " << offset;
    EXPECT_NE(verdict.error().find("certificate 0 (CN=Intel SGX PCK Certificate"),
              std::string::npos)
        << verdict.error();
  }
}

TEST_F(IntelChainTest, AnotherRootFails) {
  auto verdict = VerifyChain(vector_->chain, NvidiaDeviceIdentityCa(), Options(testing::kV4At));
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().find("certificate 2 (CN=Intel SGX Root CA"), std::string::npos)
      << verdict.error();
  std::vector<Certificate> below(vector_->chain.begin(), vector_->chain.begin() + 2);
  EXPECT_FALSE(VerifyChain(below, NvidiaDeviceIdentityCa(), Options(testing::kV4At)).ok());
}

TEST_F(IntelChainTest, OutOfOrderChainFails) {
  std::vector<Certificate> swapped = {vector_->chain[1], vector_->chain[0], vector_->chain[2]};
  EXPECT_FALSE(VerifyChain(swapped, IntelSgxRootCa(), Options(testing::kV4At)).ok());
  EXPECT_FALSE(VerifyChain({}, IntelSgxRootCa(), Options(testing::kV4At)).ok());
}

TEST_F(IntelChainTest, CrlFromOutsideTheChainOrNullFails) {
  testing::Key key = testing::NewKey();
  const Crl stranger = testing::MakeCrl("stranger", key.get(), {});
  ChainOptions options = Options(testing::kV4At);
  options.crls.push_back(&stranger);
  auto verdict = VerifyChain(vector_->chain, IntelSgxRootCa(), options);
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().find("not issued by any certificate"), std::string::npos)
      << verdict.error();
  options.crls = {nullptr};
  EXPECT_FALSE(VerifyChain(vector_->chain, IntelSgxRootCa(), options).ok());
}

TEST_F(IntelChainTest, CacheIsSafeToShareBetweenThreads) {
  ChainCache cache;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        const ChainOptions options = Options(testing::kV4At - 60 * i);
        if (cache.Verify(vector_->chain, IntelSgxRootCa(), options).ok()) ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_GE(cache.hits(), 36u);  // At most one miss per thread (they may race on the first).
}

TEST(V5ChainTest, VerifiesAtItsTime) {
  auto loaded = LoadTdx("dcap-qvl-v5-nomatch");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  ChainOptions options{testing::kV5At, {&loaded->root_crl, &loaded->pck_crl}};
  auto verdict = VerifyChain(loaded->chain, IntelSgxRootCa(), options);
  ASSERT_TRUE(verdict.ok()) << verdict.error();
}

TEST(NvidiaChainTest, VerifiesToTheNvidiaRoot) {
  auto chain = ParsePemChain(ReadVector("gpu/nvtrust-h100.certchain.pem"));
  ASSERT_TRUE(chain.ok()) << chain.error();
  ASSERT_EQ(chain->size(), 5u);
  auto verdict = VerifyChain(*chain, NvidiaDeviceIdentityCa(), ChainOptions{testing::kV4At, {}});
  ASSERT_TRUE(verdict.ok()) << verdict.error();
  EXPECT_FALSE(VerifyChain(*chain, IntelSgxRootCa(), ChainOptions{testing::kV4At, {}}).ok());
  // Before the provisioner ICA existed.
  EXPECT_FALSE(VerifyChain(*chain, NvidiaDeviceIdentityCa(), ChainOptions{1600000000, {}}).ok());
}

// A three-level test PKI of our own, for the rules Intel's real data cannot exercise.
class TestPkiTest : public ::testing::Test {
 protected:
  TestPkiTest()
      : root_key_(testing::NewKey()),
        ca_key_(testing::NewKey("P-384")),
        leaf_key_(testing::NewKey()),
        root_(testing::MakeCert({"root", "root", 1, true}, root_key_.get(), root_key_.get())),
        ca_(testing::MakeCert({"ca", "root", 2, true}, ca_key_.get(), root_key_.get())),
        leaf_(testing::MakeCert({"leaf", "ca", 77, false}, leaf_key_.get(), ca_key_.get())) {}

  std::vector<Certificate> Chain() const { return {leaf_, ca_, root_}; }

  testing::Key root_key_, ca_key_, leaf_key_;
  Certificate root_, ca_, leaf_;
  static constexpr int64_t kAt = 1760000000;
};

TEST_F(TestPkiTest, CleanCrlsPass) {
  const Crl ca_crl = testing::MakeCrl("ca", ca_key_.get(), {5, 6});
  const Crl root_crl = testing::MakeCrl("root", root_key_.get(), {});
  auto verdict = VerifyChain(Chain(), root_, ChainOptions{kAt, {&root_crl, &ca_crl}});
  ASSERT_TRUE(verdict.ok()) << verdict.error();
  EXPECT_EQ(verdict->earliest_not_after, 1800000000);
  EXPECT_EQ(verdict->latest_not_before, 1750000000);
}

TEST_F(TestPkiTest, CrlListingTheLeafIsRejected) {
  const Crl ca_crl = testing::MakeCrl("ca", ca_key_.get(), {5, 77});
  auto verdict = VerifyChain(Chain(), root_, ChainOptions{kAt, {&ca_crl}});
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error(),
            "certificate CN=leaf, O=teeharness test serial 4d is revoked by the CRL of CN=ca, "
            "O=teeharness test");
}

TEST_F(TestPkiTest, RootCrlListingTheIntermediateIsRejected) {
  const Crl root_crl = testing::MakeCrl("root", root_key_.get(), {2});
  auto verdict = VerifyChain(Chain(), root_, ChainOptions{kAt, {&root_crl}});
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().find("certificate CN=ca, O=teeharness test serial 02 is revoked"),
            std::string::npos)
      << verdict.error();
  // Also when the root is not part of the presented chain.
  EXPECT_FALSE(VerifyChain({leaf_, ca_}, root_, ChainOptions{kAt, {&root_crl}}).ok());
}

TEST_F(TestPkiTest, ForgedCrlIsRejected) {
  // Right issuer name, wrong key.
  testing::Key mallory = testing::NewKey();
  const Crl forged = testing::MakeCrl("ca", mallory.get(), {});
  auto verdict = VerifyChain(Chain(), root_, ChainOptions{kAt, {&forged}});
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().find("signature"), std::string::npos) << verdict.error();
}

TEST_F(TestPkiTest, StaleOrFutureCrlIsRejected) {
  const Crl stale = testing::MakeCrl("ca", ca_key_.get(), {}, 1700000000, 1759999999);
  auto verdict = VerifyChain(Chain(), root_, ChainOptions{kAt, {&stale}});
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error(),
            "CRL of CN=ca, O=teeharness test expired at 2025-10-09T08:53:19Z (verification time "
            "2025-10-09T08:53:20Z)");
  const Crl future = testing::MakeCrl("ca", ca_key_.get(), {}, kAt + 1, 1800000000);
  EXPECT_FALSE(VerifyChain(Chain(), root_, ChainOptions{kAt, {&future}}).ok());
}

TEST_F(TestPkiTest, NonCaIntermediateIsRejected) {
  const Certificate not_ca =
      testing::MakeCert({"ca", "root", 2, false}, ca_key_.get(), root_key_.get());
  auto verdict = VerifyChain({leaf_, not_ca, root_}, root_, ChainOptions{kAt, {}});
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().find("certificate 1 (CN=ca"), std::string::npos) << verdict.error();
  EXPECT_NE(verdict.error().find("CA:TRUE"), std::string::npos) << verdict.error();
}

TEST_F(TestPkiTest, ExpiredRootIsRejected) {
  const Certificate old_root = testing::MakeCert({"root", "root", 1, true, 1600000000, 1700000000},
                                                 root_key_.get(), root_key_.get());
  auto verdict = VerifyChain({leaf_, ca_, old_root}, old_root, ChainOptions{kAt, {}});
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().find("certificate 2 (CN=root"), std::string::npos) << verdict.error();
  // Not in the chain: still checked, and named as the trusted root.
  auto below = VerifyChain({leaf_, ca_}, old_root, ChainOptions{kAt, {}});
  ASSERT_FALSE(below.ok());
  EXPECT_NE(below.error().find("the trusted root (CN=root"), std::string::npos) << below.error();
}

TEST_F(TestPkiTest, SameNameDifferentKeyRootFails) {
  testing::Key other_key = testing::NewKey();
  const Certificate impostor =
      testing::MakeCert({"root", "root", 1, true}, other_key.get(), other_key.get());
  EXPECT_FALSE(VerifyChain(Chain(), impostor, ChainOptions{kAt, {}}).ok());
  EXPECT_FALSE(VerifyChain({leaf_, ca_}, impostor, ChainOptions{kAt, {}}).ok());
}

TEST_F(TestPkiTest, CacheMemoizesAndRechecksTime) {
  ChainCache cache;
  const Crl ca_crl = testing::MakeCrl("ca", ca_key_.get(), {});
  const ChainOptions options{kAt, {&ca_crl}};
  ASSERT_TRUE(cache.Verify(Chain(), root_, options).ok());
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.hits(), 0u);
  ASSERT_TRUE(cache.Verify(Chain(), root_, ChainOptions{kAt + 100, {&ca_crl}}).ok());
  EXPECT_EQ(cache.hits(), 1u);
  // Outside the window: a full verification with its real error.
  auto late = cache.Verify(Chain(), root_, ChainOptions{1800000001, {&ca_crl}});
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().find("expired at"), std::string::npos);
  EXPECT_EQ(cache.hits(), 1u);
  // A different CRL set is a different key: the revoked leaf is not masked by the cached verdict.
  const Crl revoking = testing::MakeCrl("ca", ca_key_.get(), {77});
  EXPECT_FALSE(cache.Verify(Chain(), root_, ChainOptions{kAt, {&revoking}}).ok());
  EXPECT_TRUE(cache.Verify(Chain(), root_, ChainOptions{kAt, {}}).ok());
  EXPECT_EQ(cache.size(), 2u);
}

TEST_F(TestPkiTest, CacheIsBounded) {
  ChainCache cache(2);
  for (long serial = 100; serial < 105; ++serial) {
    const Crl crl = testing::MakeCrl("ca", ca_key_.get(), {serial});
    ASSERT_TRUE(cache.Verify(Chain(), root_, ChainOptions{kAt, {&crl}}).ok());
    EXPECT_LE(cache.size(), 2u);
  }
}

}  // namespace
}  // namespace teeharness::attestation::pki
