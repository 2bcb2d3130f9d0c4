#include "harness/attestation/pki/certificate_pool.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/pki/trust_roots.h"
#include "tests/support/paths.h"

namespace teeharness::attestation::pki {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(CertificatePool, ParsesEachDistinctDerOnceAndKnowsAddedRoots) {
  CertificatePool pool;
  const Certificate& root = IntelSgxRootCa();
  pool.Add(root);
  Result<Certificate> again = pool.FromDer(root.der());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), root.get());  // the same parsed object, not a second parse
  // A real issuer chain (TCB signing certificate, root): the root comes from the pool, the other
  // is parsed once and then shared too.
  Result<Collateral> c = ParseCollateralJson(ReadText(
      testing::SourceDir() + "/tests/vectors/attestation/tdx/dcap-qvl-v4.collateral.json"));
  ASSERT_TRUE(c.ok()) << c.error();
  Result<std::vector<Certificate>> first = ParsePemChain(c->tcb_info_issuer_chain, pool);
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ(first->back().get(), root.get());
  Result<std::vector<Certificate>> second = ParsePemChain(c->tcb_info_issuer_chain, pool);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(first->size(), second->size());
  for (size_t i = 0; i < first->size(); ++i) EXPECT_EQ((*first)[i].get(), (*second)[i].get());
}

TEST(CertificatePool, BadBytesAreAnErrorEveryTime) {
  CertificatePool pool;
  const crypto::Bytes garbage = {0x30, 0x03, 0x02, 0x01, 0x00};
  EXPECT_FALSE(pool.FromDer(garbage).ok());
  EXPECT_FALSE(pool.FromDer(garbage).ok());
}

}  // namespace
}  // namespace teeharness::attestation::pki
