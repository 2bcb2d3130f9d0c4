#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::mocks::pki {

// The mock's NVIDIA-style device identity PKI, all keys ECDSA P-384 (fresh per process):
//   root "teeharness mock NVIDIA Device Identity CA" (self-signed) -> GPU leaf
//   "teeharness mock GH100 GSP FMC LF", which signs every mock GPU's SPDM evidence;
//   plus an impostor root and leaf of the same names (the gpu_untrusted_chain fault), and the RIM
//   PKI: root "teeharness mock NVIDIA RIM CA" -> "teeharness mock NVIDIA RIM signer", which signs
//   the mock's reference integrity manifests (mocks/pki/rim_writer.h).
// Immutable after Create(); thread-safe to share as const (keys are only read when signing).
class MockGpuPki {
 public:
  static Result<MockGpuPki> Create();
  // For --key-file (as MockPki::Snapshot): the device, impostor and RIM hierarchies' private keys
  // (PKCS#8 PEM) and
  // certificates as issued, so a restarted mock serves the same root bytes. A JSON object.
  Result<std::string> Snapshot() const;
  // Rebuilds from a Snapshot(); each leaf must be signed by its root and each key match its
  // certificate, or it is an error.
  static Result<MockGpuPki> FromSnapshot(std::string_view json);

  // The trust root a verifier should be given (PEM), served at /mock/pki/nvidia-root.pem.
  std::string RootPem() const;
  // The chain a GPU's evidence carries: leaf, root (PEM, leaf first).
  std::string ChainPem(bool untrusted = false) const;
  // ECDSA P-384 over SHA-384(message) by the (impostor's) leaf key, raw r||s (96 bytes).
  crypto::Bytes Sign(crypto::ByteSpan message, bool untrusted = false) const;

  // The RIM trust root (PEM), served at /mock/pki/nvidia-rim-root.pem.
  std::string RimRootPem() const;
  // The RIM signing chain: leaf, root (PEM), what a RIM's KeyInfo carries.
  std::string RimChainPem() const;
  // ECDSA P-384 over SHA-384(message) by the RIM signing leaf, raw r||s (96 bytes).
  crypto::Bytes SignRim(crypto::ByteSpan message) const;

  struct State;  // OpenSSL keys and PEM texts (gpu_pki.cc)

 private:
  explicit MockGpuPki(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

// The mock process's one GPU PKI, created on first use (thread-safe static initialisation) unless
// installed before. Aborts with a message if OpenSSL cannot create keys.
const MockGpuPki& ProcessMockGpuPki();
// Makes `pki` the process's GPU PKI (--key-file). Only before the first ProcessMockGpuPki() call;
// after it, true only when the process PKI already has the same root.
bool InstallProcessMockGpuPki(MockGpuPki pki);

}  // namespace teeharness::mocks::pki
