// The mock's DCAP PKI: its chain, signatures, SGX extension, collateral and quotes are checked with
// OpenSSL directly (not with the harness's verifier), and, when the teeharness binary is built,
// end to end with `teeharness attest verify`.
#include "mocks/pki/mock_pki.h"

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "mocks/attestation_builder.h"
#include "mocks/pki/der_writer.h"
#include "mocks/pki/gpu_pki.h"
#include "mocks/pki/pki_routes.h"
#include "mocks/pki/process_pki.h"
#include "mocks/pki/quote_signer.h"
#include "mocks/signer_keys.h"

namespace teeharness::mocks::pki {
namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

const MockPki& Pki() {
  static const MockPki* pki = [] {
    Result<MockPki> created = MockPki::Create(0);
    EXPECT_TRUE(created.ok()) << created.error();
    return new MockPki(std::move(created).value());
  }();
  return *pki;
}

std::vector<X509Ptr> ParsePems(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), pem.size()), BIO_free);
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  return certs;
}

X509Ptr ParsePem(const std::string& pem) {
  std::vector<X509Ptr> certs = ParsePems(pem);
  return certs.size() == 1 ? std::move(certs[0]) : nullptr;
}

// An EVP_PKEY for a raw 64-byte P-256 public key (x||y), as quotes carry it.
PkeyPtr RawKey(crypto::ByteSpan xy) {
  uint8_t point[65] = {0x04};
  std::copy(xy.begin(), xy.end(), point + 1);
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point));
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  return PkeyPtr(key);
}

// Verifies a raw r||s ECDSA P-256 signature over SHA-256(message).
bool VerifyRaw(EVP_PKEY* key, crypto::ByteSpan message, crypto::ByteSpan raw) {
  if (key == nullptr || raw.size() != 64) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(raw.data(), 32, nullptr), BN_bin2bn(raw.data() + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, der, der_size, message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
  return ok;
}

uint16_t U16(const crypto::Bytes& b, size_t at) { return b[at] | b[at + 1] << 8; }
uint32_t U32(const crypto::Bytes& b, size_t at) {
  return b[at] | b[at + 1] << 8 | b[at + 2] << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}

// The parts of a signed quote, located by walking Intel's layout.
struct QuoteParts {
  crypto::ByteSpan signed_part, signature, attestation_key, qe_report, qe_signature, qe_auth;
  std::string chain_pem;
};
QuoteParts Split(const crypto::Bytes& q) {
  QuoteParts p;
  EXPECT_GE(q.size(), 1000u);
  EXPECT_EQ(U32(q, 632), q.size() - 636);  // signature data length covers the rest exactly
  p.signed_part = crypto::ByteSpan(q.data(), 632);
  p.signature = crypto::ByteSpan(q.data() + 636, 64);
  p.attestation_key = crypto::ByteSpan(q.data() + 700, 64);
  EXPECT_EQ(U16(q, 764), 6);
  EXPECT_EQ(U32(q, 766), q.size() - 770);
  p.qe_report = crypto::ByteSpan(q.data() + 770, 384);
  p.qe_signature = crypto::ByteSpan(q.data() + 1154, 64);
  const uint16_t auth_size = U16(q, 1218);
  p.qe_auth = crypto::ByteSpan(q.data() + 1220, auth_size);
  const size_t at = 1220 + auth_size;
  EXPECT_EQ(U16(q, at), 5);
  const uint32_t chain_size = U32(q, at + 2);
  EXPECT_EQ(at + 6 + chain_size, q.size());
  p.chain_pem.assign(reinterpret_cast<const char*>(q.data() + at + 6), chain_size);
  return p;
}

crypto::Bytes Quote(const QuoteFields& fields = {}) { return BuildSignedQuote(Pki(), fields); }

TEST(MockPki, ChainVerifiesUpToTheRoot) {
  X509Ptr root = ParsePem(Pki().RootPem());
  ASSERT_TRUE(root);
  std::vector<X509Ptr> chain = ParsePems(Pki().PckChainPem(MockPki::Pck::kGood));
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(X509_cmp(chain[2].get(), root.get()), 0);
  EXPECT_EQ(X509_verify(chain[2].get(), X509_get0_pubkey(root.get())), 1);
  EXPECT_EQ(X509_verify(chain[1].get(), X509_get0_pubkey(root.get())), 1);
  EXPECT_EQ(X509_verify(chain[0].get(), X509_get0_pubkey(chain[1].get())), 1);
  X509Ptr tcb = ParsePem(Pki().TcbSigningPem());
  EXPECT_EQ(X509_verify(tcb.get(), X509_get0_pubkey(root.get())), 1);

  // OpenSSL's own path validation (CA flags, path length, key usage, validity) at a time in the
  // fixed window, with the CRLs: the good leaf is accepted, the revoked one is not.
  auto verify = [&](X509* leaf, X509* intermediate, bool with_crls) {
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, root.get());
    if (with_crls) {
      for (const crypto::Bytes* der : {&Pki().PckCrlDer(), &Pki().RootCaCrlDer()}) {
        const unsigned char* p = der->data();
        X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(der->size()));
        X509_STORE_add_crl(store, crl);
        X509_CRL_free(crl);
      }
      X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    }
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    sk_X509_push(untrusted, intermediate);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    X509_STORE_CTX_set_time(ctx, 0, 1735689600);  // 2025-01-01
    const int ok = X509_verify_cert(ctx);
    const int error = X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    X509_STORE_free(store);
    return ok == 1 ? X509_V_OK : error;
  };
  EXPECT_EQ(verify(chain[0].get(), chain[1].get(), true), X509_V_OK);
  std::vector<X509Ptr> revoked = ParsePems(Pki().PckChainPem(MockPki::Pck::kRevoked));
  ASSERT_EQ(revoked.size(), 3u);
  EXPECT_EQ(verify(revoked[0].get(), revoked[1].get(), false), X509_V_OK);
  EXPECT_EQ(verify(revoked[0].get(), revoked[1].get(), true), X509_V_ERR_CERT_REVOKED);
  std::vector<X509Ptr> rogue = ParsePems(Pki().PckChainPem(MockPki::Pck::kUntrusted));
  ASSERT_EQ(rogue.size(), 3u);
  EXPECT_NE(X509_cmp(rogue[2].get(), root.get()), 0);
  EXPECT_EQ(X509_verify(rogue[1].get(), X509_get0_pubkey(root.get())), 0);
  EXPECT_NE(verify(rogue[0].get(), rogue[1].get(), false), X509_V_OK);
}

