#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "harness/checks/outcome.h"
#include "harness/crypto/verifier.h"

namespace teeharness::checks {

// Everything known about one signed completion once its signature is in hand. Built by the
// verified_chat flow; every field is untrusted data from the server except `expected_text` (our own
// hashes of the exact bytes) and `attested_address` (from this epoch's attestation report).
struct SignedCompletion {
  std::string chat_id;
  std::string expected_text;      // sha256(request) ":" sha256(response), near: "model:" first
  std::string signed_text;        // the server's `text`
  std::string signature;          // as received
  std::string signature_address;  // the signature's own signing_address ("" when absent)
  std::string attested_address;   // the address (or Ed25519 key) of the attestation report
  std::string binding_problem;    // why attested_address is empty, when known (evidence)
  std::string attested_label;     // which attestation of the response ("" = the only one)
  crypto::SignatureAlgo algo = crypto::SignatureAlgo::kEcdsa;
};

// SIG-TEXT, SIG-RECOVER, SIG-ADDRESS and SIG-FORMAT for one completion; `verification` receives the
// verifier's outcome (the engine records its duration and signer). Thread-safe (pure).
std::vector<Outcome> CheckSignedCompletion(const SignedCompletion& completion,
                                           crypto::VerifyOutcome* verification = nullptr);

// SIG-READY: the signature was retrievable `waited` after the response ended, within `budget`.
// For a found signature `waited` is when the fetch that found it was asked for; `found` is false
// when every retry within the budget got 404 (`waited` is then when the last 404 came).
Outcome CheckSignatureReady(const std::string& chat_id, bool found,
                            std::chrono::milliseconds waited, std::chrono::milliseconds budget);

}  // namespace teeharness::checks
