#include "mocks/signer_options.h"

#include <array>
#include <cstdlib>

#include "harness/base/duration_parse.h"
#include "harness/base/flags.h"
#include "harness/workload/distribution_parse.h"

namespace teeharness::mocks {
namespace {

constexpr std::array<std::string_view, 33> kFaults = {
    "bad_signature", "wrong_address", "text_mismatch", "nonce_not_echoed", "nonce_left_padded",
    "stale_report", "address_flap", "early_expiry", "error_500", "error_429", "slow",
    "reset_mid_stream", "not_found_200",
    // NEAR 2026.
    "stream_disconnected", "signature_unsupported", "gateway_wrong_binding", "wrong_signature_kind",
    // Quote faults: each makes the one thing wrong that its check catches.
    "quote_bad_signature", "qe_report_bad_signature", "pck_untrusted_root", "pck_revoked",
    "tcb_out_of_date", "tcb_revoked", "collateral_expired", "debug_td", "wrong_mrtd",
    // GPU evidence and the dstack workload.
    "gpu_bad_signature", "gpu_wrong_nonce", "gpu_untrusted_chain", "gpu_wrong_measurement",
    "event_log_mismatch", "compose_mismatch",
    // TLS binding (--tls).
    "tls_key_mismatch"};

// The near dialect's own options and defaults (PROTOCOLS.md "NEAR 2026": the proxy keeps
// signatures 1200 s, 10,000 entries).
Result<bool> ParseNearOptions(const cli::Flags& flags, SignerOptions& options) {
  options.near_version = flags.ValueOr("near-version", options.near_version);
  if (options.near_version != "2025" && options.near_version != "2026") {
    return MakeError("--near-version: expected 2025 or 2026, got '", options.near_version, "'");
  }
  options.signature_kind = flags.ValueOr("signature-kind", options.signature_kind);
  if (options.signature_kind != "provider_tee" && options.signature_kind != "gateway" &&
      options.signature_kind != "alternate") {
    return MakeError("--signature-kind: expected provider_tee, gateway or alternate, got '",
                     options.signature_kind, "'");
  }
  if (options.dialect == protocol::Dialect::kNear) {
    if (!flags.Has("retention")) options.retention = std::chrono::seconds(1200);
    if (!flags.Has("cache-cap")) options.cache_cap = 10000;
  }
  return true;
}

Result<int> ParseInt(const std::string& flag, const std::string& text, int min, int max) {
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < min || value > max) {
    return MakeError("--", flag, ": expected a whole number from ", min, " to ", max, ", got '",
                     text, "'");
  }
  return static_cast<int>(value);
}

Result<bool> ParseFault(const std::string& spec, SignerOptions& options) {
  const size_t eq = spec.find('=');
  const std::string name = spec.substr(0, eq);
  if (!IsKnownFault(name)) return MakeError("--fault: unknown fault '", name, "' (see --help)");
  double probability = 1.0;
  if (eq != std::string::npos) {
    char* end = nullptr;
    const std::string text = spec.substr(eq + 1);
    probability = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(probability >= 0 && probability <= 1)) {
      return MakeError("--fault ", name, ": probability must be in [0, 1], got '", text, "'");
    }
  }
  options.faults[name] = probability;
  return true;
}

Result<bool> ParseListen(const std::string& text, SignerOptions& options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    return MakeError("--listen: expected HOST:PORT, got '", text, "'");
  options.listen_host = text.substr(0, colon);
  Result<int> port = ParseInt("listen", text.substr(colon + 1), 0, 65535);
  if (!port.ok()) return Error{port.error()};
  options.listen_port = *port;
  return true;
}

Result<bool> ParseDurations(const cli::Flags& flags, SignerOptions& options) {
  const std::pair<const char*, Duration*> durations[] = {
      {"retention", &options.retention},
      {"signature-delay", &options.signature_delay},
      {"slow-delay", &options.slow_delay}};
  for (const auto& [name, target] : durations) {
    if (!flags.Has(name)) continue;
    Result<Duration> value = ParseDurationText(*flags.Value(name));
    if (!value.ok()) return MakeError("--", name, ": ", value.error());
    *target = *value;
  }
  return true;
}

