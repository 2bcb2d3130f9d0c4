#include "mocks/pki/persisted_pki.h"

#include <openssl/rand.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "mocks/pki/gpu_pki.h"
#include "mocks/pki/mock_pki.h"
#include "mocks/pki/process_pki.h"

namespace teeharness::mocks::pki {
namespace {

std::string Serialised(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<bool> Install(MockPki dcap, MockGpuPki gpu) {
  if (!InstallProcessMockPki(std::move(dcap)) || !InstallProcessMockGpuPki(std::move(gpu))) {
    return MakeError("the mock's PKI already exists in this process with another root");
  }
  return true;
}

Result<std::string> MakeFresh() {
  uint64_t seed = 0;
  while (seed == 0) {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof(seed)) != 1) {
      return MakeError("mock PKI: no random seed");
    }
  }
  Result<MockPki> dcap = MockPki::Create(seed);
  if (!dcap.ok()) return Error{dcap.error()};
  Result<MockGpuPki> gpu = MockGpuPki::Create();
  if (!gpu.ok()) return Error{gpu.error()};
  Result<std::string> dcap_json = dcap->Snapshot();
  if (!dcap_json.ok()) return Error{dcap_json.error()};
  Result<std::string> gpu_json = gpu->Snapshot();
  if (!gpu_json.ok()) return Error{gpu_json.error()};
  if (Result<bool> ok = Install(std::move(dcap).value(), std::move(gpu).value()); !ok.ok()) {
    return Error{ok.error()};
  }
  return "{\"dcap\":" + *dcap_json + ",\"gpu\":" + *gpu_json + "}";
}

}  // namespace

Result<std::optional<std::string>> InstallPersistedPkis(const rapidjson::Value* pki_member) {
  if (pki_member == nullptr) {
    Result<std::string> fresh = MakeFresh();
    if (!fresh.ok()) return Error{fresh.error()};
    return std::optional<std::string>(std::move(fresh).value());
  }
  if (!pki_member->IsObject()) return MakeError("\"pki\" is not an object");
  const auto dcap_member = pki_member->FindMember("dcap");
  const auto gpu_member = pki_member->FindMember("gpu");
  if (dcap_member == pki_member->MemberEnd() || gpu_member == pki_member->MemberEnd()) {
    return MakeError("\"pki\" needs both \"dcap\" and \"gpu\"");
  }
  Result<MockPki> dcap = MockPki::FromSnapshot(Serialised(dcap_member->value));
  if (!dcap.ok()) return MakeError("pki.dcap: ", dcap.error());
  Result<MockGpuPki> gpu = MockGpuPki::FromSnapshot(Serialised(gpu_member->value));
  if (!gpu.ok()) return MakeError("pki.gpu: ", gpu.error());
  if (Result<bool> ok = Install(std::move(dcap).value(), std::move(gpu).value()); !ok.ok()) {
    return Error{ok.error()};
  }
  return std::optional<std::string>();
}

}  // namespace teeharness::mocks::pki
