#include "harness/crypto/signed_text.h"

#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"

namespace teeharness::crypto {

std::string BuildSignedText(const Hash32& request_sha256, const Hash32& response_sha256,
                            std::string_view model) {
  std::string text;
  text.reserve(model.size() + 1 + 64 + 1 + 64);
  if (!model.empty()) {
    text.append(model);
    text.push_back(':');
  }
  text.append(EncodeHex(request_sha256));
  text.push_back(':');
  text.append(EncodeHex(response_sha256));
  return text;
}

std::string SignedTextForBodies(std::string_view request_body, std::string_view response_body,
                                std::string_view model) {
  return BuildSignedText(Sha256::Hash(request_body), Sha256::Hash(response_body), model);
}

Result<SignedTextParts> ParseSignedText(std::string_view text) {
  const size_t last = text.rfind(':');
  if (last == std::string_view::npos) return Error{"signed text has no ':' separator"};
  const size_t middle = last == 0 ? std::string_view::npos : text.rfind(':', last - 1);
  SignedTextParts parts;
  std::string_view request;
  if (middle == std::string_view::npos) {
    request = text.substr(0, last);
  } else {
    parts.model = std::string(text.substr(0, middle));
    request = text.substr(middle + 1, last - middle - 1);
  }
  const std::string_view response = text.substr(last + 1);
  if (request.size() != 64 || !IsHexDigits(request)) {
    return Error{"request hash in signed text is not 64 hex digits"};
  }
  if (response.size() != 64 || !IsHexDigits(response)) {
    return Error{"response hash in signed text is not 64 hex digits"};
  }
  parts.request_sha256 = std::string(request);
  parts.response_sha256 = std::string(response);
  return parts;
}

}  // namespace teeharness::crypto
