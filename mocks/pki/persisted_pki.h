#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

#include "harness/base/result.h"

namespace teeharness::mocks::pki {

// The mock's two PKIs (the DCAP PKI that signs its quotes and the GPU device PKI) as --key-file
// keeps them: the key file's "pki" member, {"dcap": MockPki::Snapshot(), "gpu":
// MockGpuPki::Snapshot()}. Given that member, rebuilds both and installs them as the process PKIs
// (so a restarted mock serves the same roots, byte for byte) and returns nullopt; given null (a key
// file from before, or a new one), makes both afresh (the DCAP keys from a random seed), installs
// them and returns the member to store. Errors name what in the member is wrong. Call before the
// mock serves (not thread-safe against a concurrent first use of the process PKIs).
Result<std::optional<std::string>> InstallPersistedPkis(const rapidjson::Value* pki_member);

}  // namespace teeharness::mocks::pki
