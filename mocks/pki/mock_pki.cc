#include "mocks/pki/mock_pki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "mocks/pki/der_writer.h"

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

// RFC 5280 validity of every certificate and CRL: fixed, so any `--at` in the window and the real
// clock both fall inside it. OpenSSL writes UTCTime for these (both years are before 2050).
constexpr const char* kNotBefore = "20200101000000Z";
constexpr const char* kNotAfter = "20491231235959Z";

constexpr std::string_view kSgxExtensionOid = "1.2.840.113741.1.13.1";

struct Dates {
  const char* issue;
  const char* next_update;
};
constexpr Dates kCurrentDates = {"2020-01-01T00:00:00Z", "2049-12-31T23:59:59Z"};
constexpr Dates kExpiredDates = {"2020-12-01T00:00:00Z", "2021-01-01T00:00:00Z"};

Error OpensslError(std::string_view what) {
  const unsigned long code = ERR_get_error();
  char reason[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, reason, sizeof(reason));
  ERR_clear_error();
  return MakeError("mock PKI: ", what, " failed: ", std::string_view(reason));
}

// 32 bytes for `label`: derived from the seed, or random when the seed is 0.
crypto::Hash32 Material(uint64_t seed, std::string_view label) {
  crypto::Hash32 out{};
  if (seed == 0) {
    RAND_bytes(out.data(), static_cast<int>(out.size()));
    return out;
  }
  std::string input = "teeharness mock pki:" + std::to_string(seed) + ":";
  input.append(label);
  return crypto::Sha256::Hash(std::string_view(input));
}

// A P-256 key whose private scalar is 1 + (material mod (n - 1)), so every derived value is valid.
Result<PkeyPtr> MakeKey(uint64_t seed, std::string_view label) {
  if (seed == 0) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    if (key == nullptr) return OpensslError("EVP_EC_gen");
    return PkeyPtr(key);
  }
  const crypto::Hash32 material = Material(seed, label);
  std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> group(
      EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1), EC_GROUP_free);
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> bn_ctx(BN_CTX_new(), BN_CTX_free);
  std::unique_ptr<BIGNUM, decltype(&BN_clear_free)> priv(
      BN_bin2bn(material.data(), material.size(), nullptr), BN_clear_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> order_minus_one(
      BN_dup(EC_GROUP_get0_order(group.get())), BN_free);
  std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> pub(EC_POINT_new(group.get()), EC_POINT_free);
  uint8_t pub_bytes[65];
  if (!group || !bn_ctx || !priv || !order_minus_one || !pub ||
      !BN_sub_word(order_minus_one.get(), 1) ||
      !BN_mod(priv.get(), priv.get(), order_minus_one.get(), bn_ctx.get()) ||
      !BN_add_word(priv.get(), 1) ||
      !EC_POINT_mul(group.get(), pub.get(), priv.get(), nullptr, nullptr, bn_ctx.get()) ||
      EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED, pub_bytes,
                         sizeof(pub_bytes), bn_ctx.get()) != sizeof(pub_bytes)) {
    return OpensslError("deriving a P-256 key");
  }
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
  if (!build ||
      !OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()) ||
      !OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, pub_bytes,
                                        sizeof(pub_bytes))) {
    return OpensslError("OSSL_PARAM_BLD");
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) <= 0) {
    return OpensslError("EVP_PKEY_fromdata");
  }
  return PkeyPtr(key);
}

Result<crypto::Bytes> RawPublicKey(EVP_PKEY* key) {
  uint8_t buffer[65];
  size_t size = 0;
  if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, buffer, sizeof(buffer),
                                       &size) ||
      size != 65 || buffer[0] != 0x04) {
    return OpensslError("reading an uncompressed P-256 public key");
  }
  return crypto::Bytes(buffer + 1, buffer + 65);
}

// ECDSA P-256 over SHA-256(message), as raw r||s: the encoding of quotes and Intel's JSON.
crypto::Bytes SignRaw(EVP_PKEY* key, crypto::ByteSpan message) {
  crypto::Bytes raw(64, 0);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) <= 0 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, message.data(), message.size()) <= 0) {
    ERR_clear_error();
    return raw;  // all zeros: never valid, so a failure cannot pass as a signature
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
  BN_bn2binpad(r, raw.data(), 32);
  BN_bn2binpad(s, raw.data() + 32, 32);
  ECDSA_SIG_free(sig);
  return raw;
}

