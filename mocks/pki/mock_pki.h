#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::mocks::pki {

// The mock platform's fixed identity, shared by the PCK certificate, the TCB info, the QE identity
// and the quotes, so that everything the mock publishes agrees with what its quotes say.
namespace platform {
inline constexpr std::array<uint8_t, 6> kFmspc = {0x00, 0x90, 0x6e, 0xd5, 0x00, 0x00};
inline constexpr std::array<uint8_t, 2> kPceId = {0x00, 0x00};
// SGX TCB components and PCESVN in the PCK certificate; every TCB level lists the same ones, so the
// TDX components (the quote's TEE_TCB_SVN) alone pick the level.
inline constexpr std::array<uint8_t, 16> kSgxComponents = {2, 2, 2, 2, 3, 1, 0, 5,
                                                           0, 0, 0, 0, 0, 0, 0, 0};
inline constexpr uint16_t kPceSvn = 11;
// TEE_TCB_SVN per TCB status. Byte 0 is the TDX module's SVN, byte 1 its major version (1: module
// identity "TDX_01"); Intel's rule compares bytes 2..15 with the levels, so byte 2 differs.
inline constexpr std::array<uint8_t, 16> kTeeTcbSvnUpToDate = {6, 1, 3};
inline constexpr std::array<uint8_t, 16> kTeeTcbSvnOutOfDate = {6, 1, 2};
inline constexpr std::array<uint8_t, 16> kTeeTcbSvnRevoked = {6, 1, 1};
// The quoting enclave: Intel's TD_QE product id, an SVN at the identity's UpToDate level.
inline constexpr uint16_t kQeProdId = 2;
inline constexpr uint16_t kQeSvn = 4;
inline constexpr std::array<uint8_t, 16> kQeAttributes = {0x11};
}  // namespace platform

// A complete Intel-style DCAP PKI for the mock, all keys ECDSA P-256:
//   root CA "teeharness mock SGX Root CA" (self-signed)
//     -> "teeharness mock PCK Platform CA" -> PCK leaf (with the SGX extension), also a second,
//        revoked PCK leaf listed in the PCK CRL
//     -> "teeharness mock TCB Signing" (signs TCB info and QE identity)
//   plus a second, untrusted root with its own platform CA and PCK leaf of the same names (an
//   impostor chain), the attestation key and the QE's data. TCB info and QE identity are signed at
//   creation in two variants: current (valid 2020-01-01..2049-12-31) and expired (nextUpdate
//   2021-01-01). Immutable after Create(); thread-safe to share as const (OpenSSL keys are only
//   read when signing).
class MockPki {
 public:
  // Which PCK leaf certifies a quote's QE (see QuoteFields in quote_signer.h).
  enum class Pck { kGood, kRevoked, kUntrusted };
  enum class Collateral { kCurrent, kExpired };

  // seed 0: fresh random keys. Any other seed derives every key from it, so a test (or a mock
  // restarted with the same seed) keeps the same root. Errors only if OpenSSL fails.
  static Result<MockPki> Create(uint64_t seed_or_0);

  // What --key-file keeps so that a restarted mock serves the same PKI: the seed (non-zero) and
  // every certificate and CRL as issued, so the root and the chains stay byte-identical (ECDSA
  // signatures are randomised, so re-issuing from the seed alone would change their bytes). TCB
  // info and QE identity are re-signed at each start with the same key. A JSON object:
  // {"seed":"<16 hex>","certificates":{"root":PEM,...},"pck_crl":HEX,"root_crl":HEX}.
  // Snapshot() of a PKI created with seed 0 is an error (its keys cannot be re-derived).
  Result<std::string> Snapshot() const;
  // Rebuilds the PKI from a Snapshot(): keys from the seed, certificates and CRLs as stored. Each
  // stored certificate must carry the key the seed derives for it, or it is an error naming it.
  static Result<MockPki> FromSnapshot(std::string_view json);

  // The trust root a verifier should be given (PEM of the root CA certificate).
  std::string RootPem() const;
  // Certificates as PEM, for tests and the issuer-chain headers.
  std::string PlatformCaPem() const;
  std::string TcbSigningPem() const;
  std::string PckPem(Pck which = Pck::kGood) const;
  // The chain a quote carries: PCK leaf, its platform CA, its root.
  std::string PckChainPem(Pck which) const;
  std::string TcbInfoIssuerChainPem() const;  // TCB signing cert + root
  std::string PckCrlIssuerChainPem() const;   // platform CA + root
  // The DER extension value of OID 1.2.840.113741.1.13.1 written into the PCK leaves.
  const crypto::Bytes& SgxExtensionDer() const;

  // The exact signed texts, their signatures (hex of raw r||s) and the PCS-style envelopes
  // ({"tcbInfo":...,"signature":...} / {"enclaveIdentity":...,"signature":...}).
  const std::string& TcbInfoText(Collateral c = Collateral::kCurrent) const;
  const std::string& TcbInfoSignatureHex(Collateral c = Collateral::kCurrent) const;
  std::string TcbInfoEnvelope(Collateral c = Collateral::kCurrent) const;
  const std::string& QeIdentityText(Collateral c = Collateral::kCurrent) const;
  const std::string& QeIdentitySignatureHex(Collateral c = Collateral::kCurrent) const;
  std::string QeIdentityEnvelope(Collateral c = Collateral::kCurrent) const;
  // CRLs in DER. The PCK CRL (issuer: platform CA) lists the revoked PCK leaf; the root CA CRL
  // (issuer: root) lists nothing.
  const crypto::Bytes& PckCrlDer() const;
  const crypto::Bytes& RootCaCrlDer() const;

  // dcap-qvl's QuoteCollateralV3 JSON, with the keys of tests/vectors/.../*.collateral.json.
  std::string CollateralJson(Collateral c = Collateral::kCurrent) const;

  // The QE's attestation public key (64 bytes, raw x||y) and its signatures.
  const crypto::Bytes& AttestationPublicKey() const;
  // Raw r||s (64 bytes) ECDSA P-256 signature over SHA-256(message).
  crypto::Bytes SignWithAttestationKey(crypto::ByteSpan message) const;
  crypto::Bytes SignWithPckKey(Pck which, crypto::ByteSpan message) const;

  // The QE identity values the quotes' QE reports carry.
  const crypto::Hash32& QeMrSigner() const;
  const crypto::Hash32& QeMrEnclave() const;
  const std::array<uint8_t, 16>& CpuSvn() const;

  struct State;  // OpenSSL objects and the rendered documents (mock_pki.cc)

 private:
  explicit MockPki(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  // Certificates and CRLs of a snapshot (mock_pki.cc).
  struct Stored;
  // Create's body; `stored` (null: issue afresh) supplies the certificates and CRLs.
  static Result<MockPki> Build(uint64_t seed, const Stored* stored);
  std::shared_ptr<const State> state_;
};

}  // namespace teeharness::mocks::pki
