#include "mocks/pki/quote_signer.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "harness/crypto/sha256.h"

namespace teeharness::mocks::pki {
namespace {

// Intel's QE vendor id (939a7233-f79c-4ca9-940a-0db3957f0607), as in every DCAP quote.
constexpr uint8_t kIntelQeVendorId[16] = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                          0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};
constexpr uint16_t kAttestationKeyTypeP256 = 2;
constexpr uint32_t kTeeTypeTdx = 0x81;
constexpr uint16_t kCertDataQeReport = 6;
constexpr uint16_t kCertDataPckChain = 5;

// A 48-byte measurement: SHA-256 of the label, then the first 16 bytes of the SHA-256 of that.
Measurement Labelled(std::string_view label) {
  Measurement m{};
  const crypto::Hash32 a = crypto::Sha256::Hash(label);
  const crypto::Hash32 b = crypto::Sha256::Hash(crypto::ByteSpan(a));
  std::copy(a.begin(), a.end(), m.begin());
  std::copy_n(b.begin(), 16, m.begin() + 32);
  return m;
}

void PutU16(crypto::Bytes& out, uint16_t v) {
  out.push_back(v & 0xff);
  out.push_back(v >> 8);
}
void PutU32(crypto::Bytes& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back((v >> (8 * i)) & 0xff);
}
void Append(crypto::Bytes& out, crypto::ByteSpan bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}
template <size_t N>
void Place(crypto::Bytes& out, size_t at, const std::array<uint8_t, N>& value) {
  std::copy(value.begin(), value.end(), out.begin() + at);
}

const std::array<uint8_t, 16>& TeeTcbSvn(QuoteTcb tcb) {
  switch (tcb) {
    case QuoteTcb::kOutOfDate:
      return platform::kTeeTcbSvnOutOfDate;
    case QuoteTcb::kRevoked:
      return platform::kTeeTcbSvnRevoked;
    case QuoteTcb::kUpToDate:
      break;
  }
  return platform::kTeeTcbSvnUpToDate;
}

// The 384-byte SGX report of the TD quoting enclave, matching the mock's QE identity.
crypto::Bytes QeReport(const MockPki& pki, crypto::ByteSpan qe_auth_data) {
  crypto::Bytes report(kQeReportSize, 0);
  Place(report, 0, pki.CpuSvn());
  // miscselect (u32 @16) stays 0, as the identity's miscselect.
  Place(report, 48, platform::kQeAttributes);
  Place(report, 64, pki.QeMrEnclave());
  Place(report, 128, pki.QeMrSigner());
  report[256] = platform::kQeProdId & 0xff;
  report[257] = platform::kQeProdId >> 8;
  report[258] = platform::kQeSvn & 0xff;
  report[259] = platform::kQeSvn >> 8;
  // report_data = SHA-256(attestation key || QE authentication data) || 32 zero bytes: the QE
  // vouches for the key that signs the quote.
  crypto::Sha256 hash;
  hash.Update(crypto::ByteSpan(pki.AttestationPublicKey()));
  hash.Update(qe_auth_data);
  Place(report, 320, hash.Finish());
  return report;
}

}  // namespace

Measurement QuoteFields::DefaultMrTd() {
  // The same recognisable MRTD the mock always reported: SHA-256("teeharness mock MRTD"), then 0s.
  Measurement m{};
  const crypto::Hash32 h = crypto::Sha256::Hash(std::string_view("teeharness mock MRTD"));
  std::copy(h.begin(), h.end(), m.begin());
  return m;
}

Measurement QuoteFields::DefaultMrSeam() { return Labelled("teeharness mock MRSEAM"); }

std::array<Measurement, 4> QuoteFields::DefaultRtmrs() {
  std::array<Measurement, 4> rtmrs;
  for (size_t i = 0; i < rtmrs.size(); ++i) {
    rtmrs[i] = Labelled("teeharness mock RTMR" + std::to_string(i));
  }
  return rtmrs;
}

crypto::Bytes BuildSignedQuote(const MockPki& pki, const QuoteFields& f) {
  crypto::Bytes quote(kQuoteSignedSize, 0);
  // Header.
  quote[0] = 4;  // version 4 (u16 LE)
  quote[2] = kAttestationKeyTypeP256;
  quote[4] = kTeeTypeTdx;
  quote[8] = platform::kQeSvn & 0xff;  // QE SVN and PCE SVN (u16 LE each), as Intel's QE fills them
  quote[9] = platform::kQeSvn >> 8;
  quote[10] = platform::kPceSvn & 0xff;
  quote[11] = platform::kPceSvn >> 8;
  std::memcpy(quote.data() + 12, kIntelQeVendorId, sizeof(kIntelQeVendorId));
  static constexpr char kMarker[] = "TEEHARNESS-MOCK";  // in the header's 20-byte user data
  std::memcpy(quote.data() + 28, kMarker, sizeof(kMarker) - 1);

  // TD report body (TDX 1.0, 584 bytes).
  const size_t b = kQuoteHeaderSize;
  Place(quote, b + 0, TeeTcbSvn(f.tcb));
  Place(quote, b + 16, f.mr_seam);
  // mr_signer_seam (@64) and seam_attributes (@112) stay 0: an Intel-signed module.
  std::array<uint8_t, 8> td_attributes = f.td_attributes;
  if (f.debug_td) td_attributes[0] |= 0x01;
  Place(quote, b + 120, td_attributes);
  Place(quote, b + 128, f.xfam);
  Measurement mr_td = f.mr_td;
  if (f.wrong_mr_td) mr_td[0] ^= 0xff;
  Place(quote, b + 136, mr_td);
  Place(quote, b + 184, f.mr_config_id);
  Place(quote, b + 232, f.mr_owner);
  Place(quote, b + 280, f.mr_owner_config);
  for (size_t i = 0; i < f.rtmr.size(); ++i) Place(quote, b + 328 + 48 * i, f.rtmr[i]);
  Place(quote, b + 520, f.report_data);

  // Signature data: quote signature, attestation key, certification data (type 6).
  crypto::Bytes signature = pki.SignWithAttestationKey(crypto::ByteSpan(quote));
  if (f.corrupt_quote_signature) signature[7] ^= 0x01;
  crypto::Bytes qe_auth_data(32);
  for (size_t i = 0; i < qe_auth_data.size(); ++i) qe_auth_data[i] = static_cast<uint8_t>(i);
  const crypto::Bytes qe_report = QeReport(pki, qe_auth_data);
  crypto::Bytes qe_signature = pki.SignWithPckKey(f.pck, qe_report);
  if (f.corrupt_qe_report_signature) qe_signature[7] ^= 0x01;
  const std::string chain = pki.PckChainPem(f.pck);

  crypto::Bytes certification;  // the type-6 payload
  Append(certification, qe_report);
  Append(certification, qe_signature);
  PutU16(certification, static_cast<uint16_t>(qe_auth_data.size()));
  Append(certification, qe_auth_data);
  PutU16(certification, kCertDataPckChain);
  PutU32(certification, static_cast<uint32_t>(chain.size()));
  Append(certification, crypto::AsBytes(chain));

  crypto::Bytes signature_data;
  Append(signature_data, signature);
  Append(signature_data, pki.AttestationPublicKey());
  PutU16(signature_data, kCertDataQeReport);
  PutU32(signature_data, static_cast<uint32_t>(certification.size()));
  Append(signature_data, certification);

  PutU32(quote, static_cast<uint32_t>(signature_data.size()));
  Append(quote, signature_data);
  return quote;
}

}  // namespace teeharness::mocks::pki
