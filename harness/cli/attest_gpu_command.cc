// `teeharness attest gpu`: offline verification of one NVIDIA GPU's SPDM evidence to NVIDIA's
// Device Identity CA: the P-384 signature, the certificate chain, the signed nonce. Exit 0 valid,
// 1 rejected, 2 usage or unreadable file, 3 incomplete (nothing failed but something could not be
// checked: without reference integrity manifests the measurements are not compared, and the
// certificates' OCSP status is never queried offline).
#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "harness/attestation/gpu/gpu_json.h"
#include "harness/attestation/gpu/gpu_verifier.h"
#include "harness/attestation/gpu/spdm_evidence.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/base/flags.h"
#include "harness/cli/attest_input.h"
#include "harness/cli/commands.h"
#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"

namespace teeharness::cli {
namespace {

constexpr const char* kGpuUsage =
    "usage: teeharness attest gpu --evidence FILE --certchain FILE --nonce HEX\n"
    "           [--at UNIX_SECONDS|RFC3339] [--trust-root PEM]\n"
    "           [--rims DIR --rim-trust-root PEM] [--json]\n"
    "\n"
    "--evidence holds the SPDM GET_MEASUREMENTS request and MEASUREMENTS response: raw bytes,\n"
    "hex text or base64 of either, detected. --certchain is the PEM chain, leaf first (or base64\n"
    "of it, as in nvidia_payload). --nonce is the 32-byte nonce the GPU must have signed.\n"
    "--trust-root replaces the built-in NVIDIA Device Identity CA. --rims is a folder of NVIDIA\n"
    "RIMs (*.swidtag, *.xml), each verified to --rim-trust-root (required with it) at start;\n"
    "GPU-MEASURE compares the measurements with the driver and VBIOS RIMs of the evidence's\n"
    "versions. --at fixes the verification time (default: now). Exit 0 valid, 1 rejected,\n"
    "2 usage or unreadable input (or a RIM that does not verify), 3 incomplete.\n";

int Usage(const std::string& message) {
  std::fprintf(stderr, "teeharness attest gpu: %s\n", message.c_str());
  return 2;
}

std::string Trimmed(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

// Raw or hex evidence as it is, or base64 of either (as nvidia_payload carries it). Hex and raw
// are recognised by the request's first bytes (0x11 0xe0, or the text "11e0"), which base64 of
// evidence never starts with ("EeA").
crypto::Bytes DecodeEvidenceFile(const std::string& content) {
  const crypto::Bytes direct = attestation::gpu::DecodeEvidenceBytes(crypto::AsBytes(content));
  if (direct.size() >= 2 && direct[0] == 0x11 && direct[1] == 0xe0) return direct;
  if (Result<crypto::Bytes> b64 = crypto::DecodeBase64(Trimmed(content));
      b64.ok() && !b64->empty()) {
    return attestation::gpu::DecodeEvidenceBytes(*b64);
  }
  return direct;
}

// PEM as it is, or base64 of PEM.
std::string DecodeChainFile(const std::string& content) {
  if (content.find("-----BEGIN") != std::string::npos) return content;
  if (Result<crypto::Bytes> b64 = crypto::DecodeBase64(Trimmed(content)); b64.ok()) {
    return std::string(b64->begin(), b64->end());
  }
  return content;
}

void PrintHuman(const attestation::gpu::GpuVerification& v) {
  std::printf("verdict: %s\n", std::string(attestation::VerdictName(v.verdict())).c_str());
  if (!v.nonce.empty()) {
    std::printf("gpu: nonce %s, driver %s, vbios %s, %zu measurement blocks\n", v.nonce.c_str(),
                v.driver.empty() ? "?" : v.driver.c_str(), v.vbios.empty() ? "?" : v.vbios.c_str(),
                v.measurement_blocks);
  }
  for (const attestation::CheckResult& c : v.checks) {
    std::printf("  %-12s %-4s %s\n", c.id.c_str(),
                std::string(attestation::CheckStateName(c.state)).c_str(), c.reason.c_str());
  }
  std::printf("revocation: not checked (OCSP is not queried offline), so incomplete at best\n");
}

}  // namespace

int AttestGpuCommand(CommandArgs args) {
  Flags flags;
  flags.Define("evidence", Flags::Kind::kValue)
      .Define("certchain", Flags::Kind::kValue)
      .Define("nonce", Flags::Kind::kValue)
      .Define("at", Flags::Kind::kValue)
      .Define("trust-root", Flags::Kind::kValue)
      .Define("rims", Flags::Kind::kValue)
      .Define("rim-trust-root", Flags::Kind::kValue)
      .Define("json", Flags::Kind::kBool)
      .Define("help", Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok()) return Usage(parsed.error());
  if (flags.Has("help")) {
    std::fputs(kGpuUsage, stdout);
    return 0;
  }
  for (const char* required : {"evidence", "certchain", "nonce"}) {
    if (!flags.Has(required)) return Usage(std::string("--") + required + " is required");
  }
  attestation::gpu::GpuVerifyOptions options;
  options.at = static_cast<int64_t>(std::time(nullptr));
  if (flags.Has("at")) {
    Result<int64_t> at = ParseAttestTime(*flags.Value("at"));
    if (!at.ok()) return Usage(at.error());
    options.at = *at;
  }
  Result<crypto::Bytes> nonce = crypto::DecodeHexExact(*flags.Value("nonce"), 32);
  if (!nonce.ok()) return Usage("--nonce: " + nonce.error());
  options.expected_nonce = std::move(nonce).value();
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
  Result<std::shared_ptr<const attestation::gpu::rim::RimStore>> rims =
      LoadRimFlags(flags.Value("rims"), flags.Value("rim-trust-root"), options.at);
  if (!rims.ok()) return Usage(rims.error());
  options.policy.rims = *rims;
  options.policy.rim_dir = flags.ValueOr("rims", "");
  Result<std::string> evidence = ReadAttestFile(*flags.Value("evidence"));
  if (!evidence.ok()) return Usage(evidence.error());
  Result<std::string> chain = ReadAttestFile(*flags.Value("certchain"));
  if (!chain.ok()) return Usage(chain.error());
  // Evidence and chain came from a server: whatever they hold is verified (and rejected when
  // malformed), never a usage error.
  const attestation::gpu::GpuVerification v = attestation::gpu::VerifyGpuEvidence(
      DecodeEvidenceFile(*evidence), DecodeChainFile(*chain), options);
  if (flags.Has("json")) {
    std::printf("%s\n", attestation::gpu::GpuVerificationJson(v).c_str());
  } else {
    PrintHuman(v);
  }
  return AttestExitCode(v.verdict());
}

}  // namespace teeharness::cli
