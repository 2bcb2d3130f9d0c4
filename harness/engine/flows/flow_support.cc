#include "harness/engine/flows/flow_support.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "harness/crypto/hex.h"
#include "reports/request_log/request_log.h"

namespace teeharness::engine::flow {

constinit thread_local RequestContext t_request;

namespace {

// One response's line while it is handled; submitted when the handling is over (after the flow's
// continuation, which may have ended the phase: nothing of the FlowEnv is touched then).
class RequestLine {
 public:
  RequestLine(reports::RequestLog* log, const FlowEnv& env, const std::string& op,
              uint64_t iteration, Clock::time_point intended, const HttpResult& r)
      : log_(log) {
    if (log_ == nullptr) return;
    record_.phase = env.phase->name;
    record_.op = op;
    record_.worker = env.worker;
    record_.iteration = iteration;
    record_.intended = intended;
    record_.start = r.started;
    record_.first_byte = r.first_byte;
    record_.end = r.finished;
    record_.status = r.ok() ? r.status : 0;
    record_.bytes = r.body_bytes;
  }
  ~RequestLine() {
    if (log_ != nullptr) log_->Submit(std::move(record_));
  }
  RequestLine(const RequestLine&) = delete;
  RequestLine& operator=(const RequestLine&) = delete;
  reports::RequestRecord* record() { return log_ != nullptr ? &record_ : nullptr; }

 private:
  reports::RequestLog* log_;
  reports::RequestRecord record_;
};

// With honor_retry_after, a 429 carrying Retry-After (seconds, capped at 60) is waited out.
std::optional<Clock::duration> RetryAfter(FlowEnv& env, const HttpResult& r) {
  if (!env.phase->honor_retry_after || !r.ok() || r.status != 429) return std::nullopt;
  const std::string header = r.Header("retry-after");
  char* end = nullptr;
  const double seconds = std::strtod(header.c_str(), &end);
  if (header.empty() || *end != '\0' || !(seconds >= 0)) return std::nullopt;
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::min(seconds, 60.0)));
}

// The failed ones (not the skipped) are also noted on the line of the response they judged.
void NoteFailed(const checks::Outcome& outcome) {
  if (t_request.record != nullptr && !outcome.passed && !outcome.skipped) {
    t_request.record->failed_checks.emplace_back(outcome.id);
  }
}

}  // namespace

Failure ResponseFailure(const HttpResult& r) {
  if (!r.ok()) return std::string(TransportErrorName(r.error));
  return "http_" + std::to_string(r.status);
}

void NoteChatId(const std::string& chat_id) {
  if (t_request.record != nullptr) t_request.record->chat_id = chat_id;
}

// Runs `task` on the loop at `when` in the current iteration's context (which only the request
// lines read).
void Later(FlowEnv& env, Clock::time_point when, std::function<void()> task) {
  if (env.config->request_log == nullptr) return env.loop->At(when, std::move(task));
  env.loop->At(when, [iteration = t_request.iteration, task = std::move(task)] {
    RequestScope scope(iteration, nullptr);
    task();
  });
}

void CountError(FlowEnv& env, const std::string& kind) {
  env.series->Errors(kind)->Add();
  env.live->errors.fetch_add(1, std::memory_order_relaxed);
  if (t_request.record != nullptr && t_request.record->error.empty()) {
    t_request.record->error = kind;
  }
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string RandomHex(size_t bytes) {
  crypto::Bytes buffer(bytes);
  RAND_bytes(buffer.data(), static_cast<int>(buffer.size()));
  return crypto::EncodeHex(buffer);
}

std::string Excerpt(const std::string& body) {
  return body.size() <= 120 ? body : body.substr(0, 120) + "...";
}

void Send(FlowEnv& env, const std::string& op, protocol::HttpCall call,
          Clock::time_point measure_from,
          std::function<void(std::string_view, Clock::time_point)> on_chunk, ResultFn then,
          bool with_auth, Judged judged, int retries) {
  constexpr int kMaxRetries = 3;  // a server that always answers 429 must not loop forever
  auto exchange = std::make_unique<HttpExchange>();
  // Only a phase that honours Retry-After keeps a copy of the request (without the key) to send
  // again; every other request moves its body straight into the exchange.
  std::shared_ptr<const protocol::HttpCall> retry;
  if (env.phase->honor_retry_after && retries < kMaxRetries) {
    retry = std::make_shared<const protocol::HttpCall>(call);
  }
  exchange->call = std::move(call);
  if (with_auth && !env.config->auth_header.empty()) {
    exchange->call.headers.push_back(env.config->auth_header);
  }
  exchange->options = &env.config->transport;
  exchange->on_chunk = std::move(on_chunk);
  // TLS-BIND compares the report with the key of the connection that fetched it.
  exchange->want_peer_key = op == "attest" && env.config->expect.tls_binding;
  FlowEnv* e = &env;
  exchange->on_done = [e, op, measure_from, judged, retry, on_chunk = exchange->on_chunk, with_auth,
                       retries, iteration = t_request.iteration,
                       then = std::move(then)](HttpResult& result) {
    // Declared first, so that its line is submitted last, once the continuation has run.
    RequestLine line(e->config->request_log, *e, op, iteration, measure_from, result);
    RequestScope scope(iteration, line.record());
    e->live->requests.fetch_add(1, std::memory_order_relaxed);
    const double seconds = Seconds(result.finished - std::min(measure_from, result.started));
    e->series->Duration(op)->Observe(seconds);
    e->series
        ->Requests(op, result.ok() ? std::to_string(result.status)
                                   : std::string(TransportErrorName(result.error)))
        ->Add();
    const bool left_to_caller =
        result.ok() &&
        ((judged == Judged::kClientErrors && result.status >= 400 && result.status < 500) ||
         (judged == Judged::kNotFound && result.status == 404));
    if (!result.ok() || (result.status >= 400 && !left_to_caller)) {
      CountError(*e, ResponseFailure(result));
    }
    if (retry) {
      if (const std::optional<Clock::duration> wait = RetryAfter(*e, result)) {
        Later(*e, Clock::now() + *wait, [e, op, retry, on_chunk, then, with_auth, judged, retries] {
          Send(*e, op, *retry, Clock::now(), on_chunk, then, with_auth, judged, retries + 1);
        });
        return;
      }
    }
    then(result);
  };
  env.loop->Send(std::move(exchange));
}

checks::ErrorResponse AsError(const std::string& what, const HttpResult& r) {
  return {what, r.status, r.Header("content-type"), r.body};
}

void Record(FlowEnv& env, checks::Outcome outcome) {
  NoteFailed(outcome);
  env.recorder->Record(env.phase->name, std::move(outcome));
}
void Record(FlowEnv& env, std::vector<checks::Outcome> outcomes) {
  for (const checks::Outcome& outcome : outcomes) NoteFailed(outcome);
  env.recorder->Record(env.phase->name, std::move(outcomes));
}

// True unless one of `outcomes` failed (a skip is not a failure).
bool NoneFailed(const std::vector<checks::Outcome>& outcomes) {
  return std::none_of(outcomes.begin(), outcomes.end(),
                      [](const checks::Outcome& o) { return !o.passed && !o.skipped; });
}

bool AllPassed(const std::vector<checks::Outcome>& outcomes) {
  for (const checks::Outcome& o : outcomes) {
    if (!o.passed || o.skipped) return false;
  }
  return true;
}

}  // namespace teeharness::engine::flow