TEST(MockPki, CertificatesHaveIntelShapedNamesAndValidity) {
  X509Ptr root = ParsePem(Pki().RootPem());
  char name[256];
  X509_NAME_oneline(X509_get_subject_name(root.get()), name, sizeof(name));
  EXPECT_STREQ(name, "/CN=teeharness mock SGX Root CA/O=teeharness");
  EXPECT_EQ(X509_check_ca(root.get()), 1);
  EXPECT_TRUE(X509_get_key_usage(root.get()) & KU_KEY_CERT_SIGN);
  ASN1_TIME* before = ASN1_TIME_new();
  ASN1_TIME_set_string_X509(before, "20200101000000Z");
  EXPECT_EQ(ASN1_TIME_compare(X509_get0_notBefore(root.get()), before), 0);
  ASN1_TIME_set_string_X509(before, "20491231235959Z");
  EXPECT_EQ(ASN1_TIME_compare(X509_get0_notAfter(root.get()), before), 0);
  ASN1_TIME_free(before);
  X509Ptr platform = ParsePem(Pki().PlatformCaPem());
  X509_NAME_oneline(X509_get_subject_name(platform.get()), name, sizeof(name));
  EXPECT_STREQ(name, "/CN=teeharness mock PCK Platform CA/O=teeharness");
  EXPECT_EQ(X509_get_pathlen(platform.get()), 0);
  X509Ptr pck = ParsePem(Pki().PckPem());
  X509_NAME_oneline(X509_get_subject_name(pck.get()), name, sizeof(name));
  EXPECT_STREQ(name, "/CN=teeharness mock PCK Certificate/O=teeharness");
  EXPECT_EQ(X509_check_ca(pck.get()), 0);
}

// Decodes a DER SEQUENCE into its elements' DER (OpenSSL's generic ASN.1 reader).
std::vector<crypto::Bytes> Elements(crypto::ByteSpan der) {
  const unsigned char* p = der.data();
  STACK_OF(ASN1_TYPE)* seq = d2i_ASN1_SEQUENCE_ANY(nullptr, &p, static_cast<long>(der.size()));
  std::vector<crypto::Bytes> out;
  if (seq == nullptr) return out;
  EXPECT_EQ(p, der.data() + der.size());
  for (int i = 0; i < sk_ASN1_TYPE_num(seq); ++i) {
    unsigned char* element = nullptr;
    const int n = i2d_ASN1_TYPE(sk_ASN1_TYPE_value(seq, i), &element);
    out.emplace_back(element, element + n);
    OPENSSL_free(element);
  }
  sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
  return out;
}

