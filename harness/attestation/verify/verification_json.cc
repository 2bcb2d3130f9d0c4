#include "harness/attestation/verify/verification_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/attestation/policy/td_policy.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

template <size_t N>
void Hex(Writer& w, const char* key, const std::array<uint8_t, N>& bytes) {
  Str(w, key, crypto::EncodeHex(crypto::ByteSpan(bytes.data(), bytes.size())));
}

void WriteTd(Writer& w, const TdxQuote& q) {
  const TdReportBody& b = q.body;
  w.Key("td");
  w.StartObject();
  w.Key("version");
  w.Uint(q.version);
  Hex(w, "tee_tcb_svn", b.tee_tcb_svn);
  Hex(w, "mr_seam", b.mr_seam);
  Hex(w, "mr_signer_seam", b.mr_signer_seam);
  Hex(w, "seam_attributes", b.seam_attributes);
  Hex(w, "td_attributes", b.td_attributes);
  w.Key("td_attributes_decoded");
  w.StartArray();
  for (const std::string& name : DecodeTdAttributes(b.td_attributes)) w.String(name.c_str());
  w.EndArray();
  Hex(w, "xfam", b.xfam);
  Hex(w, "mrtd", b.mr_td);
  Hex(w, "mr_config_id", b.mr_config_id);
  Hex(w, "mr_owner", b.mr_owner);
  Hex(w, "mr_owner_config", b.mr_owner_config);
  const char* rtmr_names[] = {"rtmr0", "rtmr1", "rtmr2", "rtmr3"};
  for (size_t i = 0; i < 4; ++i) Hex(w, rtmr_names[i], b.rtmr[i]);
  Hex(w, "report_data", b.report_data);
  w.Key("mr_service_td");
  if (b.is_td15) {
    const std::string hex = crypto::EncodeHex(b.mr_service_td);
    w.String(hex.c_str());
  } else {
    w.Null();
  }
  w.EndObject();
}

}  // namespace

std::string VerificationJson(const QuoteVerification& v,
                             const std::function<void(Writer&)>& extra) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Str(w, "verdict", std::string(VerdictName(v.verdict())));
  w.Key("tcb_status");
  if (v.tcb_status.empty()) {
    w.Null();
  } else {
    w.String(v.tcb_status.c_str());
  }
  w.Key("advisory_ids");
  w.StartArray();
  for (const std::string& id : v.advisory_ids) w.String(id.c_str());
  w.EndArray();
  Str(w, "fmspc", v.fmspc);
  Str(w, "tcb_rule", v.tcb_rule);
  Str(w, "qe_tcb_status", v.qe_tcb_status);
  Str(w, "tdx_module_id", v.tdx_module_id);
  w.Key("checks");
  w.StartArray();
  for (const CheckResult& c : v.checks) {
    w.StartObject();
    Str(w, "id", c.id);
    Str(w, "result", std::string(CheckStateName(c.state)));
    Str(w, "reason", c.reason);
    w.EndObject();
  }
  w.EndArray();
  if (v.quote) {
    WriteTd(w, *v.quote);
  } else {
    w.Key("td");
    w.Null();
  }
  if (extra) extra(w);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace teeharness::attestation
