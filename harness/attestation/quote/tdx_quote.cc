#include "harness/attestation/quote/tdx_quote.h"

#include <algorithm>

namespace teeharness::attestation {
namespace {

// Intel TDX DCAP quote layout: a 48-byte header; v4 follows it with the 584-byte TD report body;
// v5 with a 2-byte body type and a 4-byte body size, then the body (584 bytes for a TD report 1.0,
// 648 for 1.5). Either way the signature data length (u32) follows the body.
constexpr size_t kHeaderSize = 48;
constexpr size_t kTdReport10Size = 584;
constexpr size_t kTdReport15Size = 648;
constexpr uint32_t kTeeTypeTdx = 0x81;
constexpr size_t kQeReportSize = 384;

uint16_t U16(crypto::ByteSpan b, size_t at) {
  return static_cast<uint16_t>(b[at] | (b[at + 1] << 8));
}
uint32_t U32(crypto::ByteSpan b, size_t at) {
  return static_cast<uint32_t>(b[at]) | (static_cast<uint32_t>(b[at + 1]) << 8) |
         (static_cast<uint32_t>(b[at + 2]) << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
}

template <size_t N>
void Copy(crypto::ByteSpan from, size_t at, std::array<uint8_t, N>& to) {
  std::copy_n(from.begin() + at, N, to.begin());
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

void ReadBody(crypto::ByteSpan quote, size_t start, size_t size, TdReportBody& body) {
  Copy(quote, start + 0, body.tee_tcb_svn);
  Copy(quote, start + 16, body.mr_seam);
  Copy(quote, start + 64, body.mr_signer_seam);
  Copy(quote, start + 112, body.seam_attributes);
  Copy(quote, start + 120, body.td_attributes);
  Copy(quote, start + 128, body.xfam);
  Copy(quote, start + 136, body.mr_td);
  Copy(quote, start + 184, body.mr_config_id);
  Copy(quote, start + 232, body.mr_owner);
  Copy(quote, start + 280, body.mr_owner_config);
  for (size_t i = 0; i < body.rtmr.size(); ++i) Copy(quote, start + 328 + 48 * i, body.rtmr[i]);
  Copy(quote, start + 520, body.report_data);
  if (size == kTdReport15Size) {
    body.is_td15 = true;
    Copy(quote, start + 584, body.tee_tcb_svn2);
    Copy(quote, start + 600, body.mr_service_td);
  }
}

// A bounds-checked cursor over the signature section; every read names its field and offset.
class Cursor {
 public:
  Cursor(crypto::ByteSpan bytes, size_t at, size_t end) : bytes_(bytes), at_(at), end_(end) {}
  size_t at() const { return at_; }
  Result<crypto::ByteSpan> Take(size_t n, const char* field) {
    if (end_ - at_ < n) {
      return MakeError("quote ", field, " at offset ", at_, " needs ", n, " bytes; only ",
                       end_ - at_, " remain in the signature data");
    }
    crypto::ByteSpan out = bytes_.subspan(at_, n);
    at_ += n;
    return out;
  }
  Result<uint32_t> TakeU32(const char* field) {
    Result<crypto::ByteSpan> b = Take(4, field);
    if (!b.ok()) return Error{b.error()};
    return U32(*b, 0);
  }
  Result<uint16_t> TakeU16(const char* field) {
    Result<crypto::ByteSpan> b = Take(2, field);
    if (!b.ok()) return Error{b.error()};
    return U16(*b, 0);
  }

 private:
  crypto::ByteSpan bytes_;
  size_t at_;
  size_t end_;
};

QeReport ReadQeReport(crypto::ByteSpan r) {
  QeReport qe;
  Copy(r, 0, qe.cpu_svn);
  qe.miscselect = U32(r, 16);
  Copy(r, 48, qe.attributes);
  Copy(r, 64, qe.mr_enclave);
  Copy(r, 128, qe.mr_signer);
  qe.isv_prod_id = U16(r, 256);
  qe.isv_svn = U16(r, 258);
  Copy(r, 320, qe.report_data);
  return qe;
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
  parsed.qe_svn = U16(quote, 8);
  parsed.pce_svn = U16(quote, 10);
  Copy(quote, 12, parsed.qe_vendor_id);
  Copy(quote, 28, parsed.user_data);
  if (parsed.version != 4 && parsed.version != 5) {
    return MakeError("quote version ", parsed.version, " at offset 0; expected 4 or 5");
  }
  if (parsed.tee_type != kTeeTypeTdx) {
    return MakeError("quote TEE type ", parsed.tee_type, " at offset 4; TDX is 129 (0x81)");
  }
  Result<std::pair<size_t, size_t>> body = LocateBody(quote, parsed);
  if (!body.ok()) return Error{body.error()};
  const size_t start = body->first;
  ReadBody(quote, start, body->second, parsed.body);
  parsed.mr_td = parsed.body.mr_td;
  parsed.report_data = parsed.body.report_data;
  const size_t end = start + body->second;
  parsed.signed_length = end;
  // A quote may end right after the body (no signature section); if the length field is there,
  // it must not point past the end. Bytes after the declared data are padding.
  if (quote.size() >= end + 4) {
    parsed.signature_data_length = U32(quote, end);
    if (quote.size() - (end + 4) < parsed.signature_data_length) {
      return MakeError("quote signature data length ", parsed.signature_data_length, " at offset ",
                       end, " runs past the quote's ", quote.size(), " bytes");
    }
    parsed.trailing_bytes = quote.size() - (end + 4) - parsed.signature_data_length;
  }
  return parsed;
}

Result<QuoteSignature> ParseQuoteSignature(crypto::ByteSpan quote, const TdxQuote& parsed) {
  if (parsed.signature_data_length == 0) {
    return MakeError("quote has no signature data after its body at offset ", parsed.signed_length);
  }
  const size_t begin = parsed.signed_length + 4;
  Cursor c(quote, begin, begin + parsed.signature_data_length);
  QuoteSignature sig;
  Result<crypto::ByteSpan> s = c.Take(64, "ECDSA signature");
  if (!s.ok()) return Error{s.error()};
  Copy(*s, 0, sig.signature);
  Result<crypto::ByteSpan> key = c.Take(64, "attestation key");
  if (!key.ok()) return Error{key.error()};
  Copy(*key, 0, sig.attestation_key);
  const size_t type_at = c.at();
  Result<uint16_t> type = c.TakeU16("certification data type");
  if (!type.ok()) return Error{type.error()};
  if (*type != 6) {
    return MakeError("quote certification data type ", *type, " at offset ", type_at,
                     "; a TDX quote carries type 6 (QE report certification data)");
  }
  Result<uint32_t> size = c.TakeU32("certification data size");
  if (!size.ok()) return Error{size.error()};
  const size_t outer_at = c.at();
  Result<crypto::ByteSpan> outer = c.Take(*size, "certification data");
  if (!outer.ok()) return Error{outer.error()};
  Cursor inner(quote, outer_at, outer_at + *size);
  Result<crypto::ByteSpan> report = inner.Take(kQeReportSize, "QE report");
  if (!report.ok()) return Error{report.error()};
  sig.qe_report_bytes.assign(report->begin(), report->end());
  sig.qe_report = ReadQeReport(*report);
  Result<crypto::ByteSpan> qe_sig = inner.Take(64, "QE report signature");
  if (!qe_sig.ok()) return Error{qe_sig.error()};
  Copy(*qe_sig, 0, sig.qe_report_signature);
  Result<uint16_t> auth_size = inner.TakeU16("QE authentication data size");
  if (!auth_size.ok()) return Error{auth_size.error()};
  Result<crypto::ByteSpan> auth = inner.Take(*auth_size, "QE authentication data");
  if (!auth.ok()) return Error{auth.error()};
  sig.qe_auth_data.assign(auth->begin(), auth->end());
  const size_t inner_type_at = inner.at();
  Result<uint16_t> inner_type = inner.TakeU16("PCK certification data type");
  if (!inner_type.ok()) return Error{inner_type.error()};
  sig.inner_cert_type = *inner_type;
  if (*inner_type != 5) {
    return MakeError("quote PCK certification data type ", *inner_type, " at offset ",
                     inner_type_at, "; only type 5 (PEM certificate chain) is supported");
  }
  Result<uint32_t> chain_size = inner.TakeU32("PCK certificate chain size");
  if (!chain_size.ok()) return Error{chain_size.error()};
  Result<crypto::ByteSpan> chain = inner.Take(*chain_size, "PCK certificate chain");
  if (!chain.ok()) return Error{chain.error()};
  sig.pck_chain_pem.assign(chain->begin(), chain->end());
  return sig;
}

}  // namespace teeharness::attestation
