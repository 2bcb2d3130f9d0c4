#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "harness/crypto/bytes.h"
#include "mocks/generation_model.h"
#include "mocks/pki/mock_pki.h"
#include "mocks/pki/quote_signer.h"
#include "mocks/signature_cache.h"
#include "mocks/signer_keys.h"
#include "mocks/signer_options.h"
#include "mocks/tls/tls_identity.h"

namespace teeharness::mocks {

// One request as the server read it.
struct MockRequest {
  std::string method;
  std::string target;  // path and query
  std::string body;    // the exact bytes received
  std::string authorization;
  bool loopback_peer = true;
};

// What to send back, and how: a whole body, or SSE events paced by first_delay and gap. The
// server calls after_send with the exact body bytes it sent, once the last one is out (that is when
// real servers sign), unless the connection was reset on purpose.
struct MockReply {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                 // non-streamed
  std::vector<std::string> events;  // streamed: each a complete "data: ...\n\n"
  Duration pre_delay{0};            // before anything (the `slow` fault)
  Duration first_delay{0};          // before the first token
  Duration gap{0};                  // between streamed events
  size_t paced_events = 0;          // streamed: only events before this index wait `gap` (0: all)
  bool reset_midway = false;        // close the connection halfway through the body
  std::function<void(const std::string& sent)> after_send;
};

// A replica: its own keys and its own signature cache, like one pod behind a load balancer.
struct Replica {
  KeyPair keys;
  SignatureCache cache;
};

// The mock's behaviour: every endpoint of the configured dialect, keys, caches and faults.
// Thread-safe: Handle() may run on several server threads at once.
class SignerBackend {
 public:
  // Errors at start-up: an unreadable key file.
  static Result<std::unique_ptr<SignerBackend>> Create(SignerOptions options);

  MockReply Handle(const MockRequest& request);
  MockReply PayloadTooLarge() const;

  const SignerOptions& options() const { return options_; }
  // The identity the server serves HTTPS with (--tls), set before serving; null: plain HTTP.
  void SetTlsIdentity(const tls::TlsIdentity* identity) { tls_identity_ = identity; }
  // The collateral the PCS routes serve (kExpired with the collateral_expired fault).
  pki::MockPki::Collateral CollateralVariant() const;

 private:
  explicit SignerBackend(SignerOptions options);

  bool Fault(const char* name) const;
  // The quote faults of one report (quote_bad_signature, pck_revoked, debug_td, ...).
  pki::QuoteFields QuoteFaults() const;
  Replica& NextReplica();
  const KeyPair& SigningKeys(Replica& replica);

  bool Near2026() const;
  MockReply Unauthorized(const MockRequest& request) const;
  MockReply Attestation(const MockRequest& request, const std::string& query);
  MockReply Near2026Attestation(const std::string& query);
  MockReply IonetAttestation(const MockRequest& request);
  MockReply Models() const;
  MockReply Chat(const MockRequest& request);
  MockReply Signature(const std::string& chat_id, const std::string& query);
  MockReply Stats() const;
  // An OpenAI-shaped error body; `param` is null when empty.
  MockReply ErrorReply(unsigned status, const std::string& message, const std::string& type,
                       const std::string& param = {}) const;
  void Sign(Replica& replica, const KeyPair& keys, const std::string& chat_id,
            const std::string& request_body, const std::string& hashed_response);
  // near 2026: whether this chat's row is signed by the gateway (--signature-kind).
  bool GatewaySigns();
  // Counts the chat's request body among the distinct ones seen (the stats' distinct_chat_bodies).
  void CountDistinctBody(const std::string& body);

  SignerOptions options_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  KeyPair flap_keys_;      // the second key of address_flap
  KeyPair stranger_keys_;  // the never-attested key of wrong_address
  const tls::TlsIdentity* tls_identity_ = nullptr;
  KeyPair gateway_keys_;  // near 2026: the cloud-api gateway's own attested key
  std::string model_id_;  // ionet
  std::string image_digest_;
  std::atomic<uint64_t> round_robin_{0};
  std::atomic<uint64_t> flap_{0};
  std::atomic<uint64_t> kinds_{0};  // --signature-kind alternate
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> signed_{0};
  GenerationModel generation_;
  // SHA-256 of each distinct chat request body, up to kMaxDistinctBodies (then only counted as
  // capped): proof in /admin/stats that a run sent different bodies.
  static constexpr size_t kMaxDistinctBodies = 100000;
  mutable std::mutex bodies_mutex_;
  std::set<crypto::Hash32> bodies_seen_;
  bool bodies_capped_ = false;
  std::mutex stale_mutex_;
  std::string stale_report_;  // the first report, replayed by stale_report
};

}  // namespace teeharness::mocks
