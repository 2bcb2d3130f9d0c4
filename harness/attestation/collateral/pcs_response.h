#pragma once

#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pcs {

// Decoding of Intel PCS v4 response parts (Intel's PCS, a PCCS, the mock). Every input comes from
// a server: nothing here throws or asserts. Thread-safe (pure functions).

// Percent-decodes an issuer-chain header (TCB-Info-Issuer-Chain, SGX-Enclave-Identity-Issuer-Chain,
// SGX-PCK-CRL-Issuer-Chain): URL-encoded PEM. '+' stays '+' (it is base64's, and Intel encodes a
// space as %20). A '%' not followed by two hex digits is an error naming the offset, as is a result
// without a "-----BEGIN CERTIFICATE-----" block. `header` names the header in errors.
Result<std::string> DecodeIssuerChainHeader(std::string_view value, std::string_view header);

// A signed JSON object as the PCS wraps it: {"tcbInfo":{...},"signature":"HEX"}.
struct SignedJson {
  std::string text;         // the inner object's exact bytes as served (what the signature covers)
  crypto::Bytes signature;  // raw r||s, 64 bytes
};

// Splits a PCS envelope into the exact text of `member` (which must be an object, present once)
// and the 64-byte hex signature. The body is validated as JSON first (depth-limited, UTF-8); the
// member's text is then cut out of the body byte for byte, never re-serialized, since Intel's
// signature covers the bytes it served. `what` names the body in errors ("TCB info").
Result<SignedJson> ParseSignedJson(std::string_view body, std::string_view member,
                                   const char* what);

// The raw text of top-level member `key` of a JSON object, located by a scanner that skips strings
// (with escapes) and nested values. `json` should already be known to be valid JSON; on anything
// else the scanner still stays in bounds and returns an error. Errors if `key` is absent.
Result<std::string_view> RawMemberText(std::string_view json, std::string_view key);

// A CRL body as PCS servers send it: DER (PCS with encoding=der), hex text of the DER (a PCCS's
// rootcacrl) or PEM. Returns the DER of exactly one CRL that has a nextUpdate.
Result<crypto::Bytes> DecodeCrlBody(std::string_view body, const char* what);

}  // namespace teeharness::attestation::pcs
