#pragma once

#include <cstdint>

#include "mocks/pki/mock_pki.h"

namespace teeharness::mocks::pki {

// The mock process's one PKI: every quote it signs and every collateral route it serves use it, so
// a verifier given its root accepts them all. Created on first use (thread-safe, C++ static
// initialisation); the server calls it at start so the first attestation does not pay for it.
// Aborts with a message if OpenSSL cannot create keys (nothing could be served then).
const MockPki& ProcessMockPki();

// Makes `pki` the process PKI (--key-file). Only before the first ProcessMockPki() call; after
// it, true only when the process PKI already has the same root certificate.
bool InstallProcessMockPki(MockPki pki);

// Seeds the process PKI (0, the default: fresh keys). Only effective before the first
// ProcessMockPki() call; returns false when the PKI already exists with another seed.
bool SetProcessMockPkiSeed(uint64_t seed);

}  // namespace teeharness::mocks::pki
