#include "harness/checks/signature_checks.h"

#include <algorithm>
#include <cctype>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"

namespace teeharness::checks {
namespace {

Outcome TextCheck(const SignedCompletion& c) {
  if (c.signed_text == c.expected_text) return Outcome::Pass("SIG-TEXT");
  return Outcome::Fail("SIG-TEXT", "chat " + c.chat_id + ": signed text \"" + c.signed_text +
                                       "\", the exact bytes give \"" + c.expected_text + "\"");
}

Outcome FormatCheck(const SignedCompletion& c, const crypto::VerifyOutcome& v) {
  std::string problems;
  auto add = [&problems](const std::string& problem) {
    problems += (problems.empty() ? "" : "; ") + problem;
  };
  if (v.verdict == crypto::Verdict::kMalformed) {
    add(v.reasons.empty() ? "undecodable" : v.reasons.front());
  } else if (c.algo == crypto::SignatureAlgo::kEcdsa) {
    if (!v.format.has_0x_prefix) add("no 0x prefix");
    if (v.format.v != 27 && v.format.v != 28) add("v = " + std::to_string(v.format.v));
    if (!v.format.low_s) add("high-s");
  } else if (v.format.has_0x_prefix) {
    add("Ed25519 signature with a 0x prefix");
  }
  if (problems.empty()) return Outcome::Pass("SIG-FORMAT");
  return Outcome::Fail("SIG-FORMAT", "chat " + c.chat_id + ": " + problems);
}

// ECDSA addresses compare as 20 bytes whatever their case; Ed25519 keys as hex, case-insensitively.
bool SameSigner(crypto::SignatureAlgo algo, const std::string& a, const std::string& b) {
  if (algo == crypto::SignatureAlgo::kEcdsa) return crypto::SameAddress(a, b);
  auto strip = [](std::string_view hex) { return hex.substr(crypto::HasHexPrefix(hex) ? 2 : 0); };
  const std::string_view left = strip(a);
  const std::string_view right = strip(b);
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Outcome AddressCheck(const SignedCompletion& c, const crypto::VerifyOutcome& v) {
  const std::string prefix = "chat " + c.chat_id + ": ";
  const std::string attested =
      c.attested_address + (c.attested_label.empty() ? "" : " (" + c.attested_label + ")");
  if (c.attested_address.empty()) {
    return Outcome::Fail("SIG-ADDRESS",
                         prefix + (c.binding_problem.empty() ? "no attested address to compare the "
                                                               "signer with"
                                                             : c.binding_problem));
  }
  if (v.verdict == crypto::Verdict::kAddressMismatch) {
    return Outcome::Fail("SIG-ADDRESS",
                         prefix + "signed by " + v.signer + ", attested " + attested);
  }
  if (v.verdict != crypto::Verdict::kValid) {
    return Outcome::Fail("SIG-ADDRESS", prefix + "no signer recovered to compare with " + attested);
  }
  if (!c.signature_address.empty() && !SameSigner(c.algo, c.signature_address, v.signer)) {
    return Outcome::Fail("SIG-ADDRESS", prefix + "signature claims " + c.signature_address +
                                            ", signed by " + v.signer);
  }
  return Outcome::Pass("SIG-ADDRESS");
}

}  // namespace

std::vector<Outcome> CheckSignedCompletion(const SignedCompletion& c,
                                           crypto::VerifyOutcome* verification) {
  std::optional<std::string_view> expected;
  if (!c.attested_address.empty()) expected = c.attested_address;
  // The signature is checked over the server's text: a SIG-TEXT failure (wrong hashes) is a
  // separate finding from whether the signature itself is sound.
  crypto::VerifyOutcome v =
      crypto::VerifySignedText({c.signed_text, c.signature, c.algo, expected});
  std::vector<Outcome> outcomes;
  outcomes.push_back(TextCheck(c));
  const bool recovered =
      v.verdict == crypto::Verdict::kValid || v.verdict == crypto::Verdict::kAddressMismatch;
  outcomes.push_back(
      recovered ? Outcome::Pass("SIG-RECOVER")
                : Outcome::Fail("SIG-RECOVER",
                                "chat " + c.chat_id + ": " +
                                    (v.reasons.empty() ? "does not verify" : v.reasons.front())));
  outcomes.push_back(AddressCheck(c, v));
  outcomes.push_back(FormatCheck(c, v));
  if (verification != nullptr) *verification = std::move(v);
  return outcomes;
}

Outcome CheckSignatureReady(const std::string& chat_id, bool found,
                            std::chrono::milliseconds waited, std::chrono::milliseconds budget) {
  if (found && waited <= budget) return Outcome::Pass("SIG-READY");
  return Outcome::Fail(
      "SIG-READY", "chat " + chat_id + ": " +
                       (found ? "signature appeared after " + std::to_string(waited.count()) + " ms"
                              : "no signature within " + std::to_string(waited.count()) + " ms") +
                       " (expect.signature_ready_ms = " + std::to_string(budget.count()) + ")");
}

}  // namespace teeharness::checks