// One SEQUENCE{OID, value}: the dotted OID and the value's ASN1_TYPE (caller frees).
std::pair<std::string, ASN1_TYPE*> Entry(const crypto::Bytes& der) {
  std::vector<crypto::Bytes> parts = Elements(der);
  EXPECT_EQ(parts.size(), 2u);
  if (parts.size() != 2) return {"", nullptr};
  const unsigned char* p = parts[0].data();
  ASN1_OBJECT* oid = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(parts[0].size()));
  char text[80];
  OBJ_obj2txt(text, sizeof(text), oid, 1);
  ASN1_OBJECT_free(oid);
  p = parts[1].data();
  return {text, d2i_ASN1_TYPE(nullptr, &p, static_cast<long>(parts[1].size()))};
}

TEST(MockPki, SgxExtensionDecodesWithOpenSsl) {
  X509Ptr pck = ParsePem(Pki().PckPem());
  ASN1_OBJECT* oid = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
  const int index = X509_get_ext_by_OBJ(pck.get(), oid, -1);
  ASN1_OBJECT_free(oid);
  ASSERT_GE(index, 0);
  X509_EXTENSION* ext = X509_get_ext(pck.get(), index);
  EXPECT_EQ(X509_EXTENSION_get_critical(ext), 0);
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
  const crypto::Bytes value(ASN1_STRING_get0_data(data),
                            ASN1_STRING_get0_data(data) + ASN1_STRING_length(data));
  EXPECT_EQ(value, Pki().SgxExtensionDer());

  const std::string base = "1.2.840.113741.1.13.1";
  std::vector<crypto::Bytes> entries = Elements(value);
  ASSERT_EQ(entries.size(), 5u);
  auto [ppid_oid, ppid] = Entry(entries[0]);
  EXPECT_EQ(ppid_oid, base + ".1");
  ASSERT_EQ(ppid->type, V_ASN1_OCTET_STRING);
  EXPECT_EQ(ASN1_STRING_length(ppid->value.octet_string), 16);
  ASN1_TYPE_free(ppid);

  auto [tcb_oid, tcb] = Entry(entries[1]);
  EXPECT_EQ(tcb_oid, base + ".2");
  ASSERT_EQ(tcb->type, V_ASN1_SEQUENCE);
  const crypto::Bytes tcb_der = [&] {
    unsigned char* der = nullptr;
    const int n = i2d_ASN1_TYPE(tcb, &der);
    crypto::Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
  }();
  ASN1_TYPE_free(tcb);
  std::vector<crypto::Bytes> components = Elements(tcb_der);
  ASSERT_EQ(components.size(), 18u);
  for (size_t i = 0; i < 18; ++i) {
    auto [component_oid, component] = Entry(components[i]);
    EXPECT_EQ(component_oid, base + ".2." + std::to_string(i + 1));
    if (i < 16) {
      ASSERT_EQ(component->type, V_ASN1_INTEGER);
      EXPECT_EQ(ASN1_INTEGER_get(component->value.integer), platform::kSgxComponents[i]) << i;
    } else if (i == 16) {
      ASSERT_EQ(component->type, V_ASN1_INTEGER);
      EXPECT_EQ(ASN1_INTEGER_get(component->value.integer), platform::kPceSvn);
    } else {
      ASSERT_EQ(component->type, V_ASN1_OCTET_STRING);
      EXPECT_EQ(crypto::Bytes(ASN1_STRING_get0_data(component->value.octet_string),
                              ASN1_STRING_get0_data(component->value.octet_string) + 16),
                crypto::Bytes(Pki().CpuSvn().begin(), Pki().CpuSvn().end()));
    }
    ASN1_TYPE_free(component);
  }

  auto [pce_oid, pce] = Entry(entries[2]);
  EXPECT_EQ(pce_oid, base + ".3");
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(ASN1_STRING_get0_data(pce->value.octet_string),
                                               ASN1_STRING_length(pce->value.octet_string))),
            "0000");
  ASN1_TYPE_free(pce);
  auto [fmspc_oid, fmspc] = Entry(entries[3]);
  EXPECT_EQ(fmspc_oid, base + ".4");
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(ASN1_STRING_get0_data(fmspc->value.octet_string),
                                               ASN1_STRING_length(fmspc->value.octet_string))),
            "00906ed50000");
  ASN1_TYPE_free(fmspc);
  auto [type_oid, type] = Entry(entries[4]);
  EXPECT_EQ(type_oid, base + ".5");
  ASSERT_EQ(type->type, V_ASN1_ENUMERATED);
  EXPECT_EQ(ASN1_ENUMERATED_get(type->value.enumerated), 0);
  ASN1_TYPE_free(type);
}

