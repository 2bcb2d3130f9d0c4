#include "harness/attestation/policy/td_policy.h"

#include <algorithm>

#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

// TD attribute bits (TDX module ABI; the Linux kernel and Tinfoil's verifier use the same names).
// Byte 0 is TUD (bit 0 DEBUG, the rest reserved and also debug-class); SEC bits 8..31 and OTHER
// bits 32..63 are reserved except the named ones. Like Tinfoil, MIGRATABLE (bit 29) counts as
// reserved for a strict policy: a migratable TD's memory can leave the platform.
struct NamedBit {
  int bit;
  const char* name;
};
constexpr NamedBit kNamedBits[] = {
    {0, "DEBUG"}, {16, "ICSSD"}, {27, "LASS"}, {28, "SEPT_VE_DISABLE"}, {29, "MIGRATABLE"},
    {30, "PKS"},  {31, "KL"},    {62, "TPA"},  {63, "PERFMON"}};
constexpr uint64_t kTudMask = 0xff;
constexpr uint64_t kSeptVeDisable = 1ull << 28;
// Allowed outside TUD: SEPT_VE_DISABLE, PKS, KL, PERFMON. Everything else is reserved.
constexpr uint64_t kAllowedBits = kSeptVeDisable | (1ull << 30) | (1ull << 31) | (1ull << 63);

uint64_t AsU64(const std::array<uint8_t, 8>& le) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | le[static_cast<size_t>(i)];
  return v;
}

std::string Hex(crypto::ByteSpan b) { return crypto::EncodeHex(b); }

template <size_t N>
crypto::ByteSpan Span(const std::array<uint8_t, N>& a) {
  return crypto::ByteSpan(a.data(), a.size());
}

// The quote's bytes for a pin name (empty span for fmspc, which comes from the PCK certificate).
crypto::ByteSpan FieldOf(const TdxQuote& q, const std::string& name) {
  const TdReportBody& b = q.body;
  if (name == "qe_vendor_id") return Span(q.qe_vendor_id);
  if (name == "mrtd") return Span(b.mr_td);
  if (name.rfind("rtmr", 0) == 0 && name.size() == 5) return Span(b.rtmr[name[4] - '0']);
  if (name == "mr_seam") return Span(b.mr_seam);
  if (name == "mr_signer_seam") return Span(b.mr_signer_seam);
  if (name == "seam_attributes") return Span(b.seam_attributes);
  if (name == "td_attributes") return Span(b.td_attributes);
  if (name == "xfam") return Span(b.xfam);
  if (name == "mr_config_id") return Span(b.mr_config_id);
  if (name == "mr_owner") return Span(b.mr_owner);
  if (name == "mr_owner_config") return Span(b.mr_owner_config);
  if (name == "report_data") return Span(b.report_data);
  return {};
}

}  // namespace

std::vector<std::string> DecodeTdAttributes(const std::array<uint8_t, 8>& td_attributes) {
  const uint64_t v = AsU64(td_attributes);
  std::vector<std::string> names;
  for (int bit = 0; bit < 64; ++bit) {
    if (!(v & (1ull << bit))) continue;
    const auto named = std::find_if(std::begin(kNamedBits), std::end(kNamedBits),
                                    [bit](const NamedBit& n) { return n.bit == bit; });
    names.push_back(named != std::end(kNamedBits) ? named->name
                                                  : "RESERVED_" + std::to_string(bit));
  }
  return names;
}

CheckResult CheckTdAttributes(const TdxQuote& quote, const QuotePolicy& policy) {
  const uint64_t v = AsU64(quote.body.td_attributes);
  const std::string shown = "td_attributes " + Hex(Span(quote.body.td_attributes));
  CheckResult result{"TD-ATTR", CheckState::kFail, ""};
  if ((v & kTudMask) != 0 && !policy.allow_debug) {
    result.reason = shown + ": TUD byte is " +
                    Hex(crypto::ByteSpan(quote.body.td_attributes.data(), 1)) +
                    " (DEBUG or another TD-under-debug bit): a debug TD is not confidential";
    return result;
  }
  const uint64_t reserved = v & ~kTudMask & ~kAllowedBits;
  if (reserved != 0) {
    std::string bits;
    for (int bit = 8; bit < 64; ++bit) {
      if (reserved & (1ull << bit)) bits += (bits.empty() ? "" : ",") + std::to_string(bit);
    }
    result.reason = shown + ": reserved or disallowed bits set (" + bits + ")";
    return result;
  }
  if (!(v & kSeptVeDisable) && !policy.allow_sept_ve) {
    result.reason = shown + ": SEPT_VE_DISABLE (bit 28) is clear";
    return result;
  }
  if (quote.body.is_td15 && !policy.allow_service_td &&
      std::any_of(quote.body.mr_service_td.begin(), quote.body.mr_service_td.end(),
                  [](uint8_t b) { return b != 0; })) {
    result.reason = "MRSERVICETD is " + Hex(Span(quote.body.mr_service_td)) +
                    ": a service TD is bound (allow with allow_service_td)";
    return result;
  }
  result.state = CheckState::kPass;
  std::string decoded;
  for (const std::string& name : DecodeTdAttributes(quote.body.td_attributes)) {
    decoded += (decoded.empty() ? "" : ",") + name;
  }
  result.reason = shown + " (" + (decoded.empty() ? "none" : decoded) + ")";
  return result;
}

CheckResult CheckTdMeasurements(const TdxQuote& quote, const crypto::Bytes& fmspc,
                                const QuotePolicy& policy) {
  if (!policy.HasMeasurementPolicy()) {
    return {"TD-MEASURE", CheckState::kSkip, "no measurement pin or minimum given"};
  }
  std::string checked;
  for (const auto& [name, allowed] : policy.pins) {
    const crypto::ByteSpan actual =
        name == "fmspc" ? crypto::ByteSpan(fmspc) : FieldOf(quote, name);
    if (name == "fmspc" && fmspc.empty()) {
      return {"TD-MEASURE", CheckState::kFail,
              "fmspc is pinned but the PCK certificate's FMSPC could not be read"};
    }
    const bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const crypto::Bytes& want) {
      return std::equal(want.begin(), want.end(), actual.begin(), actual.end());
    });
    if (!ok) {
      std::string wanted;
      for (const crypto::Bytes& want : allowed)
        wanted += (wanted.empty() ? "" : " or ") + Hex(want);
      return {"TD-MEASURE", CheckState::kFail,
              name + " is " + Hex(actual) + ", expected " + wanted};
    }
    checked += (checked.empty() ? "" : ", ") + name;
  }
  if (policy.min_tee_tcb_svn) {
    const crypto::Bytes& min = *policy.min_tee_tcb_svn;
    for (size_t i = 0; i < 16; ++i) {
      if (quote.body.tee_tcb_svn[i] < min[i]) {
        return {"TD-MEASURE", CheckState::kFail,
                "tee_tcb_svn " + Hex(Span(quote.body.tee_tcb_svn)) + " byte " + std::to_string(i) +
                    " is below the minimum " + Hex(min)};
      }
    }
    checked += (checked.empty() ? "" : ", ") + std::string("min_tee_tcb_svn");
  }
  return {"TD-MEASURE", CheckState::kPass, "matched " + checked};
}

}  // namespace teeharness::attestation
