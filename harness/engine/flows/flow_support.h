#pragma once

// What every flow is built from: sending a request (counted, timed, errors classified, Retry-After
// honoured), recording check outcomes, and the per-request context that --requests-out lines read.
// Internal to the flows (harness/engine/flows/); everything here runs on a worker's loop thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/checks/error_checks.h"
#include "harness/checks/outcome.h"
#include "harness/engine/flows/flows.h"
#include "harness/engine/loop/http_exchange.h"
#include "harness/protocol/endpoints.h"

namespace teeharness::reports {
struct RequestRecord;
}

namespace teeharness::engine::flow {

using ResultFn = std::function<void(HttpResult&)>;

// Why an iteration (or a step of it) failed: "" when it succeeded, else a low-cardinality kind from
// the error vocabulary (a transport error, "http_<status>", or an unusable response), so that
// every iteration is counted exactly once under teeharness_iterations_total{outcome}.
using Failure = std::string;
using FailureFn = std::function<void(const Failure&)>;

// The failure kind of a response that is not a usable 200.
Failure ResponseFailure(const HttpResult& r);

// The iteration whose code runs now on this loop thread, and the line of the response being
// handled (null while none is, or without --requests-out). Flows are chains of callbacks: the
// iteration is set when one starts and while one of its responses or timers runs, so every request
// knows its iteration without each step passing it along; the checks, errors and chat id a response
// leads to land on its line.
struct RequestContext {
  uint64_t iteration = 0;
  reports::RequestRecord* record = nullptr;
};
// Constant-initialised, so reading it from another file needs no TLS init wrapper.
extern constinit thread_local RequestContext t_request;

// Sets t_request for a scope, restoring the outer one after.
class RequestScope {
 public:
  RequestScope(uint64_t iteration, reports::RequestRecord* record) : saved_(t_request) {
    t_request = {iteration, record};
  }
  ~RequestScope() { t_request = saved_; }
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  RequestContext saved_;
};

// Notes the chat id on the line of the response being handled (--requests-out).
void NoteChatId(const std::string& chat_id);

// Runs `task` on the loop at `when` in the current iteration's context (which only the request
// lines read).
void Later(FlowEnv& env, Clock::time_point when, std::function<void()> task);

// Counts an error of `kind` (teeharness_errors_total) and notes it on the response's line.
void CountError(FlowEnv& env, const std::string& kind);

double Seconds(Clock::duration d);

// `bytes` random bytes (OpenSSL's RAND_bytes) as lowercase hex.
std::string RandomHex(size_t bytes);

// At most the first 120 bytes of `body`, for evidence.
std::string Excerpt(const std::string& body);

// HTTP statuses that Send leaves for its caller to judge instead of counting them as errors.
enum class Judged {
  kNone,          // every transport error and every HTTP status >= 400 is an error
  kClientErrors,  // the negative flow asks for 4xx answers: its observations (a 5xx is an error)
  kNotFound,      // a signature's 404: the readiness race (the caller counts a retry, or
                  // signature_not_ready at the deadline) or, past the window, the expected answer
};

// Sends one request: adds the API key, counts it, records its latency under `op` from
// `measure_from`, and counts transport and HTTP errors by kind (except what `judged` leaves to the
// caller). With honor_retry_after a 429 that carries Retry-After is waited out and the same
// request sent again (at most kMaxRetries times); each 429 is an error.
void Send(FlowEnv& env, const std::string& op, protocol::HttpCall call,
          Clock::time_point measure_from,
          std::function<void(std::string_view, Clock::time_point)> on_chunk, ResultFn then,
          bool with_auth = true, Judged judged = Judged::kNone, int retries = 0);

// A response as ERR-SHAPE judges it.
checks::ErrorResponse AsError(const std::string& what, const HttpResult& r);

// Records outcomes for the phase; the failed ones (not the skipped) are also noted on the line of
// the response they judged.
void Record(FlowEnv& env, checks::Outcome outcome);
void Record(FlowEnv& env, std::vector<checks::Outcome> outcomes);

// True unless one of `outcomes` failed (a skip is not a failure).
bool NoneFailed(const std::vector<checks::Outcome>& outcomes);
// False when one of `outcomes` failed or could not run.
bool AllPassed(const std::vector<checks::Outcome>& outcomes);

}  // namespace teeharness::engine::flow