// The load model's flags: --ttft and --itl take a duration or a duration distribution
// ("normal:50ms:10ms"), --output-tokens a length distribution ("uniform:50:200").
Result<bool> ParseLoadModel(const cli::Flags& flags, SignerOptions& options) {
  const std::pair<const char*, workload::Distribution*> delays[] = {{"ttft", &options.ttft},
                                                                    {"itl", &options.itl}};
  for (const auto& [name, target] : delays) {
    if (!flags.Has(name)) continue;
    Result<workload::Distribution> d = workload::ParseDistributionText(*flags.Value(name), true);
    if (!d.ok()) return MakeError("--", name, ": ", d.error());
    *target = *d;
  }
  if (flags.Has("output-tokens")) {
    Result<workload::Distribution> d =
        workload::ParseDistributionText(*flags.Value("output-tokens"), false);
    if (!d.ok()) return MakeError("--output-tokens: ", d.error());
    options.output_tokens = *d;
  }
  if (flags.Has("capacity")) {
    Result<int> capacity = ParseInt("capacity", *flags.Value("capacity"), 0, 100000);
    if (!capacity.ok()) return Error{capacity.error()};
    options.capacity = static_cast<unsigned>(*capacity);
  }
  if (flags.Has("batch-slowdown")) {
    char* end = nullptr;
    const std::string text = *flags.Value("batch-slowdown");
    const double slowdown = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(slowdown >= 0 && slowdown <= 100)) {
      return MakeError("--batch-slowdown: expected a number in [0, 100], got '", text, "'");
    }
    options.batch_slowdown = slowdown;
  }
  return true;
}

Result<bool> ParseCounts(const cli::Flags& flags, SignerOptions& options) {
  const std::tuple<const char*, int*, int, int> counts[] = {{"threads", &options.threads, 1, 256},
                                                            {"replicas", &options.replicas, 1, 64},
                                                            {"gpus", &options.gpus, 1, 64},
                                                            {"tokens", &options.tokens, 1, 100000}};
  for (const auto& [name, target, min, max] : counts) {
    if (!flags.Has(name)) continue;
    Result<int> value = ParseInt(name, *flags.Value(name), min, max);
    if (!value.ok()) return Error{value.error()};
    *target = *value;
  }
  if (flags.Has("cache-cap")) {
    Result<int> cap = ParseInt("cache-cap", *flags.Value("cache-cap"), 1, 100000000);
    if (!cap.ok()) return Error{cap.error()};
    options.cache_cap = static_cast<size_t>(*cap);
  }
  return true;
}

// --tls serves HTTPS with a self-signed key made at start; --tls-cert/--tls-key (both, and they
// imply --tls) with the given one.
Result<bool> ParseTlsOptions(const cli::Flags& flags, SignerOptions& options) {
  options.tls_cert = flags.ValueOr("tls-cert", "");
  options.tls_key = flags.ValueOr("tls-key", "");
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return MakeError("--tls-cert and --tls-key go together");
  }
  options.tls = flags.Has("tls") || !options.tls_cert.empty();
  return true;
}

}  // namespace

bool IsKnownFault(std::string_view name) {
  for (std::string_view fault : kFaults) {
    if (fault == name) return true;
  }
  return false;
}

Result<SignerOptions> ParseSignerOptions(std::span<const char* const> args, bool* help) {
  cli::Flags flags;
  for (const char* name : {"listen",
                           "dialect",
                           "threads",
                           "key",
                           "key-file",
                           "replicas",
                           "gpus",
                           "model",
                           "tokens",
                           "ttft",
                           "itl",
                           "retention",
                           "cache-cap",
                           "signature-delay",
                           "slow-delay",
                           "api-key-env",
                           "near-version",
                           "signature-kind",
                           "output-tokens",
                           "capacity",
                           "batch-slowdown",
                           "tls-cert",
                           "tls-key"}) {
    flags.Define(name, cli::Flags::Kind::kValue);
  }
  flags.Define("fault", cli::Flags::Kind::kRepeated).Define("help", cli::Flags::Kind::kBool);
  flags.Define("tls", cli::Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok()) return Error{parsed.error()};
  if (!flags.positional().empty())
    return MakeError("unexpected argument '", flags.positional()[0], "'");
  *help = flags.Has("help");
  SignerOptions options;
  if (flags.Has("listen")) {
    if (Result<bool> ok = ParseListen(*flags.Value("listen"), options); !ok.ok())
      return Error{ok.error()};
  }
  if (flags.Has("dialect")) {
    Result<protocol::Dialect> dialect = protocol::ParseDialect(*flags.Value("dialect"));
    if (!dialect.ok()) return MakeError("--dialect: ", dialect.error());
    options.dialect = *dialect;
  }
  const std::string key = flags.ValueOr("key", "ephemeral");
  if (key != "ephemeral") return MakeError("--key: only 'ephemeral' (or use --key-file PATH)");
  options.key_file = flags.ValueOr("key-file", "");
  options.model = flags.ValueOr("model", options.model);
  if (Result<bool> ok = ParseCounts(flags, options); !ok.ok()) return Error{ok.error()};
  if (Result<bool> ok = ParseDurations(flags, options); !ok.ok()) return Error{ok.error()};
  if (Result<bool> ok = ParseLoadModel(flags, options); !ok.ok()) return Error{ok.error()};
  if (Result<bool> ok = ParseNearOptions(flags, options); !ok.ok()) return Error{ok.error()};
  for (const std::string& fault : flags.Values("fault")) {
    if (Result<bool> ok = ParseFault(fault, options); !ok.ok()) return Error{ok.error()};
  }
  if (Result<bool> ok = ParseTlsOptions(flags, options); !ok.ok()) return Error{ok.error()};
  options.api_key_env = flags.ValueOr("api-key-env", "");
  if (!options.api_key_env.empty()) {
    const char* value = std::getenv(options.api_key_env.c_str());
    if (value == nullptr || *value == '\0') {
      return MakeError("--api-key-env: environment variable ", options.api_key_env, " is not set");
    }
    options.api_key = value;
  }
  return options;
}

