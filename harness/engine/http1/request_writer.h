#pragma once

#include <string>
#include <string_view>

#include "harness/protocol/endpoints.h"

namespace teeharness::engine::http1 {

// Whether the native client sends `call`'s body: for POST, as libcurl does with POSTFIELDS
// (other methods go out without one, as CURLOPT_CUSTOMREQUEST sends them).
bool SendsBody(const protocol::HttpCall& call);

// Writes the head of `call` (request line, headers, blank line) into *out, replacing what it
// held (its capacity is kept, so a connection's buffer stops allocating after the first
// request). The headers are libcurl's (7.88) for the same call, in its order, so that a server
// sees the same request whichever transport carried it: Host, Accept: */*, `call.headers` in
// order, then with a body Content-Length and Content-Type: application/x-www-form-urlencoded,
// each default unless the call names it. As with CURLOPT_HTTPHEADER, "Name:" with no value
// suppresses that header and "Name;" sends it empty. (libcurl also adds Expect: 100-continue to
// a body over 1 MiB and waits for the interim answer; this client sends the body at once.)
// Thread-safe (no shared state).
void WriteRequestHead(const protocol::HttpCall& call, std::string_view host_header,
                      std::string_view request_target, std::string* out);

}  // namespace teeharness::engine::http1
