#include "harness/engine/flows/flows.h"

#include "harness/engine/flows/attest_flow.h"
#include "harness/engine/flows/chat_flow.h"
#include "harness/engine/flows/negative_flow.h"
#include "harness/engine/flows/retention_flow.h"

namespace teeharness::engine {

using flow::Attest;
using flow::Completion;
using flow::Failure;
using flow::JudgeSlo;
using flow::RequestScope;
using flow::ResponseFailure;
using flow::RetentionProbe;
using flow::RunNegative;
using flow::Seconds;
using flow::Send;
using flow::VerifiedChat;

bool IsFlow(const std::string& name) {
  return name == "attest" || name == "verified_chat" || name == "retention_probe" ||
         name == "negative" || name == "http";
}

void StartIteration(FlowEnv& env, Clock::time_point intended, std::function<void()> done) {
  const Clock::time_point actual = Clock::now();
  RequestScope scope(++env.iterations, nullptr);
  env.live->in_flight.fetch_add(1, std::memory_order_relaxed);
  env.live->started.fetch_add(1, std::memory_order_relaxed);
  auto finish = [&env, intended, actual, done = std::move(done)](const Failure& failure) {
    env.series->Iterations(failure.empty() ? "succeeded" : failure)->Add();
    env.live->iterations.fetch_add(1, std::memory_order_relaxed);
    env.live->in_flight.fetch_sub(1, std::memory_order_relaxed);
    const Clock::time_point end = Clock::now();
    env.live->OnIterationEnd(failure.empty(), end);  // consecutive_failures, no_success_for
    // Corrected (from the intended start) and uncorrected (from the actual start): the gap between
    // the two is what coordinated omission would have hidden.
    env.series->Iteration("intended")->Observe(Seconds(end - intended));
    env.series->Iteration("actual")->Observe(Seconds(end - actual));
    done();
  };
  const std::string& flow = env.phase->flow;
  if (flow == "attest") {
    Attest(env, intended, finish);
  } else if (flow == "verified_chat") {
    VerifiedChat(env, intended,
                 [&env, finish](std::shared_ptr<Completion> c, const Failure& failure) {
                   if (c && failure.empty()) JudgeSlo(env, *c);
                   finish(failure);
                 });
  } else if (flow == "retention_probe") {
    RetentionProbe(env, intended, finish);
  } else if (flow == "negative") {
    RunNegative(env, intended, finish);
  } else {
    Send(env, "http", env.config->endpoints.Root(), intended, {},
         [finish](HttpResult& r) { finish(r.ok() && r.status < 400 ? "" : ResponseFailure(r)); });
  }
}

}  // namespace teeharness::engine