TEST(DerWriter, EncodesLikeOpenSsl) {
  EXPECT_EQ(crypto::EncodeHex(der::Oid("1.2.840.113741.1.13.1")), "06092a864886f84d010d01");
  EXPECT_EQ(crypto::EncodeHex(der::Unsigned(0)), "020100");
  EXPECT_EQ(crypto::EncodeHex(der::Unsigned(128)), "02020080");
  EXPECT_EQ(crypto::EncodeHex(der::Unsigned(0x1234)), "02021234");
  const crypto::Bytes long_content(200, 0xab);
  const crypto::Bytes encoded = der::Octets(long_content);
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(encoded.data(), 3)), "0481c8");
}

TEST(BuildSignedQuote, LayoutAndSignaturesVerify) {
  QuoteFields fields;
  for (size_t i = 0; i < 64; ++i) fields.report_data[i] = static_cast<uint8_t>(i + 1);
  const crypto::Bytes q = Quote(fields);
  EXPECT_EQ(U16(q, 0), 4);
  EXPECT_EQ(U16(q, 2), 2);
  EXPECT_EQ(U32(q, 4), 0x81u);
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(q.data() + 12, 16)),
            "939a7233f79c4ca9940a0db3957f0607");
  EXPECT_EQ(std::string(q.begin() + 28, q.begin() + 43), "TEEHARNESS-MOCK");
  EXPECT_EQ(crypto::Bytes(q.begin() + 568, q.begin() + 632),
            crypto::Bytes(fields.report_data.begin(), fields.report_data.end()));
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(q.data() + 48 + 120, 8)), "0000001000000000");
  EXPECT_EQ(crypto::Bytes(q.begin() + 48, q.begin() + 51), (crypto::Bytes{6, 1, 3}));

  const QuoteParts parts = Split(q);
  EXPECT_EQ(crypto::Bytes(parts.attestation_key.begin(), parts.attestation_key.end()),
            Pki().AttestationPublicKey());
  PkeyPtr attestation_key = RawKey(parts.attestation_key);
  EXPECT_TRUE(VerifyRaw(attestation_key.get(), parts.signed_part, parts.signature));

  std::vector<X509Ptr> chain = ParsePems(parts.chain_pem);
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(X509_cmp(chain[2].get(), ParsePem(Pki().RootPem()).get()), 0);
  EXPECT_TRUE(VerifyRaw(X509_get0_pubkey(chain[0].get()), parts.qe_report, parts.qe_signature));

  // The QE report binds the attestation key and matches the QE identity.
  crypto::Sha256 hash;
  hash.Update(parts.attestation_key);
  hash.Update(parts.qe_auth);
  const crypto::Hash32 binding = hash.Finish();
  EXPECT_TRUE(std::equal(binding.begin(), binding.end(), parts.qe_report.begin() + 320));
  EXPECT_TRUE(std::all_of(parts.qe_report.begin() + 352, parts.qe_report.end(),
                          [](uint8_t b) { return b == 0; }));
  EXPECT_EQ(parts.qe_auth.size(), 32u);
  rapidjson::Document identity;
  identity.Parse(Pki().QeIdentityText().c_str());
  ASSERT_TRUE(identity.IsObject());
  std::string mrsigner = identity["mrsigner"].GetString();
  const crypto::Bytes qe_mrsigner(parts.qe_report.begin() + 128, parts.qe_report.begin() + 160);
  EXPECT_EQ(qe_mrsigner, *crypto::DecodeHexExact(mrsigner, 32));
  EXPECT_EQ(parts.qe_report[256] | parts.qe_report[257] << 8, identity["isvprodid"].GetInt());
  EXPECT_EQ(parts.qe_report[258] | parts.qe_report[259] << 8,
            identity["tcbLevels"][0]["tcb"]["isvsvn"].GetInt());
  const crypto::Bytes attributes = *crypto::DecodeHex(identity["attributes"].GetString());
  const crypto::Bytes mask = *crypto::DecodeHex(identity["attributesMask"].GetString());
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(parts.qe_report[48 + i] & mask[i], attributes[i] & mask[i]) << i;
  }
  EXPECT_EQ(U32(crypto::Bytes(parts.qe_report.begin(), parts.qe_report.end()), 16), 0u);
}

