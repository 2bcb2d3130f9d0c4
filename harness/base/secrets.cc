#include "harness/base/secrets.h"

#include <mutex>
#include <vector>

namespace teeharness {
namespace {

std::mutex& SecretsMutex() {
  static std::mutex mutex;
  return mutex;
}

std::vector<std::string>& Secrets() {
  static std::vector<std::string> secrets;
  return secrets;
}

}  // namespace

void RegisterSecret(std::string value) {
  // An empty or one-character "secret" would redact everything; such keys are rejected earlier,
  // and are never worth hiding.
  if (value.size() < 2) return;
  std::lock_guard lock(SecretsMutex());
  for (const std::string& known : Secrets()) {
    if (known == value) return;
  }
  Secrets().push_back(std::move(value));
}

std::string RedactSecrets(std::string_view text) {
  std::string out(text);
  // Only failed checks' evidence comes here, so a lock per call costs nothing that matters.
  std::lock_guard lock(SecretsMutex());
  for (const std::string& secret : Secrets()) {
    for (size_t at = out.find(secret); at != std::string::npos;
         at = out.find(secret, at + kRedacted.size())) {
      out.replace(at, secret.size(), kRedacted);
    }
  }
  return out;
}

}  // namespace teeharness
