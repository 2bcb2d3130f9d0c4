#include "tests/support/mock_trust.h"

namespace teeharness::testing {

std::vector<std::string> TrustMockRoots(const MockServer& mock, TempDir& dir) {
  const std::string root =
      dir.Write("root.pem", HttpRequest("GET", mock.url("/mock/pki/root.pem")).body);
  const std::string gpu_root =
      dir.Write("gpu-root.pem", HttpRequest("GET", mock.url("/mock/pki/nvidia-root.pem")).body);
  return {"--set", "attestation.trust_roots=[\"" + root + "\"]", "--set",
          "attestation.gpu_trust_roots=[\"" + gpu_root + "\"]"};
}

}  // namespace teeharness::testing
