#include "harness/attestation/verify/quote_verifier.h"

#include <algorithm>

#include "harness/attestation/collateral/qe_identity.h"
#include "harness/attestation/collateral/rfc3339.h"
#include "harness/attestation/collateral/tcb_info.h"
#include "harness/attestation/pki/crl.h"
#include "harness/attestation/pki/ecdsa.h"
#include "harness/attestation/pki/sgx_extensions.h"
#include "harness/attestation/pki/trust_roots.h"
#include "harness/attestation/policy/qe_identity_match.h"
#include "harness/attestation/policy/tcb_level.h"
#include "harness/attestation/policy/td_policy.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"

namespace teeharness::attestation {
namespace {

constexpr const char* kIds[] = {"QUOTE-FORMAT", "QUOTE-SIG", "QUOTE-QE",  "QUOTE-CHAIN",
                                "QUOTE-TCB",    "TD-ATTR",   "TD-MEASURE"};

CheckResult Pass(const char* id, std::string reason) {
  return {id, CheckState::kPass, std::move(reason)};
}
CheckResult Fail(const char* id, std::string reason) {
  return {id, CheckState::kFail, std::move(reason)};
}
CheckResult Skip(const char* id, std::string reason) {
  return {id, CheckState::kSkip, std::move(reason)};
}

template <size_t N>
crypto::ByteSpan Span(const std::array<uint8_t, N>& a) {
  return crypto::ByteSpan(a.data(), a.size());
}

// Header checks beyond what the parser needs to find the body.
std::optional<std::string> HeaderProblem(const TdxQuote& q) {
  if (q.attestation_key_type != 2) {
    return "attestation key type " + std::to_string(q.attestation_key_type) +
           " at offset 2; expected 2 (ECDSA P-256)";
  }
  if (q.qe_vendor_id != kIntelQeVendorId) {
    return "QE vendor id " + crypto::EncodeHex(Span(q.qe_vendor_id)) +
           " at offset 12 is not Intel's 939a7233f79c4ca9940a0db3957f0607";
  }
  return std::nullopt;
}

std::optional<std::string> CheckFresh(const char* what, int64_t issue, int64_t next, int64_t at) {
  if (at < issue)
    return std::string(what) + " issued " + FormatRfc3339(issue) +
           ", after the verification time " + FormatRfc3339(at);
  if (at > next)
    return std::string(what) + " expired: nextUpdate " + FormatRfc3339(next) +
           " is before the verification time " + FormatRfc3339(at);
  return std::nullopt;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

// The state shared by the steps of one verification.
struct Run {
  crypto::ByteSpan bytes;
  const QuoteVerifyOptions& options;
  QuoteVerification& out;
  const pki::Certificate& root;
  TdxQuote quote;
  QuoteSignature signature;
  std::shared_ptr<const PckChainEntry> pck_entry;
  const std::vector<pki::Certificate>* pck_chain_ptr = nullptr;
  const pki::PckExtensions* pck = nullptr;
  std::shared_ptr<const CollateralEval> eval;  // when collateral is given
  std::vector<const pki::Crl*> crls;
  const std::vector<pki::Certificate>& pck_chain() const { return *pck_chain_ptr; }
};

CheckResult CheckChain(Run& r) {
  r.pck_entry = r.options.cache->PckChain(r.signature.pck_chain_pem);
  if (!r.pck_entry->problem.empty() && r.pck_entry->chain.empty()) {
    return Fail("QUOTE-CHAIN", r.pck_entry->problem);
  }
  r.pck_chain_ptr = &r.pck_entry->chain;
  std::string crl_note = "CRLs not checked: no collateral";
  if (r.eval) {
    if (!r.eval->crl_problem.empty()) return Fail("QUOTE-CHAIN", r.eval->crl_problem);
    r.crls = {&*r.eval->pck_crl, &*r.eval->root_crl};
    crl_note = "PCK and root CA CRLs current and listing none of it";
  }
  pki::ChainOptions chain_options;
  chain_options.at = r.options.at;
  chain_options.crls = r.crls;
  Result<pki::ChainVerdict> verdict =
      r.options.cache->chains().Verify(r.pck_chain(), r.root, chain_options);
  if (!verdict.ok()) return Fail("QUOTE-CHAIN", verdict.error());
  r.out.collateral_not_after = std::min(r.out.collateral_not_after, verdict->earliest_not_after);
  if (!r.pck_entry->extensions) return Fail("QUOTE-CHAIN", r.pck_entry->problem);
  r.pck = &*r.pck_entry->extensions;
  r.out.fmspc = crypto::EncodeHex(r.pck->fmspc);
  return Pass("QUOTE-CHAIN", std::to_string(r.pck_chain().size()) + " certificates to " +
                                 r.root.subject() + ", valid at " + FormatRfc3339(r.options.at) +
                                 "; " + crl_note);
}

CheckResult CheckQe(Run& r, bool chain_ok) {
  if (!chain_ok) return Skip("QUOTE-QE", "the PCK certificate chain did not verify");
  const QeReport& qe = r.signature.qe_report;
  if (!pki::VerifyWithCertificate(r.pck_chain().front(), r.signature.qe_report_bytes,
                                  Span(r.signature.qe_report_signature))) {
    return Fail("QUOTE-QE", "QE report signature does not verify with the PCK certificate key");
  }
  crypto::Sha256 h;
  h.Update(Span(r.signature.attestation_key));
  h.Update(r.signature.qe_auth_data);
  const crypto::Hash32 expected = h.Finish();
  if (!std::equal(expected.begin(), expected.end(), qe.report_data.begin()) ||
      std::any_of(qe.report_data.begin() + 32, qe.report_data.end(),
                  [](uint8_t b) { return b != 0; })) {
    return Fail("QUOTE-QE", "QE report_data " + crypto::EncodeHex(Span(qe.report_data)) +
                                " is not SHA-256(attestation key ‖ QE auth data) " +
                                crypto::EncodeHex(expected) + " followed by 32 zero bytes");
  }
  if (!r.options.collateral) {
    return Pass("QUOTE-QE",
                "QE report signed by the PCK key and binding the attestation key; "
                "QE identity not checked: no collateral");
  }
  if (!r.eval->qe_problem.empty()) return Fail("QUOTE-QE", r.eval->qe_problem);
  const QeIdentity* identity = &*r.eval->qe_identity;
  if (identity->id != "TD_QE") {
    return Fail("QUOTE-QE", "QE identity id is '" + identity->id + "'; a TDX quote needs TD_QE");
  }
  // Its freshness is collateral freshness, judged with the rest under QUOTE-TCB.
  if (r.options.policy.min_tcb_evaluation_data_number &&
      identity->tcb_evaluation_data_number < *r.options.policy.min_tcb_evaluation_data_number) {
    return Fail("QUOTE-QE", "QE identity tcbEvaluationDataNumber " +
                                std::to_string(identity->tcb_evaluation_data_number) +
                                " is below the policy minimum " +
                                std::to_string(*r.options.policy.min_tcb_evaluation_data_number));
  }
  QeReportFields fields{qe.miscselect, qe.attributes, qe.mr_signer, qe.isv_prod_id, qe.isv_svn};
  Result<QeMatch> match = MatchQeIdentity(*identity, fields);
  if (!match.ok()) return Fail("QUOTE-QE", match.error());
  r.out.qe_tcb_status = match->status;
  if (match->status == "Revoked" || match->status == "OutOfDate") {
    // Intel's QVL folds the QE's status into the quote's; an out-of-date QE is never accepted
    // silently, whatever the platform's TCB level says.
    const auto& accepted = r.options.policy.accepted_tcb_statuses;
    if (std::find(accepted.begin(), accepted.end(), match->status) == accepted.end()) {
      return Fail("QUOTE-QE", "QE TCB status " + match->status + " (ISVSVN " +
                                  std::to_string(qe.isv_svn) + ") is not accepted");
    }
  }
  return Pass("QUOTE-QE",
              "QE report signed by the PCK key, binds the attestation key, matches "
              "the TD_QE identity; QE TCB status " +
                  match->status + " (ISVSVN " + std::to_string(qe.isv_svn) + ")");
}

CheckResult CheckTcb(Run& r, bool chain_ok) {
  if (!r.options.collateral) {
    return Skip("QUOTE-TCB", "no collateral: TCB status not evaluated");
  }
  if (!chain_ok || !r.pck) return Skip("QUOTE-TCB", "the PCK certificate chain did not verify");
  if (!r.eval->tcb_problem.empty()) return Fail("QUOTE-TCB", r.eval->tcb_problem);
  const TcbInfo* info = &*r.eval->tcb_info;
  if (info->id != "TDX" || info->version != 3) {
    return Fail("QUOTE-TCB", "TCB info is id '" + info->id + "' version " +
                                 std::to_string(info->version) +
                                 "; a TDX quote needs TDX version 3");
  }
  if (auto stale = CheckFresh("TCB info", info->issue_date, info->next_update, r.options.at)) {
    return Fail("QUOTE-TCB", *stale);
  }
  if (const auto& identity = r.eval->qe_identity) {
    if (auto stale =
            CheckFresh("QE identity", identity->issue_date, identity->next_update, r.options.at)) {
      return Fail("QUOTE-TCB", *stale);
    }
    r.out.collateral_not_after = std::min(r.out.collateral_not_after, identity->next_update);
  }
  for (const pki::Crl* crl : r.crls) {
    if (auto stale = CheckFresh(("CRL of " + crl->issuer()).c_str(), crl->this_update(),
                                crl->next_update(), r.options.at)) {
      return Fail("QUOTE-TCB", *stale);
    }
    r.out.collateral_not_after = std::min(r.out.collateral_not_after, crl->next_update());
  }
  r.out.collateral_not_after = std::min(r.out.collateral_not_after, info->next_update);
  if (info->fmspc != r.pck->fmspc) {
    return Fail("QUOTE-TCB", "TCB info FMSPC " + crypto::EncodeHex(info->fmspc) +
                                 " is not the PCK certificate's " +
                                 crypto::EncodeHex(r.pck->fmspc));
  }
  if (info->pce_id != r.pck->pce_id) {
    return Fail("QUOTE-TCB", "TCB info PCEID " + crypto::EncodeHex(info->pce_id) +
                                 " is not the PCK certificate's " +
                                 crypto::EncodeHex(r.pck->pce_id));
  }
  if (r.options.policy.min_tcb_evaluation_data_number &&
      info->tcb_evaluation_data_number < *r.options.policy.min_tcb_evaluation_data_number) {
    return Fail("QUOTE-TCB", "TCB info tcbEvaluationDataNumber " +
                                 std::to_string(info->tcb_evaluation_data_number) +
                                 " is below the policy minimum " +
                                 std::to_string(*r.options.policy.min_tcb_evaluation_data_number));
  }
  TcbInputs inputs;
  inputs.sgx_components = r.pck->sgx_tcb_components;
  inputs.pce_svn = r.pck->pce_svn;
  inputs.tee_tcb_svn = r.quote.body.tee_tcb_svn;
  inputs.mr_signer_seam.assign(r.quote.body.mr_signer_seam.begin(),
                               r.quote.body.mr_signer_seam.end());
  inputs.seam_attributes.assign(r.quote.body.seam_attributes.begin(),
                                r.quote.body.seam_attributes.end());
  inputs.td15 = r.quote.body.is_td15;
  inputs.tee_tcb_svn2 = r.quote.body.tee_tcb_svn2;
  inputs.qe_tcb_status = r.out.qe_tcb_status;
  const TcbRule rule = r.options.dcap_qvl_tcb_rule ? TcbRule::kDcapQvl : TcbRule::kIntel;
  r.out.tcb_rule = rule == TcbRule::kIntel ? "intel" : "dcap-qvl";
  Result<TcbMatch> match = MatchTcbLevel(*info, inputs, rule);
  if (!match.ok()) return Fail("QUOTE-TCB", match.error());
  r.out.tcb_status = match->status;
  r.out.advisory_ids = match->advisory_ids;
  r.out.tdx_module_id = match->module_id;
  const auto& accepted = r.options.policy.accepted_tcb_statuses;
  const std::string detail =
      "TCB status " + match->status +
      (match->advisory_ids.empty() ? "" : " (" + Joined(match->advisory_ids) + ")") + " by the " +
      r.out.tcb_rule + " rule" + (match->module_id.empty() ? "" : ", module " + match->module_id) +
      (match->before_relaunch.empty()
           ? ""
           : " (" + match->before_relaunch +
                 " as launched; a TD relaunch would bring it up to date: TEE_TCB_SVN_2 " +
                 crypto::EncodeHex(Span(r.quote.body.tee_tcb_svn2)) +
                 " meets the latest TCB level)");
  if (std::find(accepted.begin(), accepted.end(), match->status) == accepted.end()) {
    return Fail("QUOTE-TCB", detail + " is not accepted (accepted: " + Joined(accepted) + ")");
  }
  return Pass("QUOTE-TCB",
              detail + "; collateral current until " + FormatRfc3339(r.out.collateral_not_after));
}

}  // namespace

const CheckResult* QuoteVerification::Find(std::string_view id) const {
  for (const CheckResult& c : checks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

QuoteVerification VerifyQuote(crypto::ByteSpan bytes, const QuoteVerifyOptions& options) {
  QuoteVerification out;
  // Without a cache of the caller's, one for this quote alone: nothing carries over to the next
  // quote, but a certificate or chain the quote and its collateral share is parsed and verified
  // once (the root tops four chains).
  if (options.cache == nullptr) {
    VerifierCache scratch;
    QuoteVerifyOptions with_scratch = options;
    with_scratch.cache = &scratch;
    return VerifyQuote(bytes, with_scratch);
  }
  out.collateral_not_after = INT64_MAX;
  Result<TdxQuote> parsed = ParseTdxQuote(bytes);
  std::optional<std::string> problem;
  if (!parsed.ok()) problem = parsed.error();
  if (!problem) problem = HeaderProblem(*parsed);
  Result<QuoteSignature> signature =
      parsed.ok() ? ParseQuoteSignature(bytes, *parsed) : Result<QuoteSignature>(Error{""});
  if (!problem && !signature.ok()) problem = signature.error();
  if (problem) {
    out.checks.push_back(Fail("QUOTE-FORMAT", *problem));
    for (size_t i = 1; i < std::size(kIds); ++i) {
      out.checks.push_back(Skip(kIds[i], "the quote could not be parsed"));
    }
    return out;
  }
  Run r{bytes,   options,
        out,     options.trust_root ? *options.trust_root : pki::IntelSgxRootCa(),
        *parsed, *signature,
        nullptr, nullptr,
        nullptr, nullptr,
        {}};
  if (options.collateral) {
    r.eval = options.cache->Collateral(*options.collateral, r.root, options.at);
    out.collateral_not_after = std::min(out.collateral_not_after, r.eval->not_after);
  }
  out.quote = *parsed;
  out.checks.push_back(Pass(
      "QUOTE-FORMAT",
      "TDX v" + std::to_string(parsed->version) + ", " + std::to_string(bytes.size()) + " bytes" +
          (parsed->trailing_bytes
               ? " (" + std::to_string(parsed->trailing_bytes) + " bytes of padding)"
               : "")));
  const bool sig_ok =
      pki::VerifyP256(Span(r.signature.attestation_key), bytes.subspan(0, parsed->signed_length),
                      Span(r.signature.signature));
  out.checks.push_back(
      sig_ok ? Pass("QUOTE-SIG", "attestation key signs header and body")
             : Fail("QUOTE-SIG",
                    "the attestation key's signature over header ‖ body does not verify"));
  CheckResult chain = CheckChain(r);
  const bool chain_ok = chain.state == CheckState::kPass;
  out.checks.push_back(CheckQe(r, chain_ok));
  out.checks.push_back(std::move(chain));
  out.checks.push_back(CheckTcb(r, chain_ok));
  out.checks.push_back(CheckTdAttributes(r.quote, options.policy));
  out.checks.push_back(
      CheckTdMeasurements(r.quote, r.pck ? r.pck->fmspc : crypto::Bytes{}, options.policy));
  if (out.collateral_not_after == INT64_MAX) out.collateral_not_after = 0;
  return out;
}

}  // namespace teeharness::attestation
