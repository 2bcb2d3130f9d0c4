#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// The TD report body of a TDX quote (TD report 1.0 in v4 and v5 body type 2; 1.5 adds
// tee_tcb_svn2 and mr_service_td in v5 body type 3). Field names follow Intel's DCAP quote spec.
struct TdReportBody {
  std::array<uint8_t, 16> tee_tcb_svn{};
  std::array<uint8_t, 48> mr_seam{};
  std::array<uint8_t, 48> mr_signer_seam{};
  std::array<uint8_t, 8> seam_attributes{};
  std::array<uint8_t, 8> td_attributes{};
  std::array<uint8_t, 8> xfam{};
  std::array<uint8_t, 48> mr_td{};
  std::array<uint8_t, 48> mr_config_id{};
  std::array<uint8_t, 48> mr_owner{};
  std::array<uint8_t, 48> mr_owner_config{};
  std::array<std::array<uint8_t, 48>, 4> rtmr{};
  std::array<uint8_t, 64> report_data{};
  bool is_td15 = false;  // tee_tcb_svn2 and mr_service_td are present
  std::array<uint8_t, 16> tee_tcb_svn2{};
  std::array<uint8_t, 48> mr_service_td{};
};

// The SGX enclave report of the Quoting Enclave (384 bytes), as far as the verifier reads it.
struct QeReport {
  std::array<uint8_t, 16> cpu_svn{};
  uint32_t miscselect = 0;
  std::array<uint8_t, 16> attributes{};
  std::array<uint8_t, 32> mr_enclave{};
  std::array<uint8_t, 32> mr_signer{};
  uint16_t isv_prod_id = 0;
  uint16_t isv_svn = 0;
  std::array<uint8_t, 64> report_data{};
};

// The ECDSA signature section of a quote with certification data type 6 (QE report certification
// data) wrapping type 5 (the PCK certificate chain as PEM), which is what every TDX quote carries.
struct QuoteSignature {
  std::array<uint8_t, 64> signature{};        // r||s by the attestation key over header ‖ body
  std::array<uint8_t, 64> attestation_key{};  // raw P-256 x||y
  crypto::Bytes qe_report_bytes;              // the 384 signed bytes of the QE report
  QeReport qe_report;
  std::array<uint8_t, 64> qe_report_signature{};  // by the PCK leaf key over qe_report_bytes
  crypto::Bytes qe_auth_data;
  uint16_t inner_cert_type = 0;  // 5: PEM chain
  std::string pck_chain_pem;
};

// The fields of an Intel TDX quote (v4 or v5). The quote comes from a server, so every offset is
// bounds-checked before it is read.
struct TdxQuote {
  uint16_t version = 0;               // 4 or 5
  uint16_t attestation_key_type = 0;  // 2: ECDSA-256-with-P-256
  uint32_t tee_type = 0;              // 0x81: TDX
  uint16_t qe_svn = 0;
  uint16_t pce_svn = 0;
  std::array<uint8_t, 16> qe_vendor_id{};
  std::array<uint8_t, 20> user_data{};
  uint16_t body_type = 0;  // v5 only: 2 = TD report 1.0, 3 = TD report 1.5
  TdReportBody body;
  // Aliases kept for the checks that read only these two.
  std::array<uint8_t, 48> mr_td{};
  std::array<uint8_t, 64> report_data{};
  size_t signed_length = 0;            // header ‖ body, the bytes the attestation key signs
  uint32_t signature_data_length = 0;  // 0 when the quote ends right after the body
  size_t trailing_bytes = 0;           // padding after the declared signature data (not an error)
};

// Parses the header and TD report body. Errors name the field and the offset: "quote is 600
// bytes; a TDX v4 quote needs at least 632". Thread-safe (pure).
Result<TdxQuote> ParseTdxQuote(crypto::ByteSpan quote);

// Parses the signature section of an already parsed quote (`quote` is the same bytes). Errors
// name the field and the offset. Thread-safe (pure).
Result<QuoteSignature> ParseQuoteSignature(crypto::ByteSpan quote, const TdxQuote& parsed);

// Intel's QE vendor id (939a7233-f79c-4ca9-940a-0db3957f0607), which every Intel QE quote carries.
inline constexpr std::array<uint8_t, 16> kIntelQeVendorId = {
    0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};

}  // namespace teeharness::attestation