TEST(BuildSignedQuote, FaultsBreakExactlyTheirPart) {
  QuoteFields bad_sig;
  bad_sig.corrupt_quote_signature = true;
  crypto::Bytes q = Quote(bad_sig);
  QuoteParts parts = Split(q);
  EXPECT_FALSE(VerifyRaw(RawKey(parts.attestation_key).get(), parts.signed_part, parts.signature));
  EXPECT_TRUE(VerifyRaw(X509_get0_pubkey(ParsePems(parts.chain_pem)[0].get()), parts.qe_report,
                        parts.qe_signature));

  QuoteFields bad_qe;
  bad_qe.corrupt_qe_report_signature = true;
  q = Quote(bad_qe);
  parts = Split(q);
  EXPECT_TRUE(VerifyRaw(RawKey(parts.attestation_key).get(), parts.signed_part, parts.signature));
  EXPECT_FALSE(VerifyRaw(X509_get0_pubkey(ParsePems(parts.chain_pem)[0].get()), parts.qe_report,
                         parts.qe_signature));

  for (MockPki::Pck which : {MockPki::Pck::kRevoked, MockPki::Pck::kUntrusted}) {
    QuoteFields fields;
    fields.pck = which;
    q = Quote(fields);
    parts = Split(q);
    EXPECT_EQ(parts.chain_pem, Pki().PckChainPem(which));
    // Still internally consistent: only the chain's standing is wrong.
    EXPECT_TRUE(VerifyRaw(X509_get0_pubkey(ParsePems(parts.chain_pem)[0].get()), parts.qe_report,
                          parts.qe_signature));
  }

  QuoteFields out_of_date;
  out_of_date.tcb = QuoteTcb::kOutOfDate;
  EXPECT_EQ(Quote(out_of_date)[48 + 2], 2);
  QuoteFields revoked;
  revoked.tcb = QuoteTcb::kRevoked;
  EXPECT_EQ(Quote(revoked)[48 + 2], 1);
  QuoteFields debug;
  debug.debug_td = true;
  EXPECT_EQ(Quote(debug)[48 + 120], 1);
  QuoteFields wrong_mrtd;
  wrong_mrtd.wrong_mr_td = true;
  EXPECT_NE(Quote(wrong_mrtd)[48 + 136], Quote()[48 + 136]);
}

TEST(MockPki, TcbInfoAndQeIdentitySignaturesVerifyOverTheExactText) {
  X509Ptr tcb_cert = ParsePem(Pki().TcbSigningPem());
  for (MockPki::Collateral c : {MockPki::Collateral::kCurrent, MockPki::Collateral::kExpired}) {
    for (auto [text, signature] :
         {std::pair{Pki().TcbInfoText(c), Pki().TcbInfoSignatureHex(c)},
          std::pair{Pki().QeIdentityText(c), Pki().QeIdentitySignatureHex(c)}}) {
      const crypto::Bytes raw = *crypto::DecodeHexExact(signature, 64);
      EXPECT_TRUE(VerifyRaw(X509_get0_pubkey(tcb_cert.get()), crypto::AsBytes(text), raw));
      EXPECT_FALSE(VerifyRaw(X509_get0_pubkey(tcb_cert.get()), crypto::AsBytes(text + " "), raw));
    }
  }
  const std::string envelope = Pki().TcbInfoEnvelope();
  EXPECT_EQ(envelope, "{\"tcbInfo\":" + Pki().TcbInfoText() + ",\"signature\":\"" +
                          Pki().TcbInfoSignatureHex() + "\"}");
  EXPECT_EQ(Pki().QeIdentityEnvelope().rfind("{\"enclaveIdentity\":{\"id\":\"TD_QE\"", 0), 0u);
  EXPECT_NE(Pki().TcbInfoText(MockPki::Collateral::kExpired).find("\"nextUpdate\":\"2021-01-01"),
            std::string::npos);
}

TEST(MockPki, TcbInfoHasIntelKeysInOrderAndTheMockLevels) {
  const std::string& text = Pki().TcbInfoText();
  EXPECT_EQ(text.rfind("{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"", 0), 0u) << text;
  size_t last = 0;
  for (const char* key :
       {"\"nextUpdate\"", "\"fmspc\":\"00906ED50000\"", "\"pceId\":\"0000\"", "\"tcbType\":0",
        "\"tcbEvaluationDataNumber\":17", "\"tdxModule\"", "\"tdxModuleIdentities\"",
        "\"id\":\"TDX_01\"", "\"tcbLevels\"", "\"tcbStatus\":\"UpToDate\"",
        "\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"INTEL-SA-00000\"]",
        "\"tcbStatus\":\"Revoked\""}) {
    const size_t at = text.find(key, last);
    EXPECT_NE(at, std::string::npos) << key;
    if (at != std::string::npos) last = at;
  }
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_TRUE(doc.IsObject());
  const auto& levels = doc["tcbLevels"];
  ASSERT_EQ(levels.Size(), 3u);
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    EXPECT_EQ(levels[i]["tcb"]["sgxtcbcomponents"].Size(), 16u);
    EXPECT_EQ(levels[i]["tcb"]["tdxtcbcomponents"].Size(), 16u);
    EXPECT_EQ(levels[i]["tcb"]["pcesvn"].GetInt(), platform::kPceSvn);
  }
  EXPECT_EQ(levels[0]["tcb"]["tdxtcbcomponents"][2]["svn"].GetInt(), 3);
  EXPECT_EQ(levels[1]["tcb"]["tdxtcbcomponents"][2]["svn"].GetInt(), 2);
  EXPECT_EQ(levels[2]["tcb"]["tdxtcbcomponents"][2]["svn"].GetInt(), 1);
}

TEST(MockPki, CrlsAreSignedByTheirIssuers) {
  auto load = [](const crypto::Bytes& der) {
    const unsigned char* p = der.data();
    return std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)>(
        d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())), X509_CRL_free);
  };
  auto pck_crl = load(Pki().PckCrlDer());
  auto root_crl = load(Pki().RootCaCrlDer());
  ASSERT_TRUE(pck_crl && root_crl);
  X509Ptr platform = ParsePem(Pki().PlatformCaPem());
  X509Ptr root = ParsePem(Pki().RootPem());
  EXPECT_EQ(X509_CRL_verify(pck_crl.get(), X509_get0_pubkey(platform.get())), 1);
  EXPECT_EQ(X509_CRL_verify(root_crl.get(), X509_get0_pubkey(root.get())), 1);
  EXPECT_EQ(
      X509_NAME_cmp(X509_CRL_get_issuer(pck_crl.get()), X509_get_subject_name(platform.get())), 0);
  X509_REVOKED* entry = nullptr;
  EXPECT_EQ(X509_CRL_get0_by_cert(pck_crl.get(), &entry, ParsePem(Pki().PckPem()).get()), 0);
  EXPECT_EQ(X509_CRL_get0_by_cert(pck_crl.get(), &entry,
                                  ParsePem(Pki().PckPem(MockPki::Pck::kRevoked)).get()),
            1);
  EXPECT_LE(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(root_crl.get())), 0);  // -1: no list at all
}

