// The collateral store: one fetch per (base URL, FMSPC, ca), memory then disk, valid until the
// earliest nextUpdate at the verification time, atomic files the --collateral FILE parser reads,
// and an unwritable directory that only costs a warning.
#include "harness/attestation/collateral/collateral_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "harness/attestation/collateral/collateral_validity.h"
#include "harness/attestation/collateral/collateral_writer.h"
#include "harness/attestation/collateral/rfc3339.h"
#include "tests/support/files.h"
#include "tests/unit/attestation_pcs/fake_pcs.h"

namespace teeharness::attestation {
namespace {

using pcs_testing::FakePcs;
using pcs_testing::kBase;
using pcs_testing::kV4At;
using pcs_testing::V4Collateral;

CollateralKey V4Key() {
  CollateralKey key;
  key.fmspc = {0xb0, 0xc0, 0x6f, 0, 0, 0};
  key.ca = PckCa::kPlatform;
  return key;
}

CollateralStoreOptions Options(FakePcs& pcs, const std::string& dir,
                               std::vector<std::string>* warnings = nullptr) {
  CollateralStoreOptions o;
  o.base_url = kBase;
  o.cache_dir = dir;
  o.http = pcs.Get();
  o.warn = [warnings](const std::string& w) {
    if (warnings != nullptr) warnings->push_back(w);
  };
  return o;
}

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

// The v4 vector's earliest nextUpdate (of TCB info, QE identity and both CRLs).
int64_t V4NextUpdate() {
  Result<int64_t> t = CollateralNextUpdate(V4Collateral());
  EXPECT_TRUE(t.ok()) << t.error();
  return t.ok() ? *t : 0;
}

TEST(CollateralValidity, EarliestNextUpdateOfTheRealCollateral) {
  const int64_t t = V4NextUpdate();
  EXPECT_GT(t, kV4At);
  // The vector was cut so that its time is one second before its first nextUpdate.
  EXPECT_EQ(FormatRfc3339(t), "2025-07-19T10:00:35Z");
  Collateral broken = V4Collateral();
  broken.pck_crl = {1, 2, 3};
  EXPECT_FALSE(CollateralNextUpdate(broken).ok());
}

TEST(CollateralWriter, RoundTripsThroughTheFileParser) {
  const Collateral c = V4Collateral();
  Result<Collateral> back = ParseCollateralJson(CollateralToJson(c, {{"base_url", kBase}}));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->tcb_info, c.tcb_info);
  EXPECT_EQ(back->qe_identity, c.qe_identity);
  EXPECT_EQ(back->tcb_info_signature, c.tcb_info_signature);
  EXPECT_EQ(back->qe_identity_signature, c.qe_identity_signature);
  EXPECT_EQ(back->pck_crl, c.pck_crl);
  EXPECT_EQ(back->root_ca_crl, c.root_ca_crl);
  EXPECT_EQ(back->tcb_info_issuer_chain, c.tcb_info_issuer_chain);
  EXPECT_EQ(back->qe_identity_issuer_chain, c.qe_identity_issuer_chain);
  EXPECT_EQ(back->pck_crl_issuer_chain, c.pck_crl_issuer_chain);
}

TEST(CollateralStore, FetchesOnceThenServesFromMemoryAndFromDisk) {
  FakePcs pcs(V4Collateral());
  testing::TempDir dir;
  const std::string cache = dir.path() + "/a/b";  // created on first write
  {
    CollateralStore store(Options(pcs, cache));
    Result<std::shared_ptr<const Collateral>> first = store.Get(V4Key(), kV4At);
    ASSERT_TRUE(first.ok()) << first.error();
    EXPECT_EQ((*first)->tcb_info, V4Collateral().tcb_info);
    Result<std::shared_ptr<const Collateral>> second = store.Get(V4Key(), kV4At - 86400);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(first->get(), second->get());  // the same object, from memory
    EXPECT_EQ(store.stats().fetches, 1);
    EXPECT_EQ(store.stats().memory_hits, 1);
  }
  EXPECT_EQ(pcs.Count("/tcb?"), 1);
  const std::vector<std::string> files = Files(cache);
  ASSERT_EQ(files.size(), 1u);  // no temp file left behind
  EXPECT_EQ(files[0].size(), 64u + 5u) << files[0];
  // The file is QuoteCollateralV3 JSON: what --collateral FILE reads.
  Result<Collateral> file = ParseCollateralJson(testing::ReadFileOrFail(cache + "/" + files[0]));
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file->tcb_info, V4Collateral().tcb_info);

  // A new store (a new process) with the server down: from disk, no fetch.
  pcs.down = true;
  CollateralStore store(Options(pcs, cache));
  Result<std::shared_ptr<const Collateral>> cached = store.Get(V4Key(), kV4At);
  ASSERT_TRUE(cached.ok()) << cached.error();
  EXPECT_EQ((*cached)->root_ca_crl, V4Collateral().root_ca_crl);
  EXPECT_EQ(store.stats().disk_hits, 1);
  EXPECT_EQ(pcs.Count("/tcb?"), 1);  // the (down) server was not asked
}

