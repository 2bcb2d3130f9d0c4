#pragma once

namespace teeharness::engine {

// Whether the environment names a proxy libcurl would use for http:// or https:// URLs
// (http_proxy, HTTP_PROXY, https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY set and not empty).
// libcurl reads these, and no_proxy, with getenv on every transfer; a worker decides once at
// start: with none set, it tells libcurl "no proxy" outright (the decision libcurl would reach),
// and with one set it leaves the lookup to libcurl, so users who rely on a proxy keep it.
// Thread-safe as long as nothing calls setenv concurrently.
bool ProxyInEnvironment();

}  // namespace teeharness::engine