TEST(MockPki, CollateralJsonHasEveryDcapQvlKey) {
  rapidjson::Document doc;
  const std::string json = Pki().CollateralJson();
  doc.Parse(json.c_str());
  ASSERT_TRUE(doc.IsObject());
  for (const char* key :
       {"pck_crl_issuer_chain", "root_ca_crl", "pck_crl", "tcb_info_issuer_chain", "tcb_info",
        "tcb_info_signature", "qe_identity_issuer_chain", "qe_identity", "qe_identity_signature"}) {
    ASSERT_TRUE(doc.HasMember(key) && doc[key].IsString()) << key;
  }
  EXPECT_EQ(doc["tcb_info"].GetString(), Pki().TcbInfoText());
  EXPECT_EQ(doc["qe_identity"].GetString(), Pki().QeIdentityText());
  EXPECT_EQ(*crypto::DecodeHex(doc["pck_crl"].GetString()), Pki().PckCrlDer());
  EXPECT_EQ(*crypto::DecodeHex(doc["root_ca_crl"].GetString()), Pki().RootCaCrlDer());
  EXPECT_EQ(doc["tcb_info_issuer_chain"].GetString(), Pki().TcbSigningPem() + Pki().RootPem());
  EXPECT_EQ(doc["pck_crl_issuer_chain"].GetString(), Pki().PlatformCaPem() + Pki().RootPem());
  EXPECT_EQ(ParsePems(doc["qe_identity_issuer_chain"].GetString()).size(), 2u);
}

TEST(MockPki, SeedGivesTheSameKeys) {
  Result<MockPki> a = MockPki::Create(42);
  Result<MockPki> b = MockPki::Create(42);
  Result<MockPki> c = MockPki::Create(43);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->AttestationPublicKey(), b->AttestationPublicKey());
  EXPECT_NE(a->AttestationPublicKey(), c->AttestationPublicKey());
  EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(ParsePem(a->RootPem()).get()),
                        X509_get0_pubkey(ParsePem(b->RootPem()).get())),
            1);
  EXPECT_EQ(a->SgxExtensionDer(), b->SgxExtensionDer());
}

