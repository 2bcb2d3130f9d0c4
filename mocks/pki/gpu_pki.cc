#include "mocks/pki/gpu_pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

namespace teeharness::mocks::pki {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// The same fixed window as the DCAP mock PKI: any `--at` in it and the real clock fall inside.
constexpr const char* kNotBefore = "20200101000000Z";
constexpr const char* kNotAfter = "20491231235959Z";

Error OpensslError(const std::string& what) {
  char reason[256] = "unknown error";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, reason, sizeof(reason));
  ERR_clear_error();
  return MakeError("mock GPU PKI: ", what, " failed: ", std::string_view(reason));
}

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A P-384 certificate signed with SHA-384; `issuer` null for the self-signed root.
Result<X509Ptr> MakeCert(const char* common_name, long serial, EVP_PKEY* key, X509* issuer,
                         EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  if (!cert) return OpensslError("X509_new");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto cn = reinterpret_cast<const unsigned char*>(common_name);
  const auto org = reinterpret_cast<const unsigned char*>("teeharness");
  if (!X509_set_version(cert.get(), X509_VERSION_3) ||
      !ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) ||
      !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) ||
      !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, org, -1, -1, 0) ||
      !X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) ||
      !ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), kNotBefore) ||
      !ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), kNotAfter) ||
      !X509_set_pubkey(cert.get(), key)) {
    return OpensslError(std::string("filling certificate ") + common_name);
  }
  X509* signer = issuer ? issuer : cert.get();
  const bool ok =
      AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash") &&
      (issuer
           ? AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE") &&
                 AddExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature")
           : AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE") &&
                 AddExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign"));
  if (!ok) return OpensslError(std::string("extensions of ") + common_name);
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha384()) <= 0) {
    return OpensslError(std::string("signing ") + common_name);
  }
  return cert;
}

std::string Pem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || !PEM_write_bio_X509(bio.get(), cert)) return "";
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// One root and its GPU leaf.
struct Hierarchy {
  PkeyPtr root_key, leaf_key;
  std::string root_pem, chain_pem;
};

Result<Hierarchy> MakeHierarchy(const char* root_cn, const char* leaf_cn) {
  Hierarchy h;
  h.root_key.reset(EVP_EC_gen("P-384"));
  h.leaf_key.reset(EVP_EC_gen("P-384"));
  if (!h.root_key || !h.leaf_key) return OpensslError("EVP_EC_gen(P-384)");
  Result<X509Ptr> root = MakeCert(root_cn, 1, h.root_key.get(), nullptr, nullptr);
  if (!root.ok()) return Error{root.error()};
  Result<X509Ptr> leaf = MakeCert(leaf_cn, 2, h.leaf_key.get(), root->get(), h.root_key.get());
  if (!leaf.ok()) return Error{leaf.error()};
  h.root_pem = Pem(root->get());
  h.chain_pem = Pem(leaf->get()) + h.root_pem;
  return h;
}

constexpr const char* kDeviceRoot = "teeharness mock NVIDIA Device Identity CA";
constexpr const char* kDeviceLeaf = "teeharness mock GH100 GSP FMC LF";

// ECDSA P-384 over SHA-384(message) by `key`, raw r||s (96 bytes; all zeros on failure, never a
// valid signature).
crypto::Bytes SignP384(EVP_PKEY* key, crypto::ByteSpan message) {
  crypto::Bytes raw(96, 0);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha384(), nullptr, key) <= 0 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, message.data(), message.size()) <= 0) {
    ERR_clear_error();
    return raw;
  }
  crypto::Bytes der(size);
  if (EVP_DigestSign(ctx.get(), der.data(), &size, message.data(), message.size()) <= 0) {
    ERR_clear_error();
    return raw;
  }
  const uint8_t* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(size));
  if (sig == nullptr) return raw;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  BN_bn2binpad(r, raw.data(), 48);
  BN_bn2binpad(s, raw.data() + 48, 48);
  ECDSA_SIG_free(sig);
  return raw;
}

}  // namespace

struct MockGpuPki::State {
  Hierarchy trusted, impostor;
  Hierarchy rim;  // the RIM CA and its signing leaf
};

Result<MockGpuPki> MockGpuPki::Create() {
  auto state = std::make_shared<State>();
  Result<Hierarchy> trusted = MakeHierarchy(kDeviceRoot, kDeviceLeaf);
  if (!trusted.ok()) return Error{trusted.error()};
  Result<Hierarchy> impostor = MakeHierarchy(kDeviceRoot, kDeviceLeaf);
  if (!impostor.ok()) return Error{impostor.error()};
  Result<Hierarchy> rim =
      MakeHierarchy("teeharness mock NVIDIA RIM CA", "teeharness mock NVIDIA RIM signer");
  if (!rim.ok()) return Error{rim.error()};
  state->trusted = std::move(trusted).value();
  state->impostor = std::move(impostor).value();
  state->rim = std::move(rim).value();
  return MockGpuPki(std::move(state));
}

std::string MockGpuPki::RootPem() const { return state_->trusted.root_pem; }

std::string MockGpuPki::ChainPem(bool untrusted) const {
  return untrusted ? state_->impostor.chain_pem : state_->trusted.chain_pem;
}

