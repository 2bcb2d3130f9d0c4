#include "harness/checks/catalog.h"

#include <array>

namespace teeharness::checks {
namespace {

constexpr unsigned kProxyDialects = kPhalaDialect | kNearDialect;

constexpr std::array kChecks = {
    CheckInfo{"NONCE-ECHO", "nonce",
              "the report echoes the nonce sent (request_nonce in lowercase hex; io.net: nonce "
              "starts with it)",
              kAllDialects},
    CheckInfo{"NONCE-PAD", "nonce",
              "a nonce shorter than 64 hex digits comes back right-padded with '0' to exactly 64, "
              "in nonce and gpu.nonce",
              kIonetDialect},
    CheckInfo{"NONCE-BIND", "nonce",
              "the TDX report_data ends with the 32-byte nonce and the GPU evidence carries the "
              "same nonce",
              kAllDialects},
    CheckInfo{"NONCE-FRESH", "nonce",
              "a new nonce yields a new report (report_data and quote differ; no cached report)",
              kAllDialects},
    CheckInfo{"NONCE-REJECT", "nonce",
              "malformed nonces (short, long, non-hex, 0x-prefixed) get a 4xx with an error body, "
              "never 200 or 5xx",
              kProxyDialects},
    CheckInfo{"ATTEST-SCHEMA", "attestation",
              "the report has every field of the dialect with the right type and encoding",
              kAllDialects},
    CheckInfo{"ATTEST-BIND", "attestation",
              "report_data starts with the signing address (ECDSA: 20 bytes; Ed25519: 32-byte "
              "public key) zero-padded to 32 bytes; near with a stated tls_cert_fingerprint: "
              "SHA-256(key ‖ fingerprint)",
              kAllDialects},
    CheckInfo{"IMAGE-DIGEST", "attestation",
              "image_digest is sha256:<64 hex>, the same in the report and the response headers, "
              "and equals expect.image_digest when given",
              kIonetDialect},
    CheckInfo{"SIG-TEXT", "signature",
              "the signed text is sha256(exact request bytes):sha256(exact response bytes) "
              "(near: model:req:resp; near signature_kind gateway: req:resp)",
              kAllDialects},
    CheckInfo{"SIG-RECOVER", "signature",
              "the signature decodes and recovers a signer (ECDSA) or verifies (Ed25519)",
              kAllDialects},
    CheckInfo{"SIG-ADDRESS", "signature",
              "the signer equals the attested signing_address (and the signature's own "
              "signing_address); near 2026: the model attestation's for provider_tee, the "
              "gateway attestation's for gateway",
              kAllDialects},
    CheckInfo{"SIG-FORMAT", "signature",
              "ECDSA: 0x + 130 hex, v of 27 or 28, low-s; Ed25519: 128 hex", kAllDialects},
    CheckInfo{"SIG-READY", "signature",
              "the signature is retrievable within expect.signature_ready_ms of the response end",
              kProxyDialects},
    CheckInfo{"SIG-RETAIN", "signature",
              "a signature is still served up to expect.retention_seconds after the response",
              kProxyDialects},
    CheckInfo{"SIG-EXPIRE", "signature",
              "after the retention window the signature is gone, with a 404 in the dialect's "
              "error shape",
              kProxyDialects},
    CheckInfo{"SIG-UNKNOWN", "signature",
              "an unknown chat id gets a 404, not a 200 with an error body or a 5xx",
              kProxyDialects},
    CheckInfo{"ADDR-STABLE", "address",
              "one signing address between restarts (several alternating addresses: replicas "
              "with different keys)",
              kAllDialects},
    CheckInfo{"ADDR-RESTART", "address",
              "after a restart the address is re-attested (new for ephemeral keys, the same for "
              "stable ones) and every later signature matches it",
              kAllDialects},
    CheckInfo{"QUOTE-FORMAT", "hardware",
              "the TDX quote is v4 or v5, attestation key type 2 (ECDSA P-256), TEE type 0x81, "
              "Intel's QE vendor id, and every declared length fits (trailing padding allowed)",
              kAllDialects},
    CheckInfo{"QUOTE-SIG", "hardware",
              "the attestation key's ECDSA P-256 signature over header and TD report body verifies",
              kAllDialects},
    CheckInfo{"QUOTE-QE", "hardware",
              "the QE report is signed by the PCK key, its report_data is SHA-256(attestation key "
              "‖ QE auth data) and zeros, and it matches the signed TD_QE identity",
              kAllDialects},
    CheckInfo{"QUOTE-CHAIN", "hardware",
              "the PCK chain reaches the trusted root (Intel SGX Root CA, compared whole), every "
              "certificate is valid at the verification time, and no current CRL lists one",
              kAllDialects},
    CheckInfo{"QUOTE-TCB", "hardware",
              "signed, current TCB info for the PCK's FMSPC/PCEID gives a TCB level whose status "
              "is accepted (default UpToDate, SWHardeningNeeded)",
              kAllDialects},
    CheckInfo{"TD-ATTR", "hardware",
              "not a debug TD, no reserved attribute bits, SEPT_VE_DISABLE set, no service TD "
              "(each relaxable by policy)",
              kAllDialects},
    CheckInfo{"TD-MEASURE", "hardware",
              "MRTD, RTMRs, MRSEAM and the other pinned fields equal expect.tdx, and TEE_TCB_SVN "
              "meets its minimum (skipped when nothing is pinned)",
              kAllDialects},
    CheckInfo{"GPU-SIG", "hardware",
              "each GPU's ECDSA P-384 signature over SHA-384(SPDM GET_MEASUREMENTS request ‖ "
              "MEASUREMENTS response without the signature) verifies with its chain's leaf key",
              kAllDialects},
    CheckInfo{"GPU-CHAIN", "hardware",
              "each GPU's certificate chain reaches the NVIDIA Device Identity CA (compared "
              "whole), every certificate valid at the verification time (OCSP not queried "
              "offline)",
              kAllDialects},
    CheckInfo{"GPU-NONCE", "hardware",
              "the request nonce inside each GPU's signed evidence equals the nonce sent (io.net: "
              "right-padded to 64 hex digits)",
              kAllDialects},
    CheckInfo{"GPU-COUNT", "hardware",
              "the number of GPU evidences equals expect.gpus (skipped when not given)",
              kAllDialects},
    CheckInfo{"GPU-MEASURE", "hardware",
              "each GPU's measurements equal the active golden values of the signed NVIDIA RIMs "
              "of its driver and VBIOS versions (expect.gpu_rims; the built-in mock's own RIMs "
              "when the harness started it; skipped without RIMs)",
              kAllDialects},
    CheckInfo{"EVENTLOG-REPLAY", "hardware",
              "each RTMR3 event digest is SHA-384 of its type, name and payload, and the event "
              "log replays to the quote's RTMR0-3",
              kPhalaDialect | kNearDialect},
    CheckInfo{"COMPOSE-HASH", "hardware",
              "sha256(app_compose) is the RTMR3 compose-hash event, mr_config_id (v1, v2, v3) "
              "binds it unless all zero, and expect.dstack pins (compose_hash, os_image_hash, "
              "app_id, key_provider) hold",
              kPhalaDialect | kNearDialect},
    CheckInfo{
        "TLS-BIND", "hardware",
        "with expect.tls_binding, the report's tls_cert_fingerprint is the SubjectPublicKeyInfo "
        "SHA-256 of the certificate on the connection that fetched it, and report_data binds "
        "SHA-256(signing key ‖ that fingerprint)",
        kNearDialect},
    CheckInfo{"ERR-SHAPE", "errors",
              "error responses carry the dialect's error body (OpenAI-shaped error object) and "
              "a JSON content type",
              kAllDialects},
};

}  // namespace

std::span<const CheckInfo> Catalog() { return kChecks; }

const CheckInfo* FindCheck(std::string_view id) {
  for (const CheckInfo& check : kChecks) {
    if (check.id == id) return &check;
  }
  return nullptr;
}

}  // namespace teeharness::checks
