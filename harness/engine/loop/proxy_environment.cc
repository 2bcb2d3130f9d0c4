#include "harness/engine/loop/proxy_environment.h"

#include <cstdlib>
#include <initializer_list>

namespace teeharness::engine {

bool ProxyInEnvironment() {
  // libcurl 7.88 reads "<scheme>_proxy" (and, for https only, its upper-case form), then
  // all_proxy / ALL_PROXY. HTTP_PROXY is listed too: a user who set it expects a proxy, and
  // leaving the decision to libcurl keeps its own answer (it ignores HTTP_PROXY on purpose).
  for (const char* name :
       {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

}  // namespace teeharness::engine
