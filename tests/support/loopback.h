#pragma once

namespace teeharness::testing {

// A TCP socket listening on 127.0.0.1 at a port the kernel chose (port 0), with `backlog`; the
// port goes to `*port`. Returns the descriptor (the caller closes it), -1 when it could not be
// made. Thread-safe.
int ListenLoopback(int backlog, int* port);

}  // namespace teeharness::testing
