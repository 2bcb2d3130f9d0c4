#pragma once

#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/collateral/http_get.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation::pcs_testing {

inline constexpr char kBase[] = "https://pccs.example";
// The shipped v4 vector: Intel-signed, verifies at this time; its FMSPC and PCK CA.
inline constexpr int64_t kV4At = 1752919234;  // 2025-07-19T10:00:34Z
inline constexpr char kV4FmspcUpper[] = "B0C06F000000";

inline std::string ReadVector(const std::string& name) {
  std::FILE* f =
      std::fopen((std::string(TEEHARNESS_VECTORS_DIR) + "/attestation/tdx/" + name).c_str(), "rb");
  std::string bytes;
  if (f == nullptr) return bytes;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) bytes.append(buffer, n);
  std::fclose(f);
  return bytes;
}

inline Collateral V4Collateral() {
  Result<Collateral> c = ParseCollateralJson(ReadVector("dcap-qvl-v4.collateral.json"));
  return c.ok() ? std::move(c).value() : Collateral{};
}

inline std::string UrlEncoded(const std::string& text) {
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

// A PCCS in memory, serving `c` the way a PCCS does (envelopes with whitespace around the signed
// object, URL-encoded chain headers, DER PCK CRL, hex root CA CRL). Tests edit `routes` to break
// it. An HttpGet of it records every URL asked. Thread-safe (internal mutex).
class FakePcs {
 public:
  explicit FakePcs(const Collateral& c, const std::string& base = kBase) {
    HttpResponse tcb{200,
                     "{\n  \"tcbInfo\": " + c.tcb_info + ",\n  \"signature\": \"" +
                         crypto::EncodeHex(c.tcb_info_signature) + "\"\n}",
                     {{"Content-Type", "application/json"},
                      {"TCB-Info-Issuer-Chain", UrlEncoded(c.tcb_info_issuer_chain)}}};
    routes[base + "/tdx/certification/v4/tcb?fmspc=" + kV4FmspcUpper] = tcb;
    routes[base + "/tdx/certification/v4/qe/identity"] = {
        200,
        "{\"enclaveIdentity\":" + c.qe_identity + ",\"signature\":\"" +
            crypto::EncodeHex(c.qe_identity_signature) + "\"}",
        {{"sgx-enclave-identity-issuer-chain", UrlEncoded(c.qe_identity_issuer_chain)}}};
    routes[base + "/sgx/certification/v4/pckcrl?ca=platform&encoding=der"] = {
        200,
        std::string(c.pck_crl.begin(), c.pck_crl.end()),
        {{"SGX-PCK-CRL-Issuer-Chain", UrlEncoded(c.pck_crl_issuer_chain)}}};
    routes[base + "/sgx/certification/v4/rootcacrl"] = {200, crypto::EncodeHex(c.root_ca_crl), {}};
  }

  HttpGet Get() {
    return [this](const std::string& url) -> Result<HttpResponse> {
      std::lock_guard<std::mutex> lock(mutex_);
      asked.push_back(url);
      if (down) return MakeError("GET ", url, ": Couldn't connect to server");
      const auto it = routes.find(url);
      if (it == routes.end()) return HttpResponse{404, "not found", {}};
      return it->second;
    };
  }

  int Count(const std::string& needle) {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const std::string& url : asked) n += url.find(needle) != std::string::npos;
    return n;
  }

  std::map<std::string, HttpResponse> routes;
  std::vector<std::string> asked;
  bool down = false;

 private:
  std::mutex mutex_;
};

}  // namespace teeharness::attestation::pcs_testing
