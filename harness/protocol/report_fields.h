#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "harness/protocol/attestation_report.h"

namespace teeharness::protocol {

// Reads fields of one JSON object of an attestation report, noting every deviation from the
// documented shape as a schema problem prefixed with `path` ("" or e.g. "gateway_attestation.").
// Holds references: lives no longer than the object and the problem list. Not thread-safe.
class FieldReader {
 public:
  FieldReader(const rapidjson::Value& object, std::string path, std::vector<std::string>& problems)
      : object_(object), path_(std::move(path)), problems_(problems) {}

  // The member when it is present with the wanted type; nullptr (and a noted problem) otherwise.
  const rapidjson::Value* Get(const char* name, rapidjson::Type type, bool required = true);
  // The string member, "" when it is absent or of another type (noted as a problem).
  std::string String(const char* name, bool required = true);
  void Problem(const std::string& what) { problems_.push_back(path_ + what); }
  const std::string& path() const { return path_; }

 private:
  const rapidjson::Value& object_;
  std::string path_;
  std::vector<std::string>& problems_;
};

// intel_quote is hex today and was base64 in 2024; both are accepted and the encoding recorded in
// `report`. Text that is neither is a schema problem named `name`.
void DecodeQuote(const std::string& text, AttestationReport& report, FieldReader& reader,
                 const char* name);

// nvidia_payload / gpu: nonce, arch and evidence_list into `report` (problems under `path`).
void ReadGpuEvidence(const rapidjson::Value& gpu, const std::string& path,
                     AttestationReport& report);

// nvidia_payload is a JSON document inside a JSON string; `path` prefixes its problems.
// The member's JSON text as the verifiers take it: a string's content, else the value
// re-serialised (its bytes are not signed, so re-serialising loses nothing). Empty when absent.
std::string RawText(const rapidjson::Value& root, const char* key);

void ReadNvidiaPayload(const std::string& payload, const std::string& path,
                       AttestationReport& report);

}  // namespace teeharness::protocol