std::string UpperHex(crypto::ByteSpan bytes) {
  std::string hex = crypto::EncodeHex(bytes);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

// The SGX PCK extension value, encoded as Intel's PCK certificates carry it.
crypto::Bytes SgxExtension(crypto::ByteSpan ppid, crypto::ByteSpan cpu_svn) {
  const std::string base(kSgxExtensionOid);
  auto entry = [&](const std::string& arcs, const crypto::Bytes& value) {
    return der::Sequence({der::Oid(base + "." + arcs), value});
  };
  crypto::Bytes tcb;
  for (int i = 0; i < 16; ++i) {
    const crypto::Bytes e =
        entry("2." + std::to_string(i + 1), der::Unsigned(platform::kSgxComponents[i]));
    tcb.insert(tcb.end(), e.begin(), e.end());
  }
  for (const crypto::Bytes& e :
       {entry("2.17", der::Unsigned(platform::kPceSvn)), entry("2.18", der::Octets(cpu_svn))}) {
    tcb.insert(tcb.end(), e.begin(), e.end());
  }
  crypto::Bytes all;
  for (const crypto::Bytes& e :
       {entry("1", der::Octets(ppid)), entry("2", der::Sequence(tcb)),
        entry("3", der::Octets(platform::kPceId)), entry("4", der::Octets(platform::kFmspc)),
        entry("5", der::Unsigned(0, der::kEnumerated))}) {
    all.insert(all.end(), e.begin(), e.end());
  }
  return der::Sequence(all);
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

bool AddSgxExtension(X509* cert, const crypto::Bytes& value) {
  ASN1_OBJECT* oid = OBJ_txt2obj(std::string(kSgxExtensionOid).c_str(), 1);
  ASN1_OCTET_STRING* octets = ASN1_OCTET_STRING_new();
  bool ok = oid != nullptr && octets != nullptr &&
            ASN1_OCTET_STRING_set(octets, value.data(), static_cast<int>(value.size())) == 1;
  X509_EXTENSION* ext = ok ? X509_EXTENSION_create_by_OBJ(nullptr, oid, 0, octets) : nullptr;
  ok = ext != nullptr && X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  ASN1_OCTET_STRING_free(octets);
  ASN1_OBJECT_free(oid);
  return ok;
}

enum class Role { kRoot, kIntermediateCa, kLeaf };

struct CertSpec {
  std::string common_name;
  long serial;
  Role role;
  const crypto::Bytes* sgx_extension = nullptr;  // PCK leaves only
};

// Builds and signs one certificate. `issuer`/`issuer_key` are null for the self-signed root.
Result<X509Ptr> MakeCert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  if (!cert) return OpensslError("X509_new");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto cn = reinterpret_cast<const unsigned char*>(spec.common_name.c_str());
  const auto org = reinterpret_cast<const unsigned char*>("teeharness");
  if (!X509_set_version(cert.get(), X509_VERSION_3) ||
      !ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), spec.serial) ||
      !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) ||
      !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, org, -1, -1, 0) ||
      !X509_set_issuer_name(
          cert.get(), issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(cert.get())) ||
      !ASN1_TIME_set_string_X509(X509_getm_notBefore(cert.get()), kNotBefore) ||
      !ASN1_TIME_set_string_X509(X509_getm_notAfter(cert.get()), kNotAfter) ||
      !X509_set_pubkey(cert.get(), key)) {
    return OpensslError("filling certificate " + spec.common_name);
  }
  X509* signer_cert = issuer ? issuer : cert.get();
  bool ok = AddExtension(cert.get(), signer_cert, NID_subject_key_identifier, "hash") &&
            AddExtension(cert.get(), signer_cert, NID_authority_key_identifier, "keyid:always");
  switch (spec.role) {
    case Role::kRoot:
      ok = ok &&
           AddExtension(cert.get(), signer_cert, NID_basic_constraints,
                        "critical,CA:TRUE,pathlen:1") &&
           AddExtension(cert.get(), signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case Role::kIntermediateCa:
      ok = ok &&
           AddExtension(cert.get(), signer_cert, NID_basic_constraints,
                        "critical,CA:TRUE,pathlen:0") &&
           AddExtension(cert.get(), signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case Role::kLeaf:
      ok = ok &&
           AddExtension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:FALSE") &&
           AddExtension(cert.get(), signer_cert, NID_key_usage,
                        "critical,digitalSignature,nonRepudiation");
      break;
  }
  if (ok && spec.sgx_extension != nullptr) ok = AddSgxExtension(cert.get(), *spec.sgx_extension);
  if (!ok) return OpensslError("extensions of certificate " + spec.common_name);
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) <= 0) {
    return OpensslError("signing certificate " + spec.common_name);
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

// A v2 CRL by `issuer` valid over the fixed window, listing `revoked_serials`, as DER.
Result<crypto::Bytes> MakeCrl(X509* issuer, EVP_PKEY* issuer_key,
                              const std::vector<long>& revoked_serials) {
  std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), X509_CRL_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> this_update(ASN1_TIME_new(),
                                                                    ASN1_TIME_free);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next_update(ASN1_TIME_new(),
                                                                    ASN1_TIME_free);
  std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> number(ASN1_INTEGER_new(),
                                                                     ASN1_INTEGER_free);
  if (!crl || !this_update || !next_update || !number ||
      !ASN1_TIME_set_string_X509(this_update.get(), kNotBefore) ||
      !ASN1_TIME_set_string_X509(next_update.get(), kNotAfter) ||
      !X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) ||
      !X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer)) ||
      !X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) ||
      !X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) ||
      !ASN1_INTEGER_set(number.get(), 1) ||
      !X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0)) {
    return OpensslError("filling a CRL");
  }
  for (long serial : revoked_serials) {
    X509_REVOKED* entry = X509_REVOKED_new();
    std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> s(ASN1_INTEGER_new(),
                                                                  ASN1_INTEGER_free);
    if (entry == nullptr || !s || !ASN1_INTEGER_set(s.get(), serial) ||
        !X509_REVOKED_set_serialNumber(entry, s.get()) ||
        !X509_REVOKED_set_revocationDate(entry, this_update.get()) ||
        !X509_CRL_add0_revoked(crl.get(), entry)) {
      X509_REVOKED_free(entry);
      return OpensslError("adding a revoked serial to a CRL");
    }
  }
  if (!X509_CRL_sort(crl.get()) || X509_CRL_sign(crl.get(), issuer_key, EVP_sha256()) <= 0) {
    return OpensslError("signing a CRL");
  }
  unsigned char* der = nullptr;
  const int size = i2d_X509_CRL(crl.get(), &der);
  if (size <= 0) return OpensslError("encoding a CRL");
  crypto::Bytes out(der, der + size);
  OPENSSL_free(der);
  return out;
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Put(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void PutInt(Writer& w, const char* key, int value) {
  w.Key(key);
  w.Int(value);
}

std::string Render(const std::function<void(Writer&)>& fill) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  fill(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void Components(Writer& w, const char* key, const std::array<uint8_t, 16>& svns) {
  w.Key(key);
  w.StartArray();
  for (uint8_t svn : svns) {
    w.StartObject();
    PutInt(w, "svn", svn);
    w.EndObject();
  }
  w.EndArray();
}

void Advisories(Writer& w, std::initializer_list<const char*> ids) {
  if (ids.size() == 0) return;
  w.Key("advisoryIDs");
  w.StartArray();
  for (const char* id : ids) w.String(id);
  w.EndArray();
}

// Intel's TDX TCB info v3, in the key order of the PCS (compare the dcap-qvl vector). One level
// per status the mock can produce, each selected by the quote's TEE_TCB_SVN[2].
std::string TcbInfo(const Dates& dates) {
  const std::string zeros96(96, '0');
  auto module_fields = [&](Writer& w) {
    Put(w, "mrsigner", zeros96);
    Put(w, "attributes", "0000000000000000");
    Put(w, "attributesMask", "FFFFFFFFFFFFFFFF");
  };
  auto level = [](Writer& w, const std::array<uint8_t, 16>& tdx, const char* date,
                  const char* status, std::initializer_list<const char*> advisories) {
    w.StartObject();
    w.Key("tcb");
    w.StartObject();
    Components(w, "sgxtcbcomponents", platform::kSgxComponents);
    PutInt(w, "pcesvn", platform::kPceSvn);
    Components(w, "tdxtcbcomponents", tdx);
    w.EndObject();
    Put(w, "tcbDate", date);
    Put(w, "tcbStatus", status);
    Advisories(w, advisories);
    w.EndObject();
  };
  return Render([&](Writer& w) {
    w.StartObject();
    Put(w, "id", "TDX");
    PutInt(w, "version", 3);
    Put(w, "issueDate", dates.issue);
    Put(w, "nextUpdate", dates.next_update);
    Put(w, "fmspc", UpperHex(platform::kFmspc));
    Put(w, "pceId", UpperHex(platform::kPceId));
    PutInt(w, "tcbType", 0);
    PutInt(w, "tcbEvaluationDataNumber", 17);
    w.Key("tdxModule");
    w.StartObject();
    module_fields(w);
    w.EndObject();
    w.Key("tdxModuleIdentities");
    w.StartArray();
    w.StartObject();
    Put(w, "id", "TDX_01");
    module_fields(w);
    w.Key("tcbLevels");
    w.StartArray();
    for (auto [svn, date, status] :
         {std::tuple{platform::kTeeTcbSvnUpToDate[0], "2019-11-13T00:00:00Z", "UpToDate"},
          std::tuple{uint8_t{2}, "2019-05-15T00:00:00Z", "OutOfDate"}}) {
      w.StartObject();
      w.Key("tcb");
      w.StartObject();
      PutInt(w, "isvsvn", svn);
      w.EndObject();
      Put(w, "tcbDate", date);
      Put(w, "tcbStatus", status);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    w.EndArray();
    w.Key("tcbLevels");
    w.StartArray();
    level(w, platform::kTeeTcbSvnUpToDate, "2019-11-13T00:00:00Z", "UpToDate", {});
    level(w, platform::kTeeTcbSvnOutOfDate, "2019-05-15T00:00:00Z", "OutOfDate",
          {"INTEL-SA-00000"});
    level(w, platform::kTeeTcbSvnRevoked, "2018-08-15T00:00:00Z", "Revoked", {"INTEL-SA-00001"});
    w.EndArray();
    w.EndObject();
  });
}

// Intel's TD_QE identity v2, in the PCS key order.
std::string QeIdentity(const Dates& dates, const crypto::Hash32& mrsigner) {
  return Render([&](Writer& w) {
    w.StartObject();
    Put(w, "id", "TD_QE");
    PutInt(w, "version", 2);
    Put(w, "issueDate", dates.issue);
    Put(w, "nextUpdate", dates.next_update);
    PutInt(w, "tcbEvaluationDataNumber", 17);
    Put(w, "miscselect", "00000000");
    Put(w, "miscselectMask", "FFFFFFFF");
    Put(w, "attributes", UpperHex(platform::kQeAttributes));
    Put(w, "attributesMask", "FBFFFFFFFFFFFFFF0000000000000000");
    Put(w, "mrsigner", UpperHex(mrsigner));
    PutInt(w, "isvprodid", platform::kQeProdId);
    w.Key("tcbLevels");
    w.StartArray();
    for (auto [svn, date, status] :
         {std::tuple{platform::kQeSvn, "2019-11-13T00:00:00Z", "UpToDate"},
          std::tuple{uint16_t{2}, "2019-05-15T00:00:00Z", "OutOfDate"}}) {
      w.StartObject();
      w.Key("tcb");
      w.StartObject();
      PutInt(w, "isvsvn", svn);
      w.EndObject();
      Put(w, "tcbDate", date);
      Put(w, "tcbStatus", status);
      if (std::string_view(status) == "OutOfDate") Advisories(w, {"INTEL-SA-00000"});
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

std::string Envelope(const char* key, const std::string& text, const std::string& signature) {
  // The signed text is embedded byte for byte (not re-serialised), so its signature stays valid.
  return "{\"" + std::string(key) + "\":" + text + ",\"signature\":\"" + signature + "\"}";
}

constexpr long kRootSerial = 1;
constexpr long kPlatformSerial = 2;
constexpr long kPckSerial = 3;
constexpr long kRevokedPckSerial = 4;
constexpr long kTcbSigningSerial = 5;

}  // namespace

struct SignedDoc {
  std::string text;
  std::string signature_hex;
};

struct MockPki::State {
  uint64_t seed = 0;
  PkeyPtr root_key, platform_key, pck_key, revoked_pck_key, tcb_key, attestation_key;
  PkeyPtr rogue_root_key, rogue_platform_key, rogue_pck_key;
  X509Ptr root, platform, pck, revoked_pck, tcb_signing, rogue_root, rogue_platform, rogue_pck;
  std::string root_pem, platform_pem, pck_pem, revoked_pck_pem, tcb_pem;
  std::string rogue_root_pem, rogue_platform_pem, rogue_pck_pem;
  crypto::Bytes sgx_extension;
  std::array<SignedDoc, 2> tcb_info, qe_identity;  // indexed by Collateral
  crypto::Bytes pck_crl, root_crl;
  crypto::Bytes attestation_public_key;
  crypto::Hash32 qe_mrsigner{}, qe_mrenclave{};
  std::array<uint8_t, 16> cpu_svn{};

  EVP_PKEY* PckKey(Pck which) const {
    switch (which) {
      case Pck::kRevoked:
        return revoked_pck_key.get();
      case Pck::kUntrusted:
        return rogue_pck_key.get();
      case Pck::kGood:
        break;
    }
    return pck_key.get();
  }
};

struct MockPki::Stored {
  std::map<std::string, std::string> pems;  // by certificate name, as Snapshot() writes them
  crypto::Bytes pck_crl, root_crl;
};

namespace {

Result<X509Ptr> ParseStoredCert(const std::string& name, const std::string& pem, EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  if (!cert) return MakeError("mock PKI snapshot: certificate '", name, "' does not parse");
  if (EVP_PKEY_eq(X509_get0_pubkey(cert.get()), key) != 1) {
    ERR_clear_error();
    return MakeError("mock PKI snapshot: certificate '", name,
                     "' does not carry the key its seed derives");
  }
  return cert;
}

bool CrlParses(const crypto::Bytes& der) {
  const unsigned char* p = der.data();
  X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size()));
  const bool ok = crl != nullptr && p == der.data() + der.size();
  X509_CRL_free(crl);
  ERR_clear_error();
  return ok;
}

}  // namespace

Result<MockPki> MockPki::Create(uint64_t seed) { return Build(seed, nullptr); }

Result<MockPki> MockPki::Build(uint64_t seed, const Stored* stored) {
  auto state = std::make_shared<State>();
  State& s = *state;
  s.seed = seed;
  struct KeySlot {
    PkeyPtr* slot;
    const char* label;
  };
  for (const KeySlot& k :
       {KeySlot{&s.root_key, "root"}, KeySlot{&s.platform_key, "platform"},
        KeySlot{&s.pck_key, "pck"}, KeySlot{&s.revoked_pck_key, "revoked-pck"},
        KeySlot{&s.tcb_key, "tcb-signing"}, KeySlot{&s.attestation_key, "attestation"},
        KeySlot{&s.rogue_root_key, "rogue-root"}, KeySlot{&s.rogue_platform_key, "rogue-platform"},
        KeySlot{&s.rogue_pck_key, "rogue-pck"}}) {
    Result<PkeyPtr> key = MakeKey(seed, k.label);
    if (!key.ok()) return Error{key.error()};
    *k.slot = std::move(key).value();
  }
  const crypto::Hash32 ppid = Material(seed, "ppid");
  std::copy(platform::kSgxComponents.begin(), platform::kSgxComponents.end(), s.cpu_svn.begin());
  s.sgx_extension = SgxExtension(crypto::ByteSpan(ppid.data(), 16), s.cpu_svn);
  s.qe_mrsigner = crypto::Sha256::Hash(std::string_view("teeharness mock TD_QE MRSIGNER"));
  s.qe_mrenclave = crypto::Sha256::Hash(std::string_view("teeharness mock TD_QE MRENCLAVE"));

  const std::string root_cn = "teeharness mock SGX Root CA";
  const std::string platform_cn = "teeharness mock PCK Platform CA";
  const std::string pck_cn = "teeharness mock PCK Certificate";
  struct CertStep {
    const char* name;
    X509Ptr* slot;
    CertSpec spec;
    EVP_PKEY* key;
    X509Ptr* issuer;
    EVP_PKEY* issuer_key;
  };
  // In issuing order; the impostor chain reuses the real names, as a forged chain would.
  const CertStep steps[] = {
      {"root", &s.root, {root_cn, kRootSerial, Role::kRoot}, s.root_key.get(), nullptr, nullptr},
      {"platform",
       &s.platform,
       {platform_cn, kPlatformSerial, Role::kIntermediateCa},
       s.platform_key.get(),
       &s.root,
       s.root_key.get()},
      {"pck",
       &s.pck,
       {pck_cn, kPckSerial, Role::kLeaf, &s.sgx_extension},
       s.pck_key.get(),
       &s.platform,
       s.platform_key.get()},
      {"revoked_pck",
       &s.revoked_pck,
       {pck_cn, kRevokedPckSerial, Role::kLeaf, &s.sgx_extension},
       s.revoked_pck_key.get(),
       &s.platform,
       s.platform_key.get()},
      {"tcb_signing",
       &s.tcb_signing,
       {"teeharness mock TCB Signing", kTcbSigningSerial, Role::kLeaf},
       s.tcb_key.get(),
       &s.root,
       s.root_key.get()},
      {"rogue_root",
       &s.rogue_root,
       {root_cn, kRootSerial, Role::kRoot},
       s.rogue_root_key.get(),
       nullptr,
       nullptr},
      {"rogue_platform",
       &s.rogue_platform,
       {platform_cn, kPlatformSerial, Role::kIntermediateCa},
       s.rogue_platform_key.get(),
       &s.rogue_root,
       s.rogue_root_key.get()},
      {"rogue_pck",
       &s.rogue_pck,
       {pck_cn, kPckSerial, Role::kLeaf, &s.sgx_extension},
       s.rogue_pck_key.get(),
       &s.rogue_platform,
       s.rogue_platform_key.get()},
  };
  for (const CertStep& step : steps) {
    Result<X509Ptr> cert = Error{""};
    if (stored != nullptr) {
      const auto it = stored->pems.find(step.name);
      if (it == stored->pems.end()) {
        return MakeError("mock PKI snapshot: certificate '", step.name, "' is missing");
      }
      cert = ParseStoredCert(step.name, it->second, step.key);
    } else {
      cert = MakeCert(step.spec, step.key, step.issuer ? step.issuer->get() : nullptr,
                      step.issuer_key);
    }
    if (!cert.ok()) return Error{cert.error()};
    *step.slot = std::move(cert).value();
  }
  s.root_pem = Pem(s.root.get());
  s.platform_pem = Pem(s.platform.get());
  s.pck_pem = Pem(s.pck.get());
  s.revoked_pck_pem = Pem(s.revoked_pck.get());
  s.tcb_pem = Pem(s.tcb_signing.get());
  s.rogue_root_pem = Pem(s.rogue_root.get());
  s.rogue_platform_pem = Pem(s.rogue_platform.get());
  s.rogue_pck_pem = Pem(s.rogue_pck.get());

  if (stored != nullptr) {
    if (!CrlParses(stored->pck_crl) || !CrlParses(stored->root_crl)) {
      return MakeError("mock PKI snapshot: a CRL does not parse");
    }
    s.pck_crl = stored->pck_crl;
    s.root_crl = stored->root_crl;
  } else {
    Result<crypto::Bytes> pck_crl =
        MakeCrl(s.platform.get(), s.platform_key.get(), {kRevokedPckSerial});
    if (!pck_crl.ok()) return Error{pck_crl.error()};
    s.pck_crl = std::move(pck_crl).value();
    Result<crypto::Bytes> root_crl = MakeCrl(s.root.get(), s.root_key.get(), {});
    if (!root_crl.ok()) return Error{root_crl.error()};
    s.root_crl = std::move(root_crl).value();
  }

  Result<crypto::Bytes> attestation_public_key = RawPublicKey(s.attestation_key.get());
  if (!attestation_public_key.ok()) return Error{attestation_public_key.error()};
  s.attestation_public_key = std::move(attestation_public_key).value();

  for (Collateral c : {Collateral::kCurrent, Collateral::kExpired}) {
    const Dates& dates = c == Collateral::kCurrent ? kCurrentDates : kExpiredDates;
    SignedDoc& tcb = s.tcb_info[static_cast<size_t>(c)];
    tcb.text = TcbInfo(dates);
    tcb.signature_hex = crypto::EncodeHex(SignRaw(s.tcb_key.get(), crypto::AsBytes(tcb.text)));
    SignedDoc& qe = s.qe_identity[static_cast<size_t>(c)];
    qe.text = QeIdentity(dates, s.qe_mrsigner);
    qe.signature_hex = crypto::EncodeHex(SignRaw(s.tcb_key.get(), crypto::AsBytes(qe.text)));
  }
  return MockPki(std::move(state));
}

Result<std::string> MockPki::Snapshot() const {
  if (state_->seed == 0) return MakeError("mock PKI: a PKI with random keys cannot be snapshot");
  char seed_hex[17];
  std::snprintf(seed_hex, sizeof(seed_hex), "%016llx",
                static_cast<unsigned long long>(state_->seed));
  const State& s = *state_;
  return Render([&](Writer& w) {
    w.StartObject();
    Put(w, "seed", seed_hex);
    w.Key("certificates");
    w.StartObject();
    Put(w, "root", s.root_pem);
    Put(w, "platform", s.platform_pem);
    Put(w, "pck", s.pck_pem);
    Put(w, "revoked_pck", s.revoked_pck_pem);
    Put(w, "tcb_signing", s.tcb_pem);
    Put(w, "rogue_root", s.rogue_root_pem);
    Put(w, "rogue_platform", s.rogue_platform_pem);
    Put(w, "rogue_pck", s.rogue_pck_pem);
    w.EndObject();
    Put(w, "pck_crl", crypto::EncodeHex(s.pck_crl));
    Put(w, "root_crl", crypto::EncodeHex(s.root_crl));
    w.EndObject();
  });
}

Result<MockPki> MockPki::FromSnapshot(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return MakeError("mock PKI snapshot: not a JSON object");
  }
  auto text = [&doc](const rapidjson::Value& in, const char* key) -> const rapidjson::Value* {
    const auto m = in.FindMember(key);
    return m != in.MemberEnd() && m->value.IsString() ? &m->value : nullptr;
  };
  const rapidjson::Value* seed_text = text(doc, "seed");
  uint64_t seed = 0;
  if (seed_text == nullptr || seed_text->GetStringLength() != 16 ||
      !crypto::IsHexDigits(seed_text->GetString()) ||
      (seed = std::strtoull(seed_text->GetString(), nullptr, 16)) == 0) {
    return MakeError("mock PKI snapshot: \"seed\" must be 16 hex digits, not zero");
  }
  const auto certs = doc.FindMember("certificates");
  if (certs == doc.MemberEnd() || !certs->value.IsObject()) {
    return MakeError("mock PKI snapshot: \"certificates\" missing or not an object");
  }
  Stored stored;
  for (const auto& m : certs->value.GetObject()) {
    if (m.value.IsString()) stored.pems[m.name.GetString()] = m.value.GetString();
  }
  for (auto [key, out] : {std::pair{"pck_crl", &stored.pck_crl}, {"root_crl", &stored.root_crl}}) {
    const rapidjson::Value* hex = text(doc, key);
    Result<crypto::Bytes> der =
        hex ? crypto::DecodeHex(hex->GetString()) : Result<crypto::Bytes>(Error{"missing"});
    if (!der.ok()) return MakeError("mock PKI snapshot: \"", key, "\": ", der.error());
    *out = std::move(der).value();
  }
  return Build(seed, &stored);
}

std::string MockPki::RootPem() const { return state_->root_pem; }
std::string MockPki::PlatformCaPem() const { return state_->platform_pem; }
std::string MockPki::TcbSigningPem() const { return state_->tcb_pem; }

std::string MockPki::PckPem(Pck which) const {
  switch (which) {
    case Pck::kRevoked:
      return state_->revoked_pck_pem;
    case Pck::kUntrusted:
      return state_->rogue_pck_pem;
    case Pck::kGood:
      break;
  }
  return state_->pck_pem;
}

std::string MockPki::PckChainPem(Pck which) const {
  if (which == Pck::kUntrusted) {
    return state_->rogue_pck_pem + state_->rogue_platform_pem + state_->rogue_root_pem;
  }
  return PckPem(which) + state_->platform_pem + state_->root_pem;
}

std::string MockPki::TcbInfoIssuerChainPem() const { return state_->tcb_pem + state_->root_pem; }
std::string MockPki::PckCrlIssuerChainPem() const {
  return state_->platform_pem + state_->root_pem;
}
const crypto::Bytes& MockPki::SgxExtensionDer() const { return state_->sgx_extension; }

const std::string& MockPki::TcbInfoText(Collateral c) const {
  return state_->tcb_info[static_cast<size_t>(c)].text;
}
const std::string& MockPki::TcbInfoSignatureHex(Collateral c) const {
  return state_->tcb_info[static_cast<size_t>(c)].signature_hex;
}
std::string MockPki::TcbInfoEnvelope(Collateral c) const {
  return Envelope("tcbInfo", TcbInfoText(c), TcbInfoSignatureHex(c));
}
const std::string& MockPki::QeIdentityText(Collateral c) const {
  return state_->qe_identity[static_cast<size_t>(c)].text;
}
const std::string& MockPki::QeIdentitySignatureHex(Collateral c) const {
  return state_->qe_identity[static_cast<size_t>(c)].signature_hex;
}
std::string MockPki::QeIdentityEnvelope(Collateral c) const {
  return Envelope("enclaveIdentity", QeIdentityText(c), QeIdentitySignatureHex(c));
}
const crypto::Bytes& MockPki::PckCrlDer() const { return state_->pck_crl; }
const crypto::Bytes& MockPki::RootCaCrlDer() const { return state_->root_crl; }

std::string MockPki::CollateralJson(Collateral c) const {
  return Render([&](Writer& w) {
    w.StartObject();
    Put(w, "pck_crl_issuer_chain", PckCrlIssuerChainPem());
    Put(w, "root_ca_crl", crypto::EncodeHex(state_->root_crl));
    Put(w, "pck_crl", crypto::EncodeHex(state_->pck_crl));
    Put(w, "tcb_info_issuer_chain", TcbInfoIssuerChainPem());
    Put(w, "tcb_info", TcbInfoText(c));
    Put(w, "tcb_info_signature", TcbInfoSignatureHex(c));
    Put(w, "qe_identity_issuer_chain", TcbInfoIssuerChainPem());
    Put(w, "qe_identity", QeIdentityText(c));
    Put(w, "qe_identity_signature", QeIdentitySignatureHex(c));
    w.EndObject();
  });
}

const crypto::Bytes& MockPki::AttestationPublicKey() const {
  return state_->attestation_public_key;
}
crypto::Bytes MockPki::SignWithAttestationKey(crypto::ByteSpan message) const {
  return SignRaw(state_->attestation_key.get(), message);
}
crypto::Bytes MockPki::SignWithPckKey(Pck which, crypto::ByteSpan message) const {
  return SignRaw(state_->PckKey(which), message);
}
const crypto::Hash32& MockPki::QeMrSigner() const { return state_->qe_mrsigner; }
const crypto::Hash32& MockPki::QeMrEnclave() const { return state_->qe_mrenclave; }
const std::array<uint8_t, 16>& MockPki::CpuSvn() const { return state_->cpu_svn; }

}  // namespace teeharness::mocks::pki
