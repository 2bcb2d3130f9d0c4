#include "mocks/gpu_evidence.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

#include "harness/crypto/sha384.h"

namespace teeharness::mocks {
namespace {

constexpr int kBlocks = 8;  // a real H100 reports 64; a few keep the mock's reports small

void U16(crypto::Bytes& out, size_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

void Tlv(crypto::Bytes& out, uint16_t type, crypto::ByteSpan value) {
  U16(out, type);
  U16(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
}

crypto::Bytes Request(crypto::ByteSpan nonce32) {
  crypto::Bytes req = {0x11, 0xe0, 0x01, 0xff};  // SPDM 1.1, GET_MEASUREMENTS, signed, all
  req.insert(req.end(), nonce32.begin(), nonce32.end());
  req.push_back(0);  // slot 0
  return req;
}

// Block i's value: SHA-384 of a label, so each mock GPU reports stable, distinct measurements.
crypto::Bytes MeasurementRecord(int gpu_index) {
  crypto::Bytes record;
  for (int i = 1; i <= kBlocks; ++i) {
    const std::string label =
        "teeharness mock GPU " + std::to_string(gpu_index) + " measurement " + std::to_string(i);
    const crypto::Hash48 value = crypto::Sha384({crypto::AsBytes(label)});
    record.push_back(static_cast<uint8_t>(i));  // index
    record.push_back(1);                        // DMTF
    U16(record, 3 + value.size());
    record.push_back(1);  // DMTF type: immutable ROM (any type; the verifier does not judge it)
    U16(record, value.size());
    record.insert(record.end(), value.begin(), value.end());
  }
  return record;
}

crypto::Bytes OpaqueData() {
  crypto::Bytes opaque;
  const std::string driver = std::string(kMockGpuDriver) + '\0';
  Tlv(opaque, 3, crypto::AsBytes(driver));
  const uint8_t vbios[8] = {0x00, 0x9f, 0x00, 0x96, 0x01, 0x00, 0x00, 0x00};  // 96.00.9F.00.01
  Tlv(opaque, 6, vbios);
  return opaque;
}

}  // namespace

MockGpuEvidence BuildGpuEvidence(const pki::MockGpuPki& pki, int gpu_index,
                                 crypto::ByteSpan nonce32, const GpuFaults& faults) {
  crypto::Bytes nonce(nonce32.begin(), nonce32.end());
  if (faults.wrong_nonce) RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
  crypto::Bytes out = Request(nonce);
  const crypto::Bytes record = MeasurementRecord(gpu_index);
  out.insert(out.end(), {0x11, 0x60, 0x00, 0x00, static_cast<uint8_t>(kBlocks)});
  out.push_back(static_cast<uint8_t>(record.size()));
  out.push_back(static_cast<uint8_t>(record.size() >> 8));
  out.push_back(static_cast<uint8_t>(record.size() >> 16));
  out.insert(out.end(), record.begin(), record.end());
  uint8_t responder_nonce[32];
  RAND_bytes(responder_nonce, sizeof(responder_nonce));
  out.insert(out.end(), responder_nonce, responder_nonce + sizeof(responder_nonce));
  const crypto::Bytes opaque = OpaqueData();
  U16(out, opaque.size());
  out.insert(out.end(), opaque.begin(), opaque.end());
  crypto::Bytes signed_bytes = out;
  if (faults.bad_signature) signed_bytes.back() ^= 0x01;  // signs bytes other than the ones sent
  const crypto::Bytes signature = pki.Sign(signed_bytes, faults.untrusted_chain);
  out.insert(out.end(), signature.begin(), signature.end());
  return {std::move(out), pki.ChainPem(faults.untrusted_chain)};
}

}  // namespace teeharness::mocks
