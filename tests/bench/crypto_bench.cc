// Cost of verifying one signed response against the bare libsecp256k1 recovery it is built on.
// Target (issue 2): full verification <= 1.15x bare recovery. The custom main prints the ratio.
#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstdio>
#include <map>
#include <string>

#include "harness/crypto/address.h"
#include "harness/crypto/ed25519.h"
#include "harness/crypto/keccak.h"
#include "harness/crypto/secp256k1.h"
#include "harness/crypto/sha256.h"
#include "harness/crypto/signature.h"
#include "harness/crypto/signed_text.h"
#include "harness/crypto/verifier.h"

namespace {

using namespace teeharness::crypto;

struct Fixture {
  std::string request = std::string(2048, 'q');   // a 2 KB request body
  std::string response = std::string(8192, 'r');  // an 8 KB response body
  EcdsaKey key = EcdsaKey::Generate();
  std::string text = SignedTextForBodies(request, response);
  std::string signature = EncodeEthSignature(key.SignPersonalMessage(text));
  std::string address = ToChecksumAddress(key.address());
  Ed25519Key ed_key = Ed25519Key::Generate();
  Ed25519Signature ed_signature = ed_key.Sign(text);
};

const Fixture& GetFixture() {
  static const Fixture fixture;
  return fixture;
}

// Everything a client does per response: hash both bodies, build the text, compare it, EIP-191
// digest, decode the signature, recover, derive the address and compare with the attested one.
void BM_FullVerification(benchmark::State& state) {
  const Fixture& f = GetFixture();
  for (auto _ : state) {
    const std::string text = SignedTextForBodies(f.request, f.response);
    const VerifyOutcome outcome =
        VerifySignedText({text, f.signature, SignatureAlgo::kEcdsa, f.address});
    if (!outcome.valid() || text != f.text) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(outcome);
  }
}
BENCHMARK(BM_FullVerification);

// The engine's per-response path: the response was hashed chunk by chunk while it arrived and the
// request when it was built, so verification starts from the two digests.
void BM_VerificationWithStreamedHashes(benchmark::State& state) {
  const Fixture& f = GetFixture();
  const Hash32 request_hash = Sha256::Hash(f.request);
  const Hash32 response_hash = Sha256::Hash(f.response);
  for (auto _ : state) {
    const std::string text = BuildSignedText(request_hash, response_hash);
    const VerifyOutcome outcome =
        VerifySignedText({text, f.signature, SignatureAlgo::kEcdsa, f.address});
    if (!outcome.valid() || text != f.text) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(outcome);
  }
}
BENCHMARK(BM_VerificationWithStreamedHashes);

void BM_BareSecp256k1Recover(benchmark::State& state) {
  const Fixture& f = GetFixture();
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  const RecoverableSignature parts = DecodeEcdsaSignature(f.signature)->signature;
  secp256k1_ecdsa_recoverable_signature signature;
  secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &signature, parts.rs.data(),
                                                      parts.recovery_id);
  const Hash32 digest = Eip191Digest(f.text);
  secp256k1_pubkey pubkey;
  for (auto _ : state) {
    if (secp256k1_ecdsa_recover(ctx, &pubkey, &signature, digest.data()) != 1) {
      state.SkipWithError("recover failed");
    }
    benchmark::DoNotOptimize(pubkey);
  }
  secp256k1_context_destroy(ctx);
}
BENCHMARK(BM_BareSecp256k1Recover);

void BM_Ed25519Verify(benchmark::State& state) {
  const Fixture& f = GetFixture();
  for (auto _ : state) {
    if (!Ed25519Verify(f.ed_key.public_key(), f.text, f.ed_signature)) {
      state.SkipWithError("verify failed");
    }
  }
}
BENCHMARK(BM_Ed25519Verify);

// What the mock pays per response: one signature of each algorithm over a signed text.
void BM_EcdsaSignPersonal(benchmark::State& state) {
  const Fixture& f = GetFixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.key.SignPersonalMessage(f.text));
}
BENCHMARK(BM_EcdsaSignPersonal);

void BM_Ed25519Sign(benchmark::State& state) {
  const Fixture& f = GetFixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.ed_key.Sign(f.text));
}
BENCHMARK(BM_Ed25519Sign);

void BM_HashBodies10KB(benchmark::State& state) {
  const Fixture& f = GetFixture();
  for (auto _ : state) benchmark::DoNotOptimize(SignedTextForBodies(f.request, f.response));
}
BENCHMARK(BM_HashBodies10KB);

// Console output plus a final "ratio" line comparing the two ECDSA benchmarks.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      // With --benchmark_repetitions, compare the means; otherwise the single runs.
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "mean") continue;
      cpu_ns_[run.run_name.function_name] = run.GetAdjustedCPUTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const auto bare = cpu_ns_.find("BM_BareSecp256k1Recover");
    if (bare == cpu_ns_.end() || bare->second <= 0) return;
    for (const char* name : {"BM_FullVerification", "BM_VerificationWithStreamedHashes"}) {
      const auto full = cpu_ns_.find(name);
      if (full == cpu_ns_.end()) continue;
      std::printf("%s / BM_BareSecp256k1Recover = %.3fx (target <= 1.15x)\n", name,
                  full->second / bare->second);
    }
  }

 private:
  std::map<std::string, double> cpu_ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
