#include "harness/attestation/collateral/pcs_client.h"

#include <cctype>
#include <initializer_list>
#include <optional>

#include "harness/attestation/collateral/pcs_response.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/crl_distribution_point.h"

namespace teeharness::attestation {
namespace {

bool RemoveSuffix(std::string& text, std::string_view suffix) {
  if (text.size() < suffix.size() ||
      text.compare(text.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  text.resize(text.size() - suffix.size());
  return true;
}

std::string UpperHex(crypto::ByteSpan bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// A short, printable excerpt of an error body for messages (servers explain 4xx in the body).
std::string Excerpt(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, 120)) {
    out += std::isprint(static_cast<unsigned char>(c)) ? c : ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out.empty() ? "" : ": " + out;
}

// A GET that must answer 200.
Result<HttpResponse> GetOk(const HttpGet& get, const std::string& url) {
  Result<HttpResponse> response = get(url);
  if (!response.ok()) return response;
  if (response->status != 200) {
    return MakeError("GET ", url, ": HTTP ", response->status, Excerpt(response->body));
  }
  return response;
}

Result<std::string> ChainHeader(const HttpResponse& response, const std::string& url,
                                std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (std::optional<std::string> value = response.Header(name)) {
      Result<std::string> pem = pcs::DecodeIssuerChainHeader(*value, name);
      if (!pem.ok()) return MakeError("GET ", url, ": ", pem.error());
      return pem;
    }
  }
  return MakeError("GET ", url, ": no ", *names.begin(), " header");
}

struct SignedPiece {
  pcs::SignedJson json;
  std::string issuer_chain;
};

Result<SignedPiece> FetchSigned(const HttpGet& get, const std::string& url, std::string_view member,
                                const char* what, std::initializer_list<std::string_view> headers) {
  Result<HttpResponse> response = GetOk(get, url);
  if (!response.ok()) return Error{response.error()};
  Result<std::string> chain = ChainHeader(*response, url, headers);
  if (!chain.ok()) return Error{chain.error()};
  Result<pcs::SignedJson> json = pcs::ParseSignedJson(response->body, member, what);
  if (!json.ok()) return MakeError("GET ", url, ": ", json.error());
  return SignedPiece{std::move(json).value(), std::move(chain).value()};
}

Result<crypto::Bytes> FetchCrl(const HttpGet& get, const std::string& url, const char* what) {
  Result<HttpResponse> response = GetOk(get, url);
  if (!response.ok()) return Error{response.error()};
  Result<crypto::Bytes> der = pcs::DecodeCrlBody(response->body, what);
  if (!der.ok()) return MakeError("GET ", url, ": ", der.error());
  return der;
}

// The root CA CRL from the distribution point of the top certificate of `issuer_chain_pem`.
Result<crypto::Bytes> FetchRootCrlFromDistributionPoint(const HttpGet& get,
                                                        const std::string& issuer_chain_pem) {
  Result<std::vector<pki::Certificate>> chain = pki::ParsePemChain(issuer_chain_pem);
  if (!chain.ok()) return MakeError("issuer chain: ", chain.error());
  Result<std::string> url = pki::CrlDistributionPointUrl(chain->back());
  if (!url.ok()) return Error{url.error()};
  return FetchCrl(get, *url, "root CA CRL");
}

}  // namespace

PcsEndpoints::PcsEndpoints(std::string base_url) : base_url_(std::move(base_url)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  if (RemoveSuffix(base_url_, "/sgx/certification/v4") ||
      RemoveSuffix(base_url_, "/tdx/certification/v4")) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  }
}

bool PcsEndpoints::IsIntelPcs() const {
  const std::string intel = kIntelPcsBaseUrl;
  return base_url_ == intel || base_url_.rfind(intel + "/", 0) == 0;
}

std::string PcsEndpoints::TcbInfo(crypto::ByteSpan fmspc) const {
  // Upper case, as dcap-qvl and Intel's QCNL send it.
  return base_url_ + "/tdx/certification/v4/tcb?fmspc=" + UpperHex(fmspc);
}

std::string PcsEndpoints::QeIdentity() const {
  return base_url_ + "/tdx/certification/v4/qe/identity";
}

std::string PcsEndpoints::PckCrl(PckCa ca) const {
  return base_url_ + "/sgx/certification/v4/pckcrl?ca=" + std::string(PckCaName(ca)) +
         "&encoding=der";
}

std::string PcsEndpoints::RootCaCrl() const {
  return base_url_ + "/sgx/certification/v4/rootcacrl";
}

Result<Collateral> FetchPcsCollateral(const PcsEndpoints& endpoints, const CollateralKey& key,
                                      const HttpGet& get) {
  Collateral c;
  Result<SignedPiece> tcb = FetchSigned(get, endpoints.TcbInfo(key.fmspc), "tcbInfo", "TCB info",
                                        {"TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"});
  if (!tcb.ok()) return Error{tcb.error()};
  c.tcb_info = std::move(tcb->json.text);
  c.tcb_info_signature = std::move(tcb->json.signature);
  c.tcb_info_issuer_chain = std::move(tcb->issuer_chain);

  Result<SignedPiece> qe = FetchSigned(get, endpoints.QeIdentity(), "enclaveIdentity",
                                       "QE identity", {"SGX-Enclave-Identity-Issuer-Chain"});
  if (!qe.ok()) return Error{qe.error()};
  c.qe_identity = std::move(qe->json.text);
  c.qe_identity_signature = std::move(qe->json.signature);
  c.qe_identity_issuer_chain = std::move(qe->issuer_chain);

  const std::string pck_url = endpoints.PckCrl(key.ca);
  Result<HttpResponse> pck = GetOk(get, pck_url);
  if (!pck.ok()) return Error{pck.error()};
  Result<std::string> pck_chain = ChainHeader(*pck, pck_url, {"SGX-PCK-CRL-Issuer-Chain"});
  if (!pck_chain.ok()) return Error{pck_chain.error()};
  Result<crypto::Bytes> pck_der = pcs::DecodeCrlBody(pck->body, "PCK CRL");
  if (!pck_der.ok()) return MakeError("GET ", pck_url, ": ", pck_der.error());
  c.pck_crl = std::move(pck_der).value();
  c.pck_crl_issuer_chain = std::move(pck_chain).value();

  std::string rootcacrl_problem;
  if (!endpoints.IsIntelPcs()) {
    Result<crypto::Bytes> root = FetchCrl(get, endpoints.RootCaCrl(), "root CA CRL");
    if (root.ok()) {
      c.root_ca_crl = std::move(root).value();
      return c;
    }
    rootcacrl_problem = root.error() + "; ";
  }
  Result<crypto::Bytes> root = FetchRootCrlFromDistributionPoint(get, c.qe_identity_issuer_chain);
  if (!root.ok()) return MakeError(rootcacrl_problem, "root CA CRL: ", root.error());
  c.root_ca_crl = std::move(root).value();
  return c;
}

}  // namespace teeharness::attestation
