#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "harness/base/result.h"
#include "harness/protocol/dialect.h"
#include "harness/workload/distribution.h"

namespace teeharness::mocks {

using Duration = std::chrono::nanoseconds;

// Every `teeharness mock` option (see kSignerHelp). Plain value type.
struct SignerOptions {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8000;
  protocol::Dialect dialect = protocol::Dialect::kPhala;
  int threads = 1;
  std::string key_file;  // empty: ephemeral keys (a restart changes the address)
  int replicas = 1;
  int gpus = 1;
  std::string model = "mock/llama-3.1-8b-instruct";
  int tokens = 16;
  // The load model (mocks/generation_model.h): completion length min(max_tokens, a draw of
  // output_tokens; default the constant `tokens`), delays in seconds, `capacity` concurrent
  // generations (0: unlimited) and the per-token slowdown of each other running generation.
  std::optional<workload::Distribution> output_tokens;
  workload::Distribution ttft;
  workload::Distribution itl;
  unsigned capacity = 0;
  double batch_slowdown = 0;
  Duration retention = std::chrono::seconds(300);  // near: 1200 s unless given
  size_t cache_cap = 1000;                         // near: 10000 unless given
  Duration signature_delay{0};
  Duration slow_delay = std::chrono::milliseconds(200);
  std::string api_key_env;               // empty: no auth
  std::string api_key;                   // the value read from api_key_env at start (never printed)
  std::map<std::string, double> faults;  // fault name -> probability in [0, 1]
  // near: "2026" (gateway_attestation + model_attestations[], signature_kind, 2026 error bodies)
  // or "2025" (NEAR's older flat report).
  std::string near_version = "2026";
  // near 2026: who signs chats: "provider_tee" (the model key), "gateway", or "alternate".
  std::string signature_kind = "provider_tee";
  // HTTPS (--tls): a self-signed key made at start, or --tls-cert/--tls-key. near 2026 binds its
  // key into the gateway's report_data when asked (include_tls_fingerprint=true).
  bool tls = false;
  std::string tls_cert, tls_key;
};

// The fault names the mock knows, each documented in kSignerHelp.
bool IsKnownFault(std::string_view name);

// Parses `teeharness mock` arguments. Errors name the option and the problem.
Result<SignerOptions> ParseSignerOptions(std::span<const char* const> args, bool* help);

extern const char* const kSignerHelp;

}  // namespace teeharness::mocks
