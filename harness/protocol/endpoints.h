#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/protocol/dialect.h"

namespace teeharness::protocol {

// One HTTP call as the harness intends to send it, independent of the transport that sends it.
// The body is the exact bytes that will go on the wire. Value type.
struct HttpCall {
  std::string method;
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

// What an attestation request asks for. Views: valid for the call that takes it.
struct AttestationQuery {
  std::string_view nonce;
  std::string_view signing_algo;         // "" = not sent (ionet)
  std::string_view model;                // near: model= ("" = not sent)
  std::string_view ionet_model_id;       // ionet
  std::string_view signing_address;      // near: only the attestation of this key ("" = not sent)
  bool include_tls_fingerprint = false;  // near: include_tls_fingerprint=true (TLS-BIND)
};

// Builds each dialect's requests (PROTOCOLS.md). base_url has no trailing slash. Thread-safe.
class Endpoints {
 public:
  Endpoints(Dialect dialect, std::string base_url);

  Dialect dialect() const { return dialect_; }

  // phala/near: GET /v1/attestation/report?nonce=..&signing_algo=..
  // ionet: POST /v1/private/attestation {"model_id","nonce"}.
  HttpCall Attestation(std::string_view nonce, std::string_view signing_algo,
                       std::string_view ionet_model_id) const;
  // As above; near (NEAR 2026): GET /v1/attestation/report?model=..&signing_algo=..&nonce=..
  // [&signing_address=..][&include_tls_fingerprint=true], each only when given.
  HttpCall Attestation(const AttestationQuery& query) const;
  // phala/near: POST /v1/chat/completions; ionet: POST /v1/private/completions.
  HttpCall Chat(std::string body) const;
  // phala/near: GET /v1/signature/{id}?signing_algo=.. (the id is percent-encoded); near with a
  // model: ?model=..&signing_algo=.. (NEAR 2026's gateway routes the lookup by model).
  HttpCall Signature(std::string_view chat_id, std::string_view signing_algo,
                     std::string_view model = {}) const;
  // ionet: GET /v1/models (to map a model name to its model_id).
  HttpCall Models() const;
  // A plain GET of base_url exactly as given (the calibration flow; it may name a file).
  HttpCall Root() const;

 private:
  Dialect dialect_;
  std::string raw_url_;
  std::string base_url_;
};

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text);

// Removes one trailing '/' so paths can be appended.
std::string NormalizeBaseUrl(std::string_view url);

}  // namespace teeharness::protocol
