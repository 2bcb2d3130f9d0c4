#include "mocks/signer_keys.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include "harness/base/read_file.h"
#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"

namespace teeharness::mocks {
namespace {

Result<std::string> HexField(const rapidjson::Document& doc, const char* name) {
  const auto member = doc.FindMember(name);
  if (member == doc.MemberEnd() || !member->value.IsString()) {
    return MakeError("\"", name, "\" missing or not a string");
  }
  return std::string(member->value.GetString());
}

Result<KeyPair> ParseKeyFile(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return Error{"not a JSON object"};
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

Result<bool> WriteKeyFile(const std::string& path, const KeyPair& keys) {
  const std::string text =
      "{\"ecdsa_private_key\":\"0x" + crypto::EncodeHex(keys.ecdsa().private_key()) +
      "\",\"ed25519_seed\":\"" + crypto::EncodeHex(keys.ed25519().seed()) + "\"}\n";
  // O_EXCL: two mocks racing to create the same file must not overwrite each other's keys.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError("cannot create key file ", path);
  const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!ok) return MakeError("cannot write key file ", path);
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
    if (Result<bool> written = WriteKeyFile(path, keys); !written.ok())
      return Error{written.error()};
    return keys;
  }
  Result<KeyPair> keys = ParseKeyFile(*text);
  if (!keys.ok()) return MakeError("key file ", path, ": ", keys.error());
  return keys;
}

}  // namespace teeharness::mocks
