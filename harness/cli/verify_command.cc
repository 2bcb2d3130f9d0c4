// `teeharness verify`: offline verification of one signed response, like a block explorer's "verify
// signature", plus the hashes of the exact request and response bodies.
#include <cstdio>
#include <optional>
#include <string>

#include "harness/base/flags.h"
#include "harness/base/read_file.h"
#include "harness/cli/commands.h"
#include "harness/cli/verify_report.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "harness/crypto/signed_text.h"
#include "harness/crypto/verifier.h"

namespace teeharness::cli {
namespace {

constexpr const char* kVerifyUsage =
    "usage: teeharness verify --text T --signature S [--address A] [--algo ecdsa|ed25519] "
    "[--json]\n"
    "       teeharness verify --request FILE --response FILE --signature-json FILE\n"
    "                         [--address A] [--model M] [--algo ecdsa|ed25519] [--json]\n"
    "\n"
    "The second form hashes the exact bytes of both files (sha256), builds the expected text\n"
    "(req:resp, or model:req:resp with --model), compares it with the signature JSON's \"text\" "
    "and\n"
    "verifies its \"signature\". The expected address is --address, else the JSON's\n"
    "\"signing_address\" when present. Ed25519 needs the public key as the address.\n"
    "Exit 0: valid (and matching the address when one is known); 1: invalid; 2: usage or input "
    "error.\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "teeharness verify: %s\n", message.c_str());
  return 2;
}

// Fills `input` from the files of the second form; the request/response hashes become part of the
// report. Returns an error message for unreadable files or a signature JSON of the wrong shape.
Result<bool> LoadBodies(const Flags& flags, VerifyReport& report) {
  for (const char* name : {"request", "response", "signature-json"}) {
    if (!flags.Has(name)) return MakeError("--", name, " is required with --request/--response");
  }
  Result<std::string> request = ReadFile(*flags.Value("request"));
  if (!request.ok()) return Error{request.error()};
  Result<std::string> response = ReadFile(*flags.Value("response"));
  if (!response.ok()) return Error{response.error()};
  const std::string signature_path = *flags.Value("signature-json");
  Result<std::string> signature_json = ReadFile(signature_path);
  if (!signature_json.ok()) return Error{signature_json.error()};
  Result<SignatureDocument> document = ParseSignatureDocument(*signature_json);
  if (!document.ok()) return MakeError(signature_path, ": ", document.error());
  report.document = std::move(document).value();
  const crypto::Hash32 request_hash = crypto::Sha256::Hash(*request);
  const crypto::Hash32 response_hash = crypto::Sha256::Hash(*response);
  report.request_sha256 = crypto::EncodeHex(request_hash);
  report.response_sha256 = crypto::EncodeHex(response_hash);
  report.expected_text =
      crypto::BuildSignedText(request_hash, response_hash, flags.ValueOr("model", ""));
  report.has_bodies = true;
  return true;
}

}  // namespace

int VerifyCommand(CommandArgs args) {
  Flags flags;
  for (const char* name :
       {"text", "signature", "address", "algo", "request", "response", "signature-json", "model"}) {
    flags.Define(name, Flags::Kind::kValue);
  }
  flags.Define("json", Flags::Kind::kBool).Define("help", Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok()) {
    return UsageError(parsed.error() + "\n\n" + kVerifyUsage);
  }
  if (flags.Has("help")) {
    std::fputs(kVerifyUsage, stdout);
    return 0;
  }
  if (!flags.positional().empty())
    return UsageError("unexpected argument " + flags.positional()[0]);

  VerifyReport report;
  if (flags.Has("request") || flags.Has("response") || flags.Has("signature-json")) {
    if (flags.Has("text") || flags.Has("signature")) {
      return UsageError("give either --text/--signature or --request/--response/--signature-json");
    }
    if (Result<bool> loaded = LoadBodies(flags, report); !loaded.ok()) {
      return UsageError(loaded.error());
    }
  } else {
    if (!flags.Has("text") || !flags.Has("signature")) {
      return UsageError(std::string("--text and --signature are required\n\n") + kVerifyUsage);
    }
    report.document.text = *flags.Value("text");
    report.document.signature = *flags.Value("signature");
  }
  if (flags.Has("address")) report.document.signing_address = *flags.Value("address");
  if (flags.Has("algo")) report.document.signing_algo = *flags.Value("algo");
  if (Result<bool> checked = RunVerification(report); !checked.ok()) {
    return UsageError(checked.error());
  }
  const std::string output = flags.Has("json") ? FormatJson(report) : FormatText(report);
  std::fputs(output.c_str(), stdout);
  return report.passed() ? 0 : 1;
}

}  // namespace teeharness::cli
