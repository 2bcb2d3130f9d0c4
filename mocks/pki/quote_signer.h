#pragma once

#include <array>
#include <cstdint>

#include "harness/crypto/bytes.h"
#include "mocks/pki/mock_pki.h"

namespace teeharness::mocks::pki {

using Measurement = std::array<uint8_t, 48>;

// The TCB status a quote's platform SVNs select in the mock's TCB info.
enum class QuoteTcb { kUpToDate, kOutOfDate, kRevoked };

// What one quote says, and which faults it carries. Plain value type; the defaults describe a
// healthy, production (non-debug) TD of the mock image, UpToDate, certified by the trusted chain.
struct QuoteFields {
  std::array<uint8_t, 64> report_data{};
  Measurement mr_td = DefaultMrTd();
  Measurement mr_config_id{};
  Measurement mr_owner{};
  Measurement mr_owner_config{};
  std::array<Measurement, 4> rtmr = DefaultRtmrs();
  // TDATTRIBUTES as in the report (little-endian u64 bytes): SEPT_VE_DISABLE (bit 28) set.
  std::array<uint8_t, 8> td_attributes = {0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00};
  std::array<uint8_t, 8> xfam = {0xe7, 0x1a, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00};
  Measurement mr_seam = DefaultMrSeam();

  // Faults. Each makes exactly one thing wrong, as the named failure on real hardware would.
  bool corrupt_quote_signature = false;      // flips a byte of the attestation key's signature
  bool corrupt_qe_report_signature = false;  // flips a byte of the PCK key's QE report signature
  MockPki::Pck pck = MockPki::Pck::kGood;    // kRevoked: in the PCK CRL; kUntrusted: other root
  QuoteTcb tcb = QuoteTcb::kUpToDate;        // the TEE_TCB_SVN that picks the TCB level
  bool debug_td = false;                     // sets TDATTRIBUTES.DEBUG (byte 0 bit 0)
  bool wrong_mr_td = false;                  // flips MRTD's first byte (not the expected image)

  static Measurement DefaultMrTd();
  static Measurement DefaultMrSeam();
  static std::array<Measurement, 4> DefaultRtmrs();
};

// Byte offsets and sizes of Intel's TDX v4 quote layout (header 48 + TD report body 584).
inline constexpr size_t kQuoteHeaderSize = 48;
inline constexpr size_t kTdReportSize = 584;
inline constexpr size_t kQuoteSignedSize = kQuoteHeaderSize + kTdReportSize;  // 632
inline constexpr size_t kQuoteReportDataOffset = kQuoteHeaderSize + 520;      // 568
inline constexpr size_t kQeReportSize = 384;

// A TDX v4 quote with Intel's layout and real ECDSA P-256 signatures: the attestation key signs
// bytes [0, 632); the PCK leaf signs the QE report, whose report_data binds the attestation key and
// the QE authentication data; certification data type 6 carries the QE report and the PEM PCK
// chain (leaf, platform CA, root). The header's user data reads "TEEHARNESS-MOCK". Thread-safe.
crypto::Bytes BuildSignedQuote(const MockPki& pki, const QuoteFields& fields);

}  // namespace teeharness::mocks::pki
