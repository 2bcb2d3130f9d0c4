#include "mocks/signer_keys.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "harness/base/read_file.h"
#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "mocks/pki/persisted_pki.h"

namespace teeharness::mocks {
namespace {

Result<std::string> HexField(const rapidjson::Document& doc, const char* name) {
  const auto member = doc.FindMember(name);
  if (member == doc.MemberEnd() || !member->value.IsString()) {
    return MakeError("\"", name, "\" missing or not a string");
  }
  return std::string(member->value.GetString());
}

Result<KeyPair> ParseKeys(const rapidjson::Document& doc) {
  Result<std::string> ecdsa_hex = HexField(doc, "ecdsa_private_key");
  if (!ecdsa_hex.ok()) return Error{ecdsa_hex.error()};
  Result<std::string> seed_hex = HexField(doc, "ed25519_seed");
  if (!seed_hex.ok()) return Error{seed_hex.error()};
  Result<crypto::Bytes> ecdsa_bytes = crypto::DecodeHexExact(*ecdsa_hex, 32);
  if (!ecdsa_bytes.ok()) return MakeError("ecdsa_private_key: ", ecdsa_bytes.error());
  Result<crypto::Bytes> seed = crypto::DecodeHexExact(*seed_hex, 32);
  if (!seed.ok()) return MakeError("ed25519_seed: ", seed.error());
  Result<crypto::EcdsaKey> ecdsa = crypto::EcdsaKey::FromPrivateKey(*ecdsa_bytes);
  if (!ecdsa.ok()) return MakeError("ecdsa_private_key: ", ecdsa.error());
  Result<crypto::Ed25519Key> ed = crypto::Ed25519Key::FromSeed(*seed);
  if (!ed.ok()) return MakeError("ed25519_seed: ", ed.error());
  return KeyPair(std::move(ecdsa).value(), std::move(ed).value());
}

std::string KeyFileText(const KeyPair& keys, const std::string& pki_json) {
  return "{\"ecdsa_private_key\":\"0x" + crypto::EncodeHex(keys.ecdsa().private_key()) +
         "\",\"ed25519_seed\":\"" + crypto::EncodeHex(keys.ed25519().seed()) +
         "\",\"pki\":" + pki_json + "}\n";
}

bool WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

Result<bool> CreateKeyFile(const std::string& path, const std::string& text) {
  // O_EXCL: two mocks racing to create the same file must not overwrite each other's keys.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError("cannot create key file ", path);
  const bool ok = WriteAll(fd, text);
  close(fd);
  if (!ok) return MakeError("cannot write key file ", path);
  return true;
}

// Replaces the file atomically (a temporary file in the same directory, mode 0600, renamed over
// it), so a crash leaves either the old keys or the new file, never half of one.
Result<bool> ReplaceKeyFile(const std::string& path, const std::string& text) {
  std::string temp = path + ".XXXXXX";
  const int fd = mkstemp(temp.data());  // mode 0600
  if (fd < 0) return MakeError("cannot create a temporary file next to key file ", path);
  const bool ok = WriteAll(fd, text) && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(temp.c_str(), path.c_str()) != 0) {
    unlink(temp.c_str());
    return MakeError("cannot rewrite key file ", path);
  }
  return true;
}

}  // namespace

KeyPair::KeyPair(crypto::EcdsaKey ecdsa_key, crypto::Ed25519Key ed25519_key)
    : ecdsa_(std::move(ecdsa_key)),
      ed25519_(std::move(ed25519_key)),
      checksum_address_(crypto::ToChecksumAddress(ecdsa_.address())),
      lower_address_(crypto::ToLowerAddress(ecdsa_.address())),
      ed25519_hex_(crypto::EncodeHex(ed25519_.public_key())) {}

KeyPair KeyPair::Generate() {
  return KeyPair(crypto::EcdsaKey::Generate(), crypto::Ed25519Key::Generate());
}

Result<KeyPair> LoadOrCreateKeyFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    KeyPair keys = KeyPair::Generate();
    Result<std::optional<std::string>> pki = pki::InstallPersistedPkis(nullptr);
    if (!pki.ok()) return MakeError("key file ", path, ": ", pki.error());
    if (Result<bool> written = CreateKeyFile(path, KeyFileText(keys, **pki)); !written.ok()) {
      return Error{written.error()};
    }
    return keys;
  }
  rapidjson::Document doc;
  doc.Parse(text->c_str(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return MakeError("key file ", path, ": not a JSON object");
  }
  Result<KeyPair> keys = ParseKeys(doc);
  if (!keys.ok()) return MakeError("key file ", path, ": ", keys.error());
  const auto member = doc.FindMember("pki");
  Result<std::optional<std::string>> pki =
      pki::InstallPersistedPkis(member == doc.MemberEnd() ? nullptr : &member->value);
  if (!pki.ok()) return MakeError("key file ", path, ": ", pki.error());
  if (pki->has_value()) {
    // A key file from before the PKI was kept: add it, keeping the signing keys.
    if (Result<bool> written = ReplaceKeyFile(path, KeyFileText(*keys, **pki)); !written.ok()) {
      return Error{written.error()};
    }
  }
  return keys;
}

}  // namespace teeharness::mocks
