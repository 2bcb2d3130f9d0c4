#include "mocks/pki/process_pki.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace teeharness::mocks::pki {
namespace {

std::atomic<uint64_t> g_seed{0};
std::atomic<bool> g_created{false};
std::atomic<const MockPki*> g_installed{nullptr};

}  // namespace

const MockPki& ProcessMockPki() {
  static const MockPki* const pki = []() -> const MockPki* {
    if (const MockPki* installed = g_installed.load()) {
      g_created.store(true);
      return installed;
    }
    Result<MockPki> created = MockPki::Create(g_seed.load());
    if (!created.ok()) {
      std::fprintf(stderr, "teeharness mock: %s\n", created.error().c_str());
      std::abort();
    }
    g_created.store(true);
    return new MockPki(std::move(created).value());  // never freed: lives as long as the process
  }();
  return *pki;
}

bool InstallProcessMockPki(MockPki pki) {
  if (g_created.load()) return ProcessMockPki().RootPem() == pki.RootPem();
  delete g_installed.exchange(new MockPki(std::move(pki)));
  return true;
}

bool SetProcessMockPkiSeed(uint64_t seed) {
  if (g_created.load()) return g_seed.load() == seed;
  g_seed.store(seed);
  return true;
}

}  // namespace teeharness::mocks::pki
