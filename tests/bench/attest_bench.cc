// Cost of verifying a real TDX quote (tests/vectors/attestation: the v4 quote and its collateral),
// cold (nothing cached) and warm (chain, CRL and collateral results cached), against the bare
// OpenSSL P-256 verify it is built on. Target (issue 11): warm <= 1.3x the two P-256
// verifications a new quote needs. The custom main prints the ratios.
#include <benchmark/benchmark.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/pki/chain.h"
#include "harness/attestation/pki/ecdsa.h"
#include "harness/attestation/quote/tdx_quote.h"
#include "harness/attestation/verify/quote_verifier.h"

namespace {

using namespace teeharness;
using namespace teeharness::attestation;

std::string Read(const std::string& name) {
  std::ifstream in(std::string(TEEHARNESS_VECTORS_DIR) + "/attestation/tdx/" + name,
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Fixture {
  std::string quote_text = Read("dcap-qvl-v4.quote");
  crypto::Bytes quote{quote_text.begin(), quote_text.end()};
  Collateral collateral = *ParseCollateralJson(Read("dcap-qvl-v4.collateral.json"));
  TdxQuote parsed = *ParseTdxQuote(quote);
  QuoteSignature signature = *ParseQuoteSignature(quote, parsed);
};

const Fixture& F() {
  static const Fixture fixture;
  return fixture;
}

QuoteVerifyOptions Options(VerifierCache* cache) {
  QuoteVerifyOptions options;
  options.at = 1752919234;
  options.collateral = &F().collateral;
  options.cache = cache;
  // Pinned so that TD-MEASURE runs and the verdict can be valid (unpinned it is incomplete).
  (void)ApplyPolicySetting(
      "mrtd="
      "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b25388731"
      "18b7",
      options.policy);
  return options;
}

void BM_QuoteVerifyCold(benchmark::State& state) {
  const QuoteVerifyOptions options = Options(nullptr);
  for (auto _ : state) {
    QuoteVerification v = VerifyQuote(F().quote, options);
    if (v.verdict() != Verdict::kValid) state.SkipWithError("the vector did not verify");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_QuoteVerifyCold);

void BM_QuoteVerifyWarm(benchmark::State& state) {
  VerifierCache cache;
  const QuoteVerifyOptions options = Options(&cache);
  (void)VerifyQuote(F().quote, options);
  for (auto _ : state) {
    QuoteVerification v = VerifyQuote(F().quote, options);
    if (v.verdict() != Verdict::kValid) state.SkipWithError("the vector did not verify");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_QuoteVerifyWarm);

// The EC_KEY / ECDSA_do_verify path is deprecated in OpenSSL 3 but is the leanest bare verify: the
// floor the verifier is compared with.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
// The floor: one bare OpenSSL ECDSA P-256 verification of the quote's signature (key built once,
// digest and DER signature prepared outside the loop). A warm quote needs two of these.
void BM_P256Verify(benchmark::State& state) {
  const Fixture& f = F();
  uint8_t point[65] = {0x04};
  std::copy(f.signature.attestation_key.begin(), f.signature.attestation_key.end(), point + 1);
  EC_KEY* key = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  const EC_GROUP* group = EC_KEY_get0_group(key);
  EC_POINT* p = EC_POINT_new(group);
  EC_POINT_oct2point(group, p, point, sizeof(point), nullptr);
  EC_KEY_set_public_key(key, p);
  uint8_t digest[32];
  SHA256(f.quote.data(), f.parsed.signed_length, digest);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(f.signature.signature.data(), 32, nullptr),
                 BN_bin2bn(f.signature.signature.data() + 32, 32, nullptr));
  for (auto _ : state) {
    const int ok = ECDSA_do_verify(digest, sizeof(digest), sig, key);
    if (ok != 1) state.SkipWithError("bare verify failed");
    benchmark::DoNotOptimize(ok);
  }
  ECDSA_SIG_free(sig);
  EC_POINT_free(p);
  EC_KEY_free(key);
}
#pragma GCC diagnostic pop
BENCHMARK(BM_P256Verify);

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration || run.aggregate_name == "median") {
        ns_[run.run_name.function_name] = run.GetAdjustedCPUTime();
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double p256 = ns_["BM_P256Verify"];
    if (p256 <= 0) return;
    std::printf("warm / (2 x bare P-256): %.2f (target <= 1.30)\n",
                ns_["BM_QuoteVerifyWarm"] / (2 * p256));
    std::printf("cold / (2 x bare P-256): %.2f\n", ns_["BM_QuoteVerifyCold"] / (2 * p256));
    std::printf("cold: %.1f us, warm: %.1f us per quote\n", ns_["BM_QuoteVerifyCold"] / 1000,
                ns_["BM_QuoteVerifyWarm"] / 1000);
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
