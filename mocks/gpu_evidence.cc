#include "mocks/gpu_evidence.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

#include "harness/crypto/sha384.h"

namespace teeharness::mocks {
namespace {

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

// The blocks of every mock GPU; `wrong` alters block 3 (the gpu_wrong_measurement fault).
crypto::Bytes MeasurementRecord(bool wrong) {
  crypto::Bytes record;
  for (int i = 1; i <= kMockGpuBlocks; ++i) {
    crypto::Bytes value = MockMeasurementValue(i);
    if (wrong && i == 3) value[0] ^= 0x01;
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

crypto::Bytes MockMeasurementValue(int block) {
  const std::string label = std::string("teeharness mock GPU driver ") + kMockGpuDriver +
                            " vbios " + kMockGpuVbios + " measurement " + std::to_string(block);
  const crypto::Hash48 value = crypto::Sha384({crypto::AsBytes(label)});
  return crypto::Bytes(value.begin(), value.end());
}

MockGpuEvidence BuildGpuEvidence(const pki::MockGpuPki& pki, [[maybe_unused]] int gpu_index,
                                 crypto::ByteSpan nonce32, const GpuFaults& faults) {
  crypto::Bytes nonce(nonce32.begin(), nonce32.end());
  if (faults.wrong_nonce) RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
  crypto::Bytes out = Request(nonce);
  const crypto::Bytes record = MeasurementRecord(faults.wrong_measurement);
  out.insert(out.end(), {0x11, 0x60, 0x00, 0x00, static_cast<uint8_t>(kMockGpuBlocks)});
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
