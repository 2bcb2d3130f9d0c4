#include "harness/engine/flows/retention_flow.h"

#include <algorithm>
#include <memory>

#include "harness/checks/retention_checks.h"
#include "harness/engine/flows/chat_flow.h"

namespace teeharness::engine::flow {
namespace {

struct Probe {
  std::shared_ptr<Completion> completion;
  checks::RetentionObservation observation;
  double interval = 1;
  double until = 0;
};

// A 404 is what the probe is looking for (SIG-RETAIN and SIG-EXPIRE judge when it came), not an
// error.
void ProbeAgain(FlowEnv& env, std::shared_ptr<Probe> p, FailureFn done) {
  Send(
      env, "signature",
      env.config->endpoints.Signature(p->completion->chat_id, env.config->signing_algo,
                                      env.config->model),
      Clock::now(), {},
      [&env, p, done](HttpResult& r) {
        NoteChatId(p->completion->chat_id);
        // Cut by the harness (an interrupt or an abort): the window was not watched to its end.
        if (r.error == TransportError::kAborted) return done(ResponseFailure(r));
        const double age = Seconds(Clock::now() - p->completion->response_end);
        checks::RetentionProbe probe{age, r.ok() ? r.status : 0, true};
        if (r.ok() && r.status == 404) {
          probe.error_shape_ok = checks::CheckErrorShape(env.config->endpoints.dialect(),
                                                         AsError("expired signature", r))
                                     .passed;
        }
        p->observation.probes.push_back(probe);
        if (age < p->until) {
          const auto next = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(p->interval));
          Later(env, next, [&env, p, done] { ProbeAgain(env, p, done); });
          return;
        }
        Record(env, checks::CheckRetention(p->observation));
        const checks::RetentionWindow window = checks::MeasureRetention(p->observation);
        if (window.first_gone > 0) env.series->Retention()->Observe(window.first_gone);
        done("");
      },
      true, Judged::kNotFound);
}

}  // namespace

void RetentionProbe(FlowEnv& env, Clock::time_point intended, FailureFn done) {
  VerifiedChat(env, intended, [&env, done](std::shared_ptr<Completion> c, const Failure& failure) {
    if (!c) return done(failure);
    auto p = std::make_shared<Probe>();
    p->completion = c;
    const double retention = env.config->expect.retention_seconds;
    const double configured = std::chrono::duration<double>(env.phase->probe_interval).count();
    p->interval = configured > 0 ? configured : std::clamp(retention / 20, 0.1, 15.0);
    p->until = retention + 2 * p->interval + 1;
    p->observation = {c->chat_id, retention, p->interval + 0.25, {}};
    ProbeAgain(env, p, done);
  });
}

}  // namespace teeharness::engine::flow
