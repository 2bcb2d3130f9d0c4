// `teeharness attest verify`: offline verification of a TDX quote (or the quote inside a dialect's
// attestation report) to Intel's root: signatures, PCK chain, CRLs, TCB status, TD attributes and
// pins. Exit 0 valid, 1 rejected, 2 usage or unreadable file, 3 incomplete (nothing failed but
// something could not be checked, e.g. no collateral).
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/collateral/collateral_key.h"
#include "harness/attestation/collateral/collateral_store.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/verify/quote_verifier.h"
#include "harness/attestation/verify/verification_json.h"
#include "harness/base/flags.h"
#include "harness/checks/attestation_checks.h"
#include "harness/cli/attest_input.h"
#include "harness/cli/attest_report_hardware.h"
#include "harness/cli/commands.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "harness/protocol/attestation_report.h"

namespace teeharness::cli {
namespace {

constexpr const char* kAttestUsage =
    "usage: teeharness attest verify (--quote FILE | --report FILE [--dialect phala|near|ionet]\n"
    "           [--attestation gateway|model[:N]])\n"
    "           [--collateral FILE|URL] [--collateral-cache DIR] [--at UNIX_SECONDS|RFC3339]\n"
    "           [--trust-root PEM] [--gpu-trust-root PEM] [--rims DIR --rim-trust-root PEM]\n"
    "           [--tcb-info FILE]\n"
    "           [--policy KEY=VALUE[;KEY=VALUE]]... [--nonce HEX]\n"
    "           [--tcb-rule intel|dcap-qvl] [--json]\n"
    "\n"
    "--quote takes binary, hex (0x optional) or base64, detected. --collateral is dcap-qvl's\n"
    "QuoteCollateralV3 JSON, or the http(s) base URL of a PCS v4 service (Intel's PCS, a PCCS,\n"
    "the mock), fetched for the quote's FMSPC and cached in --collateral-cache (default\n"
    "$XDG_CACHE_HOME/teeharness/collateral) until the earliest nextUpdate; without collateral\n"
    "(or when the fetch fails) the signatures, the chain and the pins are checked and TCB\n"
    "evaluation is skipped. --at fixes the verification time (default: now).\n"
    "A NEAR 2026 response holds several attestations: --attestation picks the gateway's or a\n"
    "model TEE's (model = model:0). --rims DIR (with --rim-trust-root PEM) compares each GPU's\n"
    "measurements with the folder's signed NVIDIA RIMs (GPU-MEASURE).\n"
    "Exit 0 valid, 1 rejected, 2 usage or unreadable input, 3 incomplete.\n"
    "\n"
    "teeharness attest gpu --evidence FILE --certchain FILE --nonce HEX: one GPU's evidence\n"
    "(see `teeharness attest gpu --help`).\n";

int Usage(const std::string& message) {
  std::fprintf(stderr, "teeharness attest verify: %s\n", message.c_str());
  return 2;
}

std::string Trimmed(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

// Binary, hex or base64: text that decodes as hex is hex, else as base64; anything else is raw.
crypto::Bytes DecodeQuoteFile(const std::string& content) {
  const std::string text = Trimmed(content);
  if (Result<crypto::Bytes> hex = crypto::DecodeHex(text); hex.ok() && !hex->empty()) return *hex;
  if (Result<crypto::Bytes> b64 = crypto::DecodeBase64(text); b64.ok() && !b64->empty()) {
    return *b64;
  }
  return crypto::Bytes(content.begin(), content.end());
}

void PrintHuman(const attestation::QuoteVerification& v) {
  std::printf("verdict: %s\n", std::string(attestation::VerdictName(v.verdict())).c_str());
  if (!v.tcb_status.empty()) {
    std::string advisories;
    for (const std::string& id : v.advisory_ids) advisories += (advisories.empty() ? "" : ",") + id;
    std::printf("tcb: %s%s (%s rule%s)\n", v.tcb_status.c_str(),
                advisories.empty() ? "" : (" " + advisories).c_str(), v.tcb_rule.c_str(),
                v.tdx_module_id.empty() ? "" : (", module " + v.tdx_module_id).c_str());
  }
  for (const attestation::CheckResult& c : v.checks) {
    std::printf("  %-13s %-4s %s\n", c.id.c_str(),
                std::string(attestation::CheckStateName(c.state)).c_str(), c.reason.c_str());
  }
  if (v.revocation_unchecked) {
    std::printf(
        "revocation: GPU certificates not checked (OCSP is not queried offline), so "
        "incomplete at best\n");
  }
}

// The report's own bindings (NONCE-BIND, ATTEST-BIND ...) as hardware-verification checks.
void AddReportChecks(protocol::Dialect dialect, const std::string& nonce,
                     const Result<protocol::AttestationReport>& report,
                     attestation::QuoteVerification& v) {
  checks::AttestationObservation observation;
  observation.dialect = dialect;
  observation.sent_nonce = nonce;
  observation.requested_algo = report.ok() ? report->signing_algo : "ecdsa";
  std::string fingerprint;
  for (const checks::Outcome& o : checks::CheckAttestation(observation, report, &fingerprint)) {
    const bool nonce_check = o.id.rfind("NONCE-", 0) == 0;
    if (nonce_check && nonce.empty()) continue;  // nothing to compare the nonce with
    if (o.id == "NONCE-FRESH" || o.id == "IMAGE-DIGEST") continue;  // need a run
    v.checks.push_back({std::string(o.id),
                        o.passed ? attestation::CheckState::kPass : attestation::CheckState::kFail,
                        o.evidence});
  }
}

// Collateral for `quote` from the PCS v4 service at `base_url`, through the disk cache in
// `cache_dir` (default: DefaultCollateralCacheDir()). A quote whose PCK certificate cannot be read
// gets no collateral (its own checks fail); a fetch failure is reported in `unavailable`.
void FetchCollateral(const std::string& base_url, const std::string& cache_dir,
                     const crypto::Bytes& quote, int64_t at,
                     std::shared_ptr<const attestation::Collateral>& collateral,
                     std::string& unavailable) {
  Result<attestation::CollateralKey> key = attestation::CollateralKeyFromQuote(quote);
  if (!key.ok()) {
    unavailable = "no FMSPC to fetch for (" + key.error() + ")";
    return;
  }
  attestation::CollateralStoreOptions store_options;
  store_options.base_url = base_url;
  store_options.cache_dir =
      cache_dir.empty() ? attestation::DefaultCollateralCacheDir() : cache_dir;
  attestation::CollateralStore store(std::move(store_options));
  Result<std::shared_ptr<const attestation::Collateral>> fetched = store.Get(*key, at);
  if (fetched.ok()) {
    collateral = *fetched;
  } else {
    unavailable = fetched.error();
    std::fprintf(stderr, "teeharness attest verify: collateral: %s\n", fetched.error().c_str());
  }
}

int Verify(CommandArgs args) {
  Flags flags;
  flags.Define("quote", Flags::Kind::kValue)
      .Define("report", Flags::Kind::kValue)
      .Define("dialect", Flags::Kind::kValue)
      .Define("attestation", Flags::Kind::kValue)
      .Define("collateral", Flags::Kind::kValue)
      .Define("collateral-cache", Flags::Kind::kValue)
      .Define("at", Flags::Kind::kValue)
      .Define("trust-root", Flags::Kind::kValue)
      .Define("gpu-trust-root", Flags::Kind::kValue)
      .Define("rims", Flags::Kind::kValue)
      .Define("rim-trust-root", Flags::Kind::kValue)
      .Define("tcb-info", Flags::Kind::kValue)
      .Define("policy", Flags::Kind::kRepeated)
      .Define("nonce", Flags::Kind::kValue)
      .Define("tcb-rule", Flags::Kind::kValue)
      .Define("json", Flags::Kind::kBool)
      .Define("help", Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok()) return Usage(parsed.error());
  if (flags.Has("help")) {
    std::fputs(kAttestUsage, stdout);
    return 0;
  }
  if (flags.Has("quote") == flags.Has("report"))
    return Usage("give exactly one of --quote and --report");
  attestation::QuoteVerifyOptions options;
  options.at = static_cast<int64_t>(std::time(nullptr));
  if (flags.Has("at")) {
    Result<int64_t> at = ParseAttestTime(*flags.Value("at"));
    if (!at.ok()) return Usage(at.error());
    options.at = *at;
  }
  for (const std::string& setting : flags.Values("policy")) {
    if (Result<bool> applied = attestation::ApplyPolicySetting(setting, options.policy);
        !applied.ok()) {
      return Usage(applied.error());
    }
  }
  const std::string rule = flags.ValueOr("tcb-rule", "intel");
  if (rule != "intel" && rule != "dcap-qvl") return Usage("--tcb-rule must be intel or dcap-qvl");
  options.dcap_qvl_tcb_rule = rule == "dcap-qvl";
  std::optional<attestation::pki::Certificate> root;
  if (flags.Has("trust-root")) {
    Result<std::string> pem = ReadAttestFile(*flags.Value("trust-root"));
    if (!pem.ok()) return Usage(pem.error());
    Result<attestation::pki::Certificate> cert = attestation::pki::Certificate::FromPem(*pem);
    if (!cert.ok())
      return Usage("--trust-root " + *flags.Value("trust-root") + ": " + cert.error());
    root.emplace(std::move(cert).value());
    options.trust_root = &*root;
  }
  std::optional<attestation::pki::Certificate> gpu_root;
  if (flags.Has("gpu-trust-root")) {
    Result<std::string> pem = ReadAttestFile(*flags.Value("gpu-trust-root"));
    if (!pem.ok()) return Usage(pem.error());
    Result<attestation::pki::Certificate> cert = attestation::pki::Certificate::FromPem(*pem);
    if (!cert.ok()) return Usage("--gpu-trust-root: " + cert.error());
    gpu_root.emplace(std::move(cert).value());
  }
  Result<std::shared_ptr<const attestation::gpu::rim::RimStore>> rims =
      LoadRimFlags(flags.Value("rims"), flags.Value("rim-trust-root"), options.at);
  if (!rims.ok()) return Usage(rims.error());
  crypto::Bytes quote;
  std::optional<protocol::Dialect> dialect;
  Result<protocol::AttestationReport> report = Error{"no report"};
  bool gateway = false;  // NEAR 2026's gateway: CPU-only, no GPU evidence
  if (flags.Has("quote")) {
    Result<std::string> content = ReadAttestFile(*flags.Value("quote"));
    if (!content.ok()) return Usage(content.error());
    quote = DecodeQuoteFile(*content);
  } else {
    Result<std::string> content = ReadAttestFile(*flags.Value("report"));
    if (!content.ok()) return Usage(content.error());
    Result<protocol::Dialect> d = protocol::ParseDialect(flags.ValueOr("dialect", "phala"));
    if (!d.ok()) return Usage(d.error());
    dialect = *d;
    Result<SelectedAttestation> selected =
        SelectAttestation(*d, *content, flags.ValueOr("attestation", ""));
    if (!selected.ok()) return Usage(selected.error());
    report = std::move(selected->report);
    gateway = selected->gateway;
    if (report.ok()) quote = report->quote;
  }
  // Collateral that cannot be parsed came from a server (or a cache of one): it is evidence, so
  // it rejects QUOTE-TCB rather than failing as usage. Collateral that cannot be fetched leaves
  // QUOTE-TCB skipped, with the URL and status as the reason.
  std::shared_ptr<const attestation::Collateral> collateral;
  std::string collateral_problem, collateral_unavailable;
  if (flags.Has("collateral")) {
    const std::string source = *flags.Value("collateral");
    if (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
      FetchCollateral(source, flags.ValueOr("collateral-cache", ""), quote, options.at, collateral,
                      collateral_unavailable);
    } else {
      Result<std::string> text = ReadAttestFile(source);
      if (!text.ok()) return Usage(text.error());
      Result<attestation::Collateral> parsed = attestation::ParseCollateralJson(*text);
      if (parsed.ok()) {
        collateral = std::make_shared<const attestation::Collateral>(std::move(parsed).value());
      } else {
        collateral_problem = "collateral " + source + ": " + parsed.error();
      }
    }
    options.collateral = collateral.get();
  }
  attestation::QuoteVerification v = attestation::VerifyQuote(quote, options);
  if (!collateral_problem.empty()) {
    for (attestation::CheckResult& c : v.checks) {
      if (c.id == "QUOTE-TCB")
        c = {"QUOTE-TCB", attestation::CheckState::kFail, collateral_problem};
    }
  }
  if (!collateral_unavailable.empty()) {
    for (attestation::CheckResult& c : v.checks) {
      if (c.id == "QUOTE-TCB" && c.state == attestation::CheckState::kSkip) {
        c.reason = "collateral unavailable: " + collateral_unavailable;
      }
    }
  }
  if (dialect) AddReportChecks(*dialect, flags.ValueOr("nonce", ""), report, v);
  attestation::ReportHardware hardware;
  if (flags.Has("tcb-info")) {
    Result<std::string> tcb_info = ReadAttestFile(*flags.Value("tcb-info"));
    if (!tcb_info.ok()) return Usage(tcb_info.error());
    hardware.dstack = attestation::VerifyTcbInfo(*tcb_info, {}, v);
  }
  if (dialect && report.ok()) {
    attestation::ReportHardwareOptions hardware_options;
    hardware_options.at = options.at;
    if (gpu_root) hardware_options.gpu_roots.push_back(&*gpu_root);
    hardware_options.gpu_policy.rims = *rims;
    hardware_options.gpu_policy.rim_dir = flags.ValueOr("rims", "");
    hardware_options.gpus_expected = !gateway;
    hardware = attestation::VerifyReportHardware(*dialect, flags.ValueOr("nonce", ""), *report,
                                                 hardware_options, v);
  }
  if (flags.Has("json")) {
    std::printf("%s\n", attestation::VerificationJson(v, [&](auto& w) {
                          WriteReportHardwareJson(w, hardware);
                        }).c_str());
  } else {
    PrintHuman(v);
  }
  return AttestExitCode(v.verdict());
}

}  // namespace

int AttestCommand(CommandArgs args) {
  if (args.empty() || std::string_view(args[0]) == "--help") {
    std::fputs(kAttestUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (std::string_view(args[0]) == "verify") return Verify(args.subspan(1));
  if (std::string_view(args[0]) == "gpu") return AttestGpuCommand(args.subspan(1));
  std::fprintf(stderr, "teeharness attest: unknown subcommand '%s'\n\n%s", args[0], kAttestUsage);
  return 2;
}

}  // namespace teeharness::cli
