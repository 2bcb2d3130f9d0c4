#pragma once

#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::crypto {

// The text a confidential endpoint signs: sha256hex(request body) ":" sha256hex(response body),
// with the model name as a first part in the `near` dialect ("model:req:resp"). All functions are
// pure and thread-safe.
std::string BuildSignedText(const Hash32& request_sha256, const Hash32& response_sha256,
                            std::string_view model = {});

// Hashes the exact request and response bytes and builds the text from them.
std::string SignedTextForBodies(std::string_view request_body, std::string_view response_body,
                                std::string_view model = {});

struct SignedTextParts {
  std::string model;  // empty for the two-part form
  std::string request_sha256;
  std::string response_sha256;
};

// Splits a signed text from the right: the last two parts are 64-hex hashes, whatever precedes them
// is the model (model names may themselves contain ':').
Result<SignedTextParts> ParseSignedText(std::string_view text);

}  // namespace teeharness::crypto
