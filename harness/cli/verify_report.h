#pragma once

#include <optional>
#include <string>

#include "harness/base/result.h"
#include "harness/crypto/verifier.h"
#include "harness/protocol/signature_response.h"

namespace teeharness::cli {

using protocol::ParseSignatureDocument;
using protocol::SignatureDocument;

// Inputs and outcome of one offline verification, and its two renderings. Not thread-safe.
struct VerifyReport {
  SignatureDocument document;  // text, signature, address and algo as given or loaded
  bool has_bodies = false;     // the --request/--response form
  std::string request_sha256;
  std::string response_sha256;
  std::string expected_text;  // built from the bodies' hashes
  crypto::SignatureAlgo algo = crypto::SignatureAlgo::kEcdsa;
  crypto::VerifyOutcome outcome;

  bool text_matches() const { return !has_bodies || expected_text == document.text; }
  bool passed() const { return text_matches() && outcome.valid(); }
};

// Verifies report.document (and the text against the bodies). An Error is an input problem (unknown
// algorithm, undecodable signature or address): the caller exits 2.
Result<bool> RunVerification(VerifyReport& report);

std::string FormatText(const VerifyReport& report);
std::string FormatJson(const VerifyReport& report);

}  // namespace teeharness::cli