TEST(PkiRoutes, ServePcsStyleCollateral) {
  const MockPki& pki = Pki();
  auto get = [&](const std::string& target) { return HandlePkiRequest(pki, "GET", target); };
  EXPECT_FALSE(get("/v1/attestation/report").has_value());
  auto crl = get("/sgx/certification/v4/pckcrl?ca=platform&encoding=der");
  ASSERT_TRUE(crl.has_value());
  EXPECT_EQ(crl->status, 200u);
  EXPECT_EQ(crl->body, std::string(pki.PckCrlDer().begin(), pki.PckCrlDer().end()));
  bool chain_header = false;
  for (const auto& [name, value] : crl->headers) {
    if (name == "SGX-PCK-CRL-Issuer-Chain") {
      chain_header = true;
      EXPECT_EQ(value, UrlEncode(pki.PckCrlIssuerChainPem()));
      EXPECT_EQ(value.rfind("-----BEGIN%20CERTIFICATE-----%0A", 0), 0u);
    }
  }
  EXPECT_TRUE(chain_header);
  EXPECT_NE(get("/sgx/certification/v4/pckcrl?ca=platform")->body.find("BEGIN X509 CRL"),
            std::string::npos);
  EXPECT_EQ(get("/sgx/certification/v4/pckcrl?ca=processor")->status, 404u);
  EXPECT_EQ(get("/sgx/certification/v4/rootcacrl")->body, crypto::EncodeHex(pki.RootCaCrlDer()));
  EXPECT_EQ(get("/tdx/certification/v4/tcb?fmspc=00906ED50000")->body, pki.TcbInfoEnvelope());
  EXPECT_EQ(get("/tdx/certification/v4/tcb?fmspc=00906ed50000")->body, pki.TcbInfoEnvelope());
  EXPECT_EQ(get("/tdx/certification/v4/tcb?fmspc=B0C06F000000")->status, 404u);
  EXPECT_EQ(get("/tdx/certification/v4/qe/identity")->body, pki.QeIdentityEnvelope());
  EXPECT_EQ(get("/mock/pki/root.pem")->body, pki.RootPem());
  EXPECT_EQ(get("/mock/pki/collateral.json")->body, pki.CollateralJson());
  EXPECT_EQ(HandlePkiRequest(pki, "POST", "/mock/pki/root.pem")->status, 405u);
}

TEST(AttestationBuilder, ReportQuotesAreSignedAndBindTheSigningAddress) {
  const KeyPair keys = KeyPair::Generate();
  ReportInputs in;
  in.keys = &keys;
  in.nonce_hex = std::string(64, 'a');
  in.echoed_nonce = in.nonce_hex;
  in.model = "m";
  rapidjson::Document doc;
  const std::string report = BuildProxyReport(in, false);
  doc.Parse(report.c_str());
  ASSERT_TRUE(doc.IsObject());
  const crypto::Bytes q = *crypto::DecodeHex(doc["intel_quote"].GetString());
  const crypto::Bytes nonce = *crypto::DecodeHexExact(in.nonce_hex, 32);
  const auto& address = keys.ecdsa().address();
  EXPECT_EQ(crypto::Bytes(q.begin() + 568, q.begin() + 632),
            BuildReportData(crypto::Bytes(address.begin(), address.end()), nonce));
  const QuoteParts parts = Split(q);
  EXPECT_EQ(crypto::Bytes(parts.attestation_key.begin(), parts.attestation_key.end()),
            ProcessMockPki().AttestationPublicKey());
  EXPECT_TRUE(VerifyRaw(RawKey(parts.attestation_key).get(), parts.signed_part, parts.signature));
}

// Runs a command; returns its exit status and stdout.
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class VerifierCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(TEEHARNESS_BIN)) {
      GTEST_SKIP() << "teeharness binary not built at " << TEEHARNESS_BIN;
    }
    dir_ = std::filesystem::path(::testing::TempDir()) / ("mock_pki_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    Write("collateral.json", Pki().CollateralJson());
    Write("expired.json", Pki().CollateralJson(MockPki::Collateral::kExpired));
    Write("root.pem", Pki().RootPem());
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  // Verifies `quote` with the CLI at 2025-01-01, pinning the mock's MRTD; returns the exit code
  // and the --json object.
  std::pair<int, std::string> Verify(const crypto::Bytes& quote,
                                     const std::string& collateral = "collateral.json") {
    Write("quote.bin", std::string(quote.begin(), quote.end()));
    return RunCommand(std::string(TEEHARNESS_BIN) + " attest verify --quote " +
                      (dir_ / "quote.bin").string() + " --collateral " +
                      (dir_ / collateral).string() + " --trust-root " +
                      (dir_ / "root.pem").string() + " --at 2025-01-01T00:00:00Z --policy mrtd=" +
                      crypto::EncodeHex(QuoteFields::DefaultMrTd()) + " --json");
  }
  static std::string Field(const std::string& json, const char* key) {
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    if (!doc.IsObject() || !doc.HasMember(key) || !doc[key].IsString()) return "";
    return doc[key].GetString();
  }
  // The result of check `id` in the --json object.
  static std::string Check(const std::string& json, const std::string& id) {
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    if (!doc.IsObject() || !doc.HasMember("checks")) return "";
    for (const auto& c : doc["checks"].GetArray()) {
      if (c["id"].GetString() == id) return c["result"].GetString();
    }
    return "";
  }
  std::filesystem::path dir_;
};

TEST_F(VerifierCli, AcceptsAHealthyQuote) {
  auto [code, json] = Verify(Quote());
  EXPECT_EQ(code, 0) << json;
  EXPECT_EQ(Field(json, "verdict"), "valid") << json;
  EXPECT_EQ(Field(json, "tcb_status"), "UpToDate") << json;
}

