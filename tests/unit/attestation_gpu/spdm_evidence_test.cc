#include "harness/attestation/gpu/spdm_evidence.h"

#include <gtest/gtest.h>

#include "harness/attestation/gpu/opaque_data.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_gpu/gpu_vectors.h"

namespace teeharness::attestation::gpu {
namespace {

using testing::EvidenceBytes;
using testing::EvidenceHexText;

TEST(SpdmEvidence, TheRealH100EvidenceParses) {
  const crypto::Bytes bytes = EvidenceBytes();
  ASSERT_EQ(bytes.size(), 4117u);
  Result<SpdmEvidence> e = ParseSpdmEvidence(bytes);
  ASSERT_TRUE(e.ok()) << e.error();
  EXPECT_EQ(e->request.version, 0x11);
  EXPECT_EQ(e->request.param1, 0x01);
  EXPECT_EQ(e->request.param2, 0xff);
  EXPECT_EQ(crypto::EncodeHex(e->request.nonce), testing::kVectorNonce);
  EXPECT_EQ(e->request.slot_id, 0);
  EXPECT_EQ(e->response_version, 0x11);
  ASSERT_EQ(e->blocks.size(), 64u);
  EXPECT_EQ(e->blocks.front().index, 1);
  EXPECT_EQ(e->blocks.back().index, 64);
  for (const MeasurementBlock& b : e->blocks) {
    EXPECT_EQ(b.specification, 1);
    EXPECT_EQ(b.value.size(), 48u);
  }
  EXPECT_EQ(crypto::EncodeHex(e->responder_nonce),
            "b4b8a06aaaa35542839388e159d447a5d6f6194998fd86513e2d591ccf640985");
  EXPECT_EQ(e->opaque.DriverVersion(), "550.90.07");
  EXPECT_EQ(e->opaque.VbiosVersion(), "96.00.9F.00.01");
  EXPECT_NE(e->opaque.Find(kOpaqueFwid), nullptr);
  EXPECT_EQ(e->signed_length, bytes.size() - 96);
}

TEST(SpdmEvidence, EveryTruncationIsAnErrorNamingAnOffset) {
  const crypto::Bytes bytes = EvidenceBytes();
  for (size_t n = 0; n < bytes.size(); ++n) {
    Result<SpdmEvidence> e = ParseSpdmEvidence(crypto::ByteSpan(bytes.data(), n));
    ASSERT_FALSE(e.ok()) << n;
    EXPECT_NE(e.error().find("offset"), std::string::npos) << e.error();
  }
}

TEST(SpdmEvidence, ErrorsNameTheField) {
  crypto::Bytes bytes = EvidenceBytes();
  Result<SpdmEvidence> shortened = ParseSpdmEvidence(crypto::ByteSpan(bytes.data(), 30));
  EXPECT_EQ(shortened.error(),
            "SPDM GET_MEASUREMENTS request at offset 0 needs 37 bytes; 30 remain");
  crypto::Bytes wrong_code = bytes;
  wrong_code[1] = 0x81;
  EXPECT_EQ(ParseSpdmEvidence(wrong_code).error(),
            "SPDM request code 129 at offset 1 is not GET_MEASUREMENTS (0xe0)");
  crypto::Bytes long_block = bytes;
  long_block[37 + 8 + 2] = 0xff;  // first block's size, little-endian
  long_block[37 + 8 + 3] = 0xff;
  EXPECT_EQ(ParseSpdmEvidence(long_block).error(),
            "SPDM measurement block 0 at offset 45 declares 65535 bytes; 3516 remain in the "
            "record");
  crypto::Bytes trailing = bytes;
  trailing.push_back(0);
  EXPECT_EQ(ParseSpdmEvidence(trailing).error(),
            "SPDM evidence has 1 bytes after the signature at offset 4117");
}

TEST(OpaqueData, TlvRunningPastTheEndIsNamed) {
  const crypto::Bytes tlv = {0x03, 0x00, 0x10, 0x00, 'x'};
  EXPECT_EQ(ParseOpaqueData(tlv, 100).error(),
            "opaque data field type 3 at offset 100 declares 16 bytes; 1 remain");
  const crypto::Bytes header = {0x03, 0x00, 0x00};
  EXPECT_EQ(ParseOpaqueData(header).error(),
            "opaque data TLV header at offset 0 needs 4 bytes; 3 remain");
  Result<OpaqueData> empty = ParseOpaqueData({});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->DriverVersion(), "");
  EXPECT_EQ(empty->VbiosVersion(), "");
}

TEST(SpdmEvidence, HexTextAndRawBytesDecodeToTheSameEvidence) {
  const std::string hex = EvidenceHexText();
  EXPECT_EQ(DecodeEvidenceBytes(crypto::AsBytes(hex)), EvidenceBytes());
  const crypto::Bytes raw = EvidenceBytes();
  EXPECT_EQ(DecodeEvidenceBytes(raw), raw);
  const std::string not_hex = "11e0 not hex";
  EXPECT_EQ(DecodeEvidenceBytes(crypto::AsBytes(not_hex)).size(), not_hex.size());
}

}  // namespace
}  // namespace teeharness::attestation::gpu
