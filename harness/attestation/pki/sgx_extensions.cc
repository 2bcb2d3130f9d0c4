#include "harness/attestation/pki/sgx_extensions.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "harness/attestation/pki/der_reader.h"

namespace teeharness::attestation::pki {
namespace {

// DER contents of 1.2.840.113741.1.13.1; entries append one arc, TCB entries two (all < 128).
constexpr uint8_t kSgxPrefix[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};
constexpr std::string_view kSgxOid = "1.2.840.113741.1.13.1";
constexpr size_t kPrefixSize = sizeof(kSgxPrefix);

// Arcs below the SGX OID: {arc} or {2, arc}. Returns 0 if `oid` is not of that shape.
int SgxArc(crypto::ByteSpan oid, int depth) {
  if (oid.size() != kPrefixSize + static_cast<size_t>(depth)) return 0;
  if (!std::equal(kSgxPrefix, kSgxPrefix + kPrefixSize, oid.begin())) return 0;
  if (depth == 2 && oid[kPrefixSize] != 0x02) return 0;
  const uint8_t arc = oid[kPrefixSize + depth - 1];
  return arc < 0x80 ? arc : 0;
}

std::string Name(int arc) { return std::string(kSgxOid) + "." + std::to_string(arc); }
std::string TcbName(int arc) { return std::string(kSgxOid) + ".2." + std::to_string(arc); }

Result<crypto::Bytes> OctetsOfSize(const DerElement& value, size_t size, const std::string& what) {
  if (value.tag != kDerOctetString) {
    return MakeError(what, ": expected OCTET STRING at offset ", value.offset);
  }
  if (value.value.size() != size) {
    return MakeError(what, ": expected ", size, " bytes at offset ", value.offset, ", found ",
                     value.value.size());
  }
  return crypto::Bytes(value.value.begin(), value.value.end());
}

// Reads one SEQUENCE{OID, value} entry; the value is returned as an element.
struct Entry {
  crypto::ByteSpan oid;
  DerElement value;
};
Result<Entry> ReadEntry(DerReader& reader, std::string_view what) {
  auto sequence = reader.Expect(kDerSequence, what);
  if (!sequence) return Error{sequence.error()};
  DerReader inside = DerReader::Inside(*sequence);
  auto oid = inside.Expect(kDerOid, what);
  if (!oid) return Error{oid.error()};
  const std::string name = OidToString(oid->value);
  auto value = inside.Next();
  if (!value) return MakeError(what, " ", name, ": ", value.error());
  if (!inside.done()) {
    return MakeError(what, " ", name, ": unexpected data after the value at offset ",
                     inside.offset());
  }
  return Entry{oid->value, *value};
}

// The TCB entry: a SEQUENCE of 18 SEQUENCE{OID ...13.1.2.N, value}: N = 1..16 the SGX TCB
// components (INTEGER 0..255), 17 the PCESVN (INTEGER 0..65535), 18 the CPUSVN (16 octets).
std::optional<Error> ParseTcb(const DerElement& tcb, PckExtensions& out) {
  const std::string what = Name(2);
  if (tcb.tag != kDerSequence) return MakeError(what, ": expected SEQUENCE at offset ", tcb.offset);
  std::array<bool, 19> seen{};
  DerReader reader = DerReader::Inside(tcb);
  while (!reader.done()) {
    auto entry = ReadEntry(reader, what);
    if (!entry) return Error{entry.error()};
    const int arc = SgxArc(entry->oid, 2);
    if (arc < 1 || arc > 18) {
      return MakeError(what, ": unexpected entry ", OidToString(entry->oid), " at offset ",
                       entry->value.offset);
    }
    const std::string name = TcbName(arc);
    if (seen[arc]) return MakeError(name, ": duplicate entry at offset ", entry->value.offset);
    seen[arc] = true;
    if (arc == 18) {
      auto cpu_svn = OctetsOfSize(entry->value, out.cpu_svn.size(), name);
      if (!cpu_svn) return Error{cpu_svn.error()};
      std::copy(cpu_svn->begin(), cpu_svn->end(), out.cpu_svn.begin());
      continue;
    }
    if (entry->value.tag != kDerInteger) {
      return MakeError(name, ": expected INTEGER at offset ", entry->value.offset);
    }
    auto number = DerUnsigned(entry->value, arc == 17 ? 0xffff : 0xff, name);
    if (!number) return Error{number.error()};
    if (arc == 17) {
      out.pce_svn = static_cast<uint16_t>(*number);
    } else {
      out.sgx_tcb_components[arc - 1] = static_cast<uint8_t>(*number);
    }
  }
  for (int arc = 1; arc <= 18; ++arc) {
    if (!seen[arc]) return MakeError(TcbName(arc), ": missing from the TCB entry");
  }
  return std::nullopt;
}

}  // namespace

Result<PckExtensions> ParsePckExtensions(crypto::ByteSpan extension_der) {
  DerReader outer(extension_der);
  auto top = outer.Expect(kDerSequence, kSgxOid);
  if (!top) return Error{top.error()};
  if (!outer.done()) {
    return MakeError(kSgxOid, ": unexpected data after the extension at offset ", outer.offset());
  }
  PckExtensions out;
  constexpr int kRequired[] = {1, 2, 3, 4, 5};
  std::array<bool, 6> seen{};
  DerReader reader = DerReader::Inside(*top);
  while (!reader.done()) {
    auto entry = ReadEntry(reader, kSgxOid);
    if (!entry) return Error{entry.error()};
    const int arc = SgxArc(entry->oid, 1);
    if (arc < 1 || arc > 5) continue;  // Platform instance ID, configuration, ...: not needed.
    const std::string name = Name(arc);
    if (seen[arc]) return MakeError(name, ": duplicate entry at offset ", entry->value.offset);
    seen[arc] = true;
    switch (arc) {
      case 1: {
        auto ppid = OctetsOfSize(entry->value, 16, name);
        if (!ppid) return Error{ppid.error()};
        out.ppid = std::move(ppid).value();
        break;
      }
      case 2: {
        if (auto error = ParseTcb(entry->value, out)) return *error;
        break;
      }
      case 3: {
        auto pce_id = OctetsOfSize(entry->value, 2, name);
        if (!pce_id) return Error{pce_id.error()};
        out.pce_id = std::move(pce_id).value();
        break;
      }
      case 4: {
        auto fmspc = OctetsOfSize(entry->value, 6, name);
        if (!fmspc) return Error{fmspc.error()};
        out.fmspc = std::move(fmspc).value();
        break;
      }
      case 5: {
        if (entry->value.tag != kDerEnumerated) {
          return MakeError(name, ": expected ENUMERATED at offset ", entry->value.offset);
        }
        auto type = DerUnsigned(entry->value, 0xff, name);
        if (!type) return Error{type.error()};
        out.sgx_type = static_cast<int>(*type);
        break;
      }
    }
  }
  for (int arc : kRequired) {
    if (!seen[arc]) return MakeError(Name(arc), ": missing from the SGX extension");
  }
  return out;
}

Result<PckExtensions> ParsePckExtensions(const Certificate& pck) {
  std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> oid(
      OBJ_txt2obj(std::string(kSgxOid).c_str(), 1), ASN1_OBJECT_free);
  if (oid == nullptr) return MakeError("out of memory");
  const int index = X509_get_ext_by_OBJ(pck.get(), oid.get(), -1);
  if (index < 0)
    return MakeError("certificate ", pck.subject(), " has no SGX extension (", kSgxOid, ")");
  if (X509_get_ext_by_OBJ(pck.get(), oid.get(), index) >= 0) {
    return MakeError("certificate ", pck.subject(), " has more than one SGX extension");
  }
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(pck.get(), index));
  if (data == nullptr)
    return MakeError("certificate ", pck.subject(), " has an empty SGX extension");
  return ParsePckExtensions(
      crypto::ByteSpan(ASN1_STRING_get0_data(data), static_cast<size_t>(ASN1_STRING_length(data))));
}

}  // namespace teeharness::attestation::pki