TEST_F(VerifierCli, RejectsEachFault) {
  struct Case {
    const char* name;
    QuoteFields fields;
    const char* collateral;
    const char* failing_check;
  };
  std::vector<Case> cases;
  auto add = [&](const char* name, auto&& set, const char* check,
                 const char* collateral = "collateral.json") {
    QuoteFields f;
    set(f);
    cases.push_back({name, f, collateral, check});
  };
  add(
      "bad quote signature", [](QuoteFields& f) { f.corrupt_quote_signature = true; }, "QUOTE-SIG");
  add(
      "bad QE signature", [](QuoteFields& f) { f.corrupt_qe_report_signature = true; }, "QUOTE-QE");
  add(
      "untrusted root", [](QuoteFields& f) { f.pck = MockPki::Pck::kUntrusted; }, "QUOTE-CHAIN");
  add(
      "revoked PCK", [](QuoteFields& f) { f.pck = MockPki::Pck::kRevoked; }, "QUOTE-CHAIN");
  add(
      "TCB revoked", [](QuoteFields& f) { f.tcb = QuoteTcb::kRevoked; }, "QUOTE-TCB");
  add(
      "collateral expired", [](QuoteFields&) {}, "QUOTE-TCB", "expired.json");
  add(
      "debug TD", [](QuoteFields& f) { f.debug_td = true; }, "TD-ATTR");
  add(
      "wrong MRTD", [](QuoteFields& f) { f.wrong_mr_td = true; }, "TD-MEASURE");
  for (const Case& c : cases) {
    auto [code, json] = Verify(Quote(c.fields), c.collateral);
    EXPECT_NE(Field(json, "verdict"), "valid") << c.name << ": " << json;
    EXPECT_NE(code, 0) << c.name;
    EXPECT_EQ(Check(json, c.failing_check), "fail") << c.name << ": " << json;
  }
  // OutOfDate is a status, not necessarily a rejection: the verdict depends on policy.
  QuoteFields out_of_date;
  out_of_date.tcb = QuoteTcb::kOutOfDate;
  auto [code, json] = Verify(Quote(out_of_date));
  EXPECT_EQ(Field(json, "tcb_status"), "OutOfDate") << json;
}

}  // namespace
}  // namespace teeharness::mocks::pki

namespace teeharness::mocks::pki {
namespace {

TEST(MockPkiSnapshot, RestoresTheSameCertificatesAndCrls) {
  Result<MockPki> a = MockPki::Create(42);
  ASSERT_TRUE(a.ok()) << a.error();
  Result<std::string> snapshot = a->Snapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.error();
  Result<MockPki> b = MockPki::FromSnapshot(*snapshot);
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->RootPem(), a->RootPem());
  for (MockPki::Pck which :
       {MockPki::Pck::kGood, MockPki::Pck::kRevoked, MockPki::Pck::kUntrusted}) {
    EXPECT_EQ(b->PckChainPem(which), a->PckChainPem(which));
  }
  EXPECT_EQ(b->TcbInfoIssuerChainPem(), a->TcbInfoIssuerChainPem());
  EXPECT_EQ(b->PckCrlDer(), a->PckCrlDer());
  EXPECT_EQ(b->RootCaCrlDer(), a->RootCaCrlDer());
  EXPECT_EQ(b->AttestationPublicKey(), a->AttestationPublicKey());
  EXPECT_EQ(b->TcbInfoText(), a->TcbInfoText());  // re-signed, same text
  // Random keys cannot be re-derived; a snapshot of another seed's certificates is refused.
  EXPECT_FALSE(MockPki::Create(0)->Snapshot().ok());
  std::string other = *snapshot;
  other.replace(other.find("\"seed\":\"") + 8, 16, "000000000000002b");
  EXPECT_NE(MockPki::FromSnapshot(other).error().find("does not carry the key its seed derives"),
            std::string::npos);
  EXPECT_FALSE(MockPki::FromSnapshot("{}").ok());
}

TEST(MockGpuPkiSnapshot, RestoresTheSameRootAndChain) {
  Result<MockGpuPki> a = MockGpuPki::Create();
  ASSERT_TRUE(a.ok()) << a.error();
  Result<MockGpuPki> b = MockGpuPki::FromSnapshot(*a->Snapshot());
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->RootPem(), a->RootPem());
  EXPECT_EQ(b->ChainPem(), a->ChainPem());
  EXPECT_EQ(b->ChainPem(true), a->ChainPem(true));
  EXPECT_FALSE(MockGpuPki::FromSnapshot(R"({"trusted":{}})").ok());
}

}  // namespace
}  // namespace teeharness::mocks::pki
