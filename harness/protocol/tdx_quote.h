#pragma once

#include <array>
#include <cstdint>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::protocol {

// The fields of an Intel TDX quote (v4 or v5) that the checks read. The quote comes from the
// server, so every offset is bounds-checked before it is read; Intel's signature over the quote is
// not verified here (that needs Intel's collateral service, outside the harness).
struct TdxQuote {
  uint16_t version = 0;                   // 4 or 5
  uint16_t attestation_key_type = 0;      // 2: ECDSA-256-with-P-256, 3: ECDSA-384-with-P-384
  uint32_t tee_type = 0;                  // 0x81: TDX
  uint16_t body_type = 0;                 // v5 only: 2 = TD report 1.0, 3 = TD report 1.5
  std::array<uint8_t, 48> mr_td{};        // the measurement of the initial TD
  std::array<uint8_t, 64> report_data{};  // what the TD bound into the report
  uint32_t signature_data_length = 0;     // 0 when the quote ends right after the body
};

// Parses the header and TD report body. Errors name the field and the offset: "quote is 600
// bytes; a TDX v4 quote needs at least 632". Thread-safe (pure).
Result<TdxQuote> ParseTdxQuote(crypto::ByteSpan quote);

}  // namespace teeharness::protocol
