#pragma once

#include <memory>
#include <string>

#include "harness/base/result.h"
#include "mocks/signer_backend.h"

namespace teeharness::mocks {

// The mock's HTTP/1.1 server: Boost.Beast with C++20 coroutines on an io_context run by
// `options.threads` threads (no thread per connection), keep-alive, chunked SSE streaming with
// asynchronous timers for ttft/itl/delays. Run() binds, prints `listening on HOST:PORT` once ready,
// and serves until SIGINT/SIGTERM. Not copyable; Run() is called once from the main thread.
class SignerServer {
 public:
  explicit SignerServer(std::unique_ptr<SignerBackend> backend);
  ~SignerServer();

  // Returns after a signal stopped the server; an Error when the address cannot be bound.
  Result<bool> Run();

 private:
  std::unique_ptr<SignerBackend> backend_;
};

}  // namespace teeharness::mocks