crypto::Bytes MockGpuPki::Sign(crypto::ByteSpan message, bool untrusted) const {
  return SignP384(untrusted ? state_->impostor.leaf_key.get() : state_->trusted.leaf_key.get(),
                  message);
}

std::string MockGpuPki::RimRootPem() const { return state_->rim.root_pem; }

std::string MockGpuPki::RimChainPem() const { return state_->rim.chain_pem; }

crypto::Bytes MockGpuPki::SignRim(crypto::ByteSpan message) const {
  return SignP384(state_->rim.leaf_key.get(), message);
}

namespace {
std::atomic<const MockGpuPki*> g_installed{nullptr};
std::atomic<bool> g_created{false};
}  // namespace

const MockGpuPki& ProcessMockGpuPki() {
  static const MockGpuPki* const pki = []() -> const MockGpuPki* {
    g_created.store(true);
    if (const MockGpuPki* installed = g_installed.load()) return installed;
    Result<MockGpuPki> created = MockGpuPki::Create();
    if (!created.ok()) {
      std::fprintf(stderr, "teeharness mock: %s\n", created.error().c_str());
      std::abort();
    }
    return new MockGpuPki(std::move(created).value());  // lives as long as the process
  }();
  return *pki;
}

bool InstallProcessMockGpuPki(MockGpuPki pki) {
  if (g_created.load()) return ProcessMockGpuPki().RootPem() == pki.RootPem();
  delete g_installed.exchange(new MockGpuPki(std::move(pki)));
  return true;
}

namespace {

std::string KeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || !PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    return "";
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

void PutHierarchy(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* name,
                  const Hierarchy& h) {
  w.Key(name);
  w.StartObject();
  for (auto [key, value] : {std::pair{"root_key", KeyPem(h.root_key.get())},
                            {"leaf_key", KeyPem(h.leaf_key.get())},
                            {"root_pem", h.root_pem},
                            {"chain_pem", h.chain_pem}}) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  }
  w.EndObject();
}

template <typename T, typename Read>
T ReadPem(const std::string& pem, Read read) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  T out(bio ? read(bio.get()) : nullptr);
  ERR_clear_error();
  return out;
}

Result<Hierarchy> ReadHierarchy(const rapidjson::Value& doc, const char* name) {
  const auto m = doc.FindMember(name);
  if (m == doc.MemberEnd() || !m->value.IsObject()) {
    return MakeError("mock GPU PKI snapshot: \"", name, "\" missing or not an object");
  }
  std::map<std::string, std::string> fields;
  for (const char* key : {"root_key", "leaf_key", "root_pem", "chain_pem"}) {
    const auto f = m->value.FindMember(key);
    if (f == m->value.MemberEnd() || !f->value.IsString()) {
      return MakeError("mock GPU PKI snapshot: ", name, ".", key, " missing or not a string");
    }
    fields[key] = f->value.GetString();
  }
  Hierarchy h;
  auto read_key = [](BIO* b) { return PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr); };
  auto read_cert = [](BIO* b) { return PEM_read_bio_X509(b, nullptr, nullptr, nullptr); };
  h.root_key = ReadPem<PkeyPtr>(fields["root_key"], read_key);
  h.leaf_key = ReadPem<PkeyPtr>(fields["leaf_key"], read_key);
  const X509Ptr root = ReadPem<X509Ptr>(fields["root_pem"], read_cert);
  const X509Ptr leaf = ReadPem<X509Ptr>(fields["chain_pem"], read_cert);  // the first block
  const bool ok = h.root_key && h.leaf_key && root && leaf &&
                  EVP_PKEY_eq(X509_get0_pubkey(root.get()), h.root_key.get()) == 1 &&
                  EVP_PKEY_eq(X509_get0_pubkey(leaf.get()), h.leaf_key.get()) == 1 &&
                  X509_verify(leaf.get(), h.root_key.get()) == 1 &&
                  fields["chain_pem"].ends_with(fields["root_pem"]);
  ERR_clear_error();
  if (!ok) {
    return MakeError("mock GPU PKI snapshot: ", name,
                     ": keys and certificates do not parse or do not belong together");
  }
  h.root_pem = fields["root_pem"];
  h.chain_pem = fields["chain_pem"];
  return h;
}

}  // namespace

Result<std::string> MockGpuPki::Snapshot() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  PutHierarchy(w, "trusted", state_->trusted);
  PutHierarchy(w, "impostor", state_->impostor);
  PutHierarchy(w, "rim", state_->rim);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<MockGpuPki> MockGpuPki::FromSnapshot(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return MakeError("mock GPU PKI snapshot: not a JSON object");
  }
  auto state = std::make_shared<State>();
  Result<Hierarchy> trusted = ReadHierarchy(doc, "trusted");
  if (!trusted.ok()) return Error{trusted.error()};
  Result<Hierarchy> impostor = ReadHierarchy(doc, "impostor");
  if (!impostor.ok()) return Error{impostor.error()};
  Result<Hierarchy> rim = ReadHierarchy(doc, "rim");
  if (!rim.ok()) return Error{rim.error()};
  state->trusted = std::move(trusted).value();
  state->impostor = std::move(impostor).value();
  state->rim = std::move(rim).value();
  return MockGpuPki(std::move(state));
}

}  // namespace teeharness::mocks::pki
