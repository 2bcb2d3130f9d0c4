#include "mocks/pki/pki_routes.h"

#include <openssl/evp.h>

#include <cctype>

#include "harness/crypto/hex.h"
#include "mocks/dstack_workload.h"
#include "mocks/pki/gpu_pki.h"
#include "mocks/pki/quote_signer.h"
#include "mocks/pki/rim_writer.h"
#include "mocks/query_param.h"

namespace teeharness::mocks::pki {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

MockReply Body(unsigned status, const char* content_type, std::string body) {
  MockReply reply;
  reply.status = status;
  reply.headers = {{"Content-Type", content_type}};
  reply.body = std::move(body);
  return reply;
}

std::string CrlPem(const crypto::Bytes& der) {
  std::string base64(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), der.data(),
                                static_cast<int>(der.size()));
  base64.resize(n > 0 ? static_cast<size_t>(n) : 0);
  std::string pem = "-----BEGIN X509 CRL-----\n";
  for (size_t i = 0; i < base64.size(); i += 64) pem += base64.substr(i, 64) + "\n";
  return pem + "-----END X509 CRL-----\n";
}

// The measurements of the mock's image, as a vendor publishes reference values: what a quote of a
// healthy mock TD carries (the wrong_mrtd fault departs from it).
std::string ReferenceJson() {
  // RTMR0-3 are what the mock's dstack workload extends them to (RTMR3 holds this process's
  // instance id, so the reference is per mock start, as a fresh CVM's would be).
  const auto& rtmr = ProcessMockWorkload().rtmr;
  std::string json = "{\"mrtd\":\"" + crypto::EncodeHex(QuoteFields::DefaultMrTd()) + "\"";
  for (size_t i = 0; i < rtmr.size(); ++i) {
    json += ",\"rtmr" + std::to_string(i) + "\":\"" + crypto::EncodeHex(rtmr[i]) + "\"";
  }
  return json + "}";
}

}  // namespace

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::optional<MockReply> HandlePkiRequest(const MockPki& pki, const std::string& method,
                                          const std::string& target,
                                          MockPki::Collateral collateral) {
  const size_t question = target.find('?');
  const std::string path = target.substr(0, question);
  const std::string query = question == std::string::npos ? "" : target.substr(question + 1);
  const bool known =
      path == "/sgx/certification/v4/pckcrl" || path == "/sgx/certification/v4/rootcacrl" ||
      path == "/tdx/certification/v4/tcb" || path == "/tdx/certification/v4/qe/identity" ||
      path == "/mock/pki/root.pem" || path == "/mock/pki/collateral.json" ||
      path == "/mock/pki/reference.json" || path == "/mock/pki/nvidia-root.pem" ||
      path == "/mock/pki/nvidia-rim-root.pem" || path == "/mock/pki/rims/driver.swidtag" ||
      path == "/mock/pki/rims/vbios.swidtag";
  if (!known) return std::nullopt;
  if (method != "GET") return Body(405, "text/plain", "only GET\n");
  if (path == "/sgx/certification/v4/pckcrl") {
    const std::string ca = Lower(QueryParam(query, "ca").value_or(""));
    // The mock's PCK leaves are issued by its platform CA; it has no processor CA.
    if (ca != "platform") return Body(404, "text/plain", "ca must be 'platform'\n");
    const bool der = Lower(QueryParam(query, "encoding").value_or("pem")) == "der";
    MockReply reply = der ? Body(200, "application/pkix-crl",
                                 std::string(pki.PckCrlDer().begin(), pki.PckCrlDer().end()))
                          : Body(200, "application/x-pem-file", CrlPem(pki.PckCrlDer()));
    reply.headers.emplace_back("SGX-PCK-CRL-Issuer-Chain", UrlEncode(pki.PckCrlIssuerChainPem()));
    return reply;
  }
  if (path == "/sgx/certification/v4/rootcacrl") {
    return Body(200, "text/plain", crypto::EncodeHex(pki.RootCaCrlDer()));
  }
  if (path == "/tdx/certification/v4/tcb") {
    const std::string fmspc = Lower(QueryParam(query, "fmspc").value_or(""));
    if (fmspc != crypto::EncodeHex(platform::kFmspc)) {
      return Body(404, "text/plain", "no TCB info for fmspc '" + fmspc + "'\n");
    }
    MockReply reply = Body(200, "application/json", pki.TcbInfoEnvelope(collateral));
    reply.headers.emplace_back("TCB-Info-Issuer-Chain", UrlEncode(pki.TcbInfoIssuerChainPem()));
    return reply;
  }
  if (path == "/tdx/certification/v4/qe/identity") {
    MockReply reply = Body(200, "application/json", pki.QeIdentityEnvelope(collateral));
    reply.headers.emplace_back("SGX-Enclave-Identity-Issuer-Chain",
                               UrlEncode(pki.TcbInfoIssuerChainPem()));
    return reply;
  }
  if (path == "/mock/pki/nvidia-root.pem") {
    return Body(200, "application/x-pem-file", ProcessMockGpuPki().RootPem());
  }
  if (path == "/mock/pki/nvidia-rim-root.pem") {
    return Body(200, "application/x-pem-file", ProcessMockGpuPki().RimRootPem());
  }
  if (path == "/mock/pki/rims/driver.swidtag") {
    return Body(200, "application/xml", ProcessMockRims().driver);
  }
  if (path == "/mock/pki/rims/vbios.swidtag") {
    return Body(200, "application/xml", ProcessMockRims().vbios);
  }
  if (path == "/mock/pki/root.pem") {
    return Body(200, "application/x-pem-file", pki.RootPem());
  }
  if (path == "/mock/pki/reference.json") {
    return Body(200, "application/json", ReferenceJson());
  }
  return Body(200, "application/json", pki.CollateralJson(collateral));
}

}  // namespace teeharness::mocks::pki