const char* const kSignerHelp =
    "usage: teeharness mock [options]\n"
    "\n"
    "A mock confidential inference endpoint: attestation reports, OpenAI-compatible chat\n"
    "completions (plain and SSE) and per-response ECDSA + Ed25519 signatures, in the wire format\n"
    "of one dialect. Once ready it prints `listening on HOST:PORT` (the real port when 0 is "
    "asked).\n"
    "\n"
    "  --listen HOST:PORT       address to bind (default 127.0.0.1:8000; port 0 = any free port)\n"
    "  --dialect NAME           phala (default), near or ionet\n"
    "  --threads N              event-loop threads (default 1)\n"
    "  --key ephemeral          fresh keys at every start: a restart changes the address "
    "(default)\n"
    "  --key-file PATH          keys read from PATH, created there (mode 0600) when absent: the\n"
    "                           address survives restarts. JSON: {\"ecdsa_private_key\":\"0x..\",\n"
    "                           \"ed25519_seed\":\"..\"}\n"
    "  --replicas N             N independent keys and signature caches answering round-robin,\n"
    "                           like replicas behind a load balancer (default 1)\n"
    "  --tls                    serve HTTPS with a self-signed P-256 key made at start\n"
    "  --tls-cert PEM --tls-key PEM  serve HTTPS with this certificate and key (implies --tls)\n"
    "  --gpus N                 GPU evidence entries per report (default 1)\n"
    "  --model NAME             model name (near signs model:req:resp with it)\n"
    "  --tokens N               completion tokens per response (default 16)\n"
    "  --output-tokens DIST     completion length drawn per request, capped by its max_tokens:\n"
    "                           N, uniform:MIN:MAX, normal:MEAN:SD[:MIN:MAX] or histogram:FILE\n"
    "                           (default: the constant --tokens)\n"
    "  --ttft DIST              delay before the first token: a duration (50ms) or\n"
    "                           uniform:A:B / normal:MEAN:SD of durations (default 0)\n"
    "  --itl DIST               delay between tokens, same forms (default 0); a non-streamed\n"
    "                           response comes after ttft + (tokens - 1) * itl\n"
    "  --capacity N             N generations at once; later requests queue, first come first\n"
    "                           served (default 0: no limit)\n"
    "  --batch-slowdown F       each other running generation slows the per-token delay by\n"
    "                           F * itl (default 0)\n"
    "  --retention DURATION     signature cache TTL (default 300s, the documented 5 minutes;\n"
    "                           near: 1200s, NEAR's proxy)\n"
    "  --cache-cap N            signature cache capacity, LRU eviction (default 1000, as "
    "deployed;\n"
    "                           near: 10000)\n"
    "  --near-version 2026|2025 near: the 2026 shape (default: gateway_attestation and\n"
    "                           model_attestations[], both keys attested, signature_kind, 2026\n"
    "                           error bodies and 401 types) or NEAR's 2025 flat report\n"
    "  --signature-kind KIND    near 2026: provider_tee (default: the model key signs\n"
    "                           model:req:resp), gateway (the gateway key signs req:resp) or\n"
    "                           alternate (chat by chat)\n"
    "  --signature-delay DUR    a signature becomes available only this long after the response\n"
    "  --slow-delay DURATION    added latency of the `slow` fault (default 200ms)\n"
    "  --api-key-env VAR        require `Authorization: Bearer $VAR` (401 otherwise)\n"
    "  --fault NAME[=P]         inject a fault with probability P (default 1); repeatable:\n"
    "      bad_signature        the signature is over other bytes (recovers to a stranger)\n"
    "      wrong_address        responses signed by a key that was never attested\n"
    "      text_mismatch        the response hash is of re-serialised JSON, not the bytes sent\n"
    "      nonce_not_echoed     request_nonce/nonce is another random nonce\n"
    "      nonce_left_padded    short nonces are left-padded (ionet) or accepted padded (phala, "
    "near)\n"
    "      stale_report         every report is the first one generated (the nonce is ignored)\n"
    "      address_flap         alternate between two signing keys, request by request\n"
    "      early_expiry         signatures vanish after a tenth of --retention\n"
    "      error_500            500 with an error body\n"
    "      error_429            429 with Retry-After: 1\n"
    "      slow                 --slow-delay added before answering\n"
    "      reset_mid_stream     the connection is closed halfway through a response body\n"
    "      not_found_200        unknown or expired signatures get 200 with an error body\n"
    "      stream_disconnected  the signature fetch gets 200 "
    "{\"error_code\":\"STREAM_DISCONNECTED\"}\n"
    "      signature_unsupported  ... 200 {\"error_code\":\"SIGNATURE_UNSUPPORTED\"}\n"
    "      gateway_wrong_binding  near 2026: the gateway quote's report_data binds another key\n"
    "      wrong_signature_kind near 2026: a row signed by one key is labelled as the other's\n"
    "      tls_key_mismatch     near 2026 with --tls: the gateway binds (and states) another TLS\n"
    "                           key's fingerprint than the one it serves with (TLS-BIND)\n"
    "      quote_bad_signature  the quote's attestation-key signature is corrupt (QUOTE-SIG)\n"
    "      qe_report_bad_signature  the QE report's PCK signature is corrupt (QUOTE-QE)\n"
    "      pck_untrusted_root   the PCK chain ends at another root (QUOTE-CHAIN)\n"
    "      pck_revoked          the PCK certificate is in the PCK CRL (QUOTE-CHAIN)\n"
    "      tcb_out_of_date      the TEE_TCB_SVN selects an OutOfDate level (QUOTE-TCB)\n"
    "      tcb_revoked          the TEE_TCB_SVN selects a Revoked level (QUOTE-TCB)\n"
    "      collateral_expired   the served TCB info and QE identity are past nextUpdate\n"
    "      debug_td             TDATTRIBUTES.DEBUG is set (TD-ATTR)\n"
    "      wrong_mrtd           MRTD differs from /mock/pki/reference.json (TD-MEASURE)\n"
    "      gpu_bad_signature    GPU evidence signed over other bytes (fails GPU-SIG)\n"
    "      gpu_wrong_nonce      GPU evidence requests and signs another nonce (fails GPU-NONCE)\n"
    "      gpu_untrusted_chain  GPU evidence signed by an impostor chain (fails GPU-CHAIN)\n"
    "      gpu_wrong_measurement  one GPU measurement block differs from the mock's RIMs, the\n"
    "                           evidence still signed (fails GPU-MEASURE)\n"
    "      event_log_mismatch   the event log does not replay to the quote's RTMRs "
    "(EVENTLOG-REPLAY)\n"
    "      compose_mismatch     info ships another app_compose than RTMR3 measured "
    "(COMPOSE-HASH)\n"
    "  --help                   this text\n"
    "\n"
    "GET /admin/stats (loopback peers only): requests, signatures cached, evictions, addresses.\n"
    "Every TDX quote is signed by the mock's own DCAP PKI (fresh keys per start), served "
    "PCS-style\n"
    "without auth: /sgx/certification/v4/pckcrl?ca=platform, /sgx/certification/v4/rootcacrl,\n"
    "/tdx/certification/v4/tcb?fmspc=00906ED50000, /tdx/certification/v4/qe/identity, plus\n"
    "/mock/pki/root.pem (the trust root) and /mock/pki/collateral.json (dcap-qvl collateral).\n"
    "GPU evidence is real SPDM signed by a P-384 chain to /mock/pki/nvidia-root.pem.\n"
    "SIGINT/SIGTERM: clean exit 0.\n";

}  // namespace teeharness::mocks
