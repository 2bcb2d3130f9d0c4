#include "harness/protocol/tdx_quote.h"

#include <algorithm>

namespace teeharness::protocol {
namespace {

// Intel TDX DCAP quote layout: a 48-byte header; v4 follows it with the 584-byte TD report body;
// v5 with a 2-byte body type and a 4-byte body size, then the body (584 bytes for a TD report 1.0,
// 648 for 1.5). Either way the signature data length (u32) follows the body.
constexpr size_t kHeaderSize = 48;
constexpr size_t kTdReport10Size = 584;
constexpr size_t kTdReport15Size = 648;
constexpr size_t kMrTdOffset = 136;        // within the body
constexpr size_t kReportDataOffset = 520;  // within the body
constexpr uint32_t kTeeTypeTdx = 0x81;

uint16_t U16(crypto::ByteSpan b, size_t at) {
  return static_cast<uint16_t>(b[at] | (b[at + 1] << 8));
}
uint32_t U32(crypto::ByteSpan b, size_t at) {
  return static_cast<uint32_t>(b[at]) | (static_cast<uint32_t>(b[at + 1]) << 8) |
         (static_cast<uint32_t>(b[at + 2]) << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
}

// Where the TD report body starts and how long it is, from the version-specific framing.
Result<std::pair<size_t, size_t>> LocateBody(crypto::ByteSpan quote, TdxQuote& parsed) {
  if (parsed.version == 4) {
    if (quote.size() < kHeaderSize + kTdReport10Size) {
      return MakeError("quote is ", quote.size(), " bytes; a TDX v4 quote needs at least ",
                       kHeaderSize + kTdReport10Size);
    }
    return std::make_pair(kHeaderSize, kTdReport10Size);
  }
  if (quote.size() < kHeaderSize + 6) {
    return MakeError("quote is ", quote.size(), " bytes; a TDX v5 quote needs at least ",
                     kHeaderSize + 6);
  }
  parsed.body_type = U16(quote, kHeaderSize);
  const uint32_t body_size = U32(quote, kHeaderSize + 2);
  const size_t expected = parsed.body_type == 2   ? kTdReport10Size
                          : parsed.body_type == 3 ? kTdReport15Size
                                                  : 0;
  if (expected == 0) {
    return MakeError("quote body type ", parsed.body_type,
                     " at offset 48 is not a TD report (2 or 3)");
  }
  if (body_size != expected) {
    return MakeError("quote body size ", body_size, " at offset 50; body type ", parsed.body_type,
                     " has ", expected);
  }
  if (quote.size() - (kHeaderSize + 6) < body_size) {
    return MakeError("quote is ", quote.size(), " bytes; its v5 body ends at ",
                     kHeaderSize + 6 + body_size);
  }
  return std::make_pair(kHeaderSize + 6, static_cast<size_t>(body_size));
}

}  // namespace

Result<TdxQuote> ParseTdxQuote(crypto::ByteSpan quote) {
  if (quote.size() < kHeaderSize) {
    return MakeError("quote is ", quote.size(), " bytes, shorter than its 48-byte header");
  }
  TdxQuote parsed;
  parsed.version = U16(quote, 0);
  parsed.attestation_key_type = U16(quote, 2);
  parsed.tee_type = U32(quote, 4);
  if (parsed.version != 4 && parsed.version != 5) {
    return MakeError("quote version ", parsed.version, " at offset 0; expected 4 or 5");
  }
  if (parsed.tee_type != kTeeTypeTdx) {
    return MakeError("quote TEE type ", parsed.tee_type, " at offset 4; TDX is 129 (0x81)");
  }
  Result<std::pair<size_t, size_t>> body = LocateBody(quote, parsed);
  if (!body.ok()) return Error{body.error()};
  const size_t start = body->first;
  std::copy_n(quote.begin() + start + kMrTdOffset, parsed.mr_td.size(), parsed.mr_td.begin());
  std::copy_n(quote.begin() + start + kReportDataOffset, parsed.report_data.size(),
              parsed.report_data.begin());
  const size_t end = start + body->second;
  // A quote may end right after the body (no signature section); if the length field is there,
  // it must not point past the end.
  if (quote.size() >= end + 4) {
    parsed.signature_data_length = U32(quote, end);
    if (quote.size() - (end + 4) < parsed.signature_data_length) {
      return MakeError("quote signature data length ", parsed.signature_data_length, " at offset ",
                       end, " runs past the quote's ", quote.size(), " bytes");
    }
  }
  return parsed;
}

}  // namespace teeharness::protocol