TEST(CollateralStore, PastTheEarliestNextUpdateItRefetches) {
  FakePcs pcs(V4Collateral());
  testing::TempDir dir;
  CollateralStore store(Options(pcs, dir.path()));
  ASSERT_TRUE(store.Get(V4Key(), kV4At).ok());
  // At the earliest nextUpdate itself it still holds; one second later it does not.
  ASSERT_TRUE(store.Get(V4Key(), V4NextUpdate()).ok());
  EXPECT_EQ(store.stats().fetches, 1);
  ASSERT_TRUE(store.Get(V4Key(), V4NextUpdate() + 1).ok());
  EXPECT_EQ(store.stats().fetches, 2);
  // A stale disk entry is not served either: with the server down the result is the fetch error.
  pcs.down = true;
  CollateralStore fresh(Options(pcs, dir.path()));
  Result<std::shared_ptr<const Collateral>> r = fresh.Get(V4Key(), V4NextUpdate() + 1);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("GET https://pccs.example/tdx/certification/v4/tcb?fmspc=B0C06F000000"),
            std::string::npos)
      << r.error();
  EXPECT_EQ(fresh.stats().fetch_failures, 1);
  EXPECT_EQ(fresh.stats().disk_hits, 0);
}

TEST(CollateralStore, KeysByFmspcCaAndBaseUrl) {
  FakePcs pcs(V4Collateral());
  testing::TempDir dir;
  CollateralStore store(Options(pcs, dir.path()));
  ASSERT_TRUE(store.Get(V4Key(), kV4At).ok());
  CollateralKey processor = V4Key();
  processor.ca = PckCa::kProcessor;
  EXPECT_FALSE(store.Get(processor, kV4At).ok());  // another key: fetched (and 404 here)
  CollateralKey other = V4Key();
  other.fmspc[5] = 1;
  Result<std::shared_ptr<const Collateral>> r = store.Get(other, kV4At);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("fmspc=B0C06F000001: HTTP 404"), std::string::npos) << r.error();
  // Another base URL sharing the directory does not read this one's file.
  FakePcs elsewhere(V4Collateral(), "https://other.example");
  elsewhere.down = true;
  CollateralStoreOptions o = Options(elsewhere, dir.path());
  o.base_url = "https://other.example";
  CollateralStore other_store(std::move(o));
  EXPECT_FALSE(other_store.Get(V4Key(), kV4At).ok());
}

TEST(CollateralStore, UnreadableOrForeignCacheFilesAreRefetched) {
  FakePcs pcs(V4Collateral());
  testing::TempDir dir;
  {
    CollateralStore store(Options(pcs, dir.path()));
    ASSERT_TRUE(store.Get(V4Key(), kV4At).ok());
  }
  for (const std::string& content :
       {std::string("{truncated"), CollateralToJson(V4Collateral()),  // no metadata
        CollateralToJson(
            V4Collateral(),
            {{"base_url", "https://elsewhere"}, {"fmspc", "b0c06f000000"}, {"ca", "platform"}})}) {
    dir.Write(Files(dir.path()).at(0), content);
    CollateralStore store(Options(pcs, dir.path()));
    ASSERT_TRUE(store.Get(V4Key(), kV4At).ok());
    EXPECT_EQ(store.stats().fetches, 1) << content.substr(0, 40);
    EXPECT_EQ(store.stats().disk_hits, 0);
  }
  // ... and each refetch rewrote the entry, which now serves from disk again.
  CollateralStore store(Options(pcs, dir.path()));
  ASSERT_TRUE(store.Get(V4Key(), kV4At).ok());
  EXPECT_EQ(store.stats().disk_hits, 1);
}

TEST(CollateralStore, AnUnwritableDirectoryWarnsOnceAndKeepsMemory) {
  FakePcs pcs(V4Collateral());
  testing::TempDir dir;
  const std::string file = dir.Write("not-a-dir", "x");  // a file where the directory should be
  std::vector<std::string> warnings;
  CollateralStore store(Options(pcs, file + "/cache", &warnings));
  ASSERT_TRUE(store.Get(V4Key(), kV4At).ok());
  ASSERT_TRUE(store.Get(V4Key(), V4NextUpdate() + 1).ok());  // stale: refetched, write not retried
  ASSERT_TRUE(store.Get(V4Key(), kV4At - 86400).ok());       // from memory
  EXPECT_EQ(store.stats().fetches, 2);
  EXPECT_EQ(store.stats().memory_hits, 1);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("not writable"), std::string::npos) << warnings[0];
}

TEST(CollateralStore, ConcurrentMissesFetchOnce) {
  FakePcs pcs(V4Collateral());
  CollateralStore store(Options(pcs, ""));  // memory only
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { ok += store.Get(V4Key(), kV4At).ok() ? 1 : 0; });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(pcs.Count("/tcb?"), 1);
  EXPECT_EQ(store.stats().fetches, 1);
}

TEST(CollateralStore, DefaultDirectoryFollowsXdgThenHome) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const std::string saved_xdg = xdg ? xdg : "", saved_home = home ? home : "";
  setenv("XDG_CACHE_HOME", "/x/cache", 1);
  EXPECT_EQ(DefaultCollateralCacheDir(), "/x/cache/teeharness/collateral");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(DefaultCollateralCacheDir(), "/home/u/.cache/teeharness/collateral");
  unsetenv("HOME");
  EXPECT_EQ(DefaultCollateralCacheDir(), "");
  if (xdg) setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
  if (home) setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace teeharness::attestation
