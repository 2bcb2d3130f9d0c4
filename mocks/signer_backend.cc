#include "mocks/signer_backend.h"

#include <openssl/rand.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "harness/crypto/signature.h"
#include "harness/crypto/signed_text.h"
#include "harness/protocol/json_body.h"
#include "mocks/attestation_builder.h"
#include "mocks/generation_model.h"
#include "mocks/query_param.h"

namespace teeharness::mocks {
namespace {

using protocol::Dialect;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string RandomHex(size_t bytes) {
  crypto::Bytes buffer(bytes);
  RAND_bytes(buffer.data(), static_cast<int>(buffer.size()));
  return crypto::EncodeHex(buffer);
}

// Fault draws need no cryptographic quality; one generator per server thread avoids locking.
double Uniform() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

std::string Json(const std::function<void(Writer&)>& fill) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  fill(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void Put(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

// Deterministic completion text: token i of every response is the same word.
std::string Token(int i) { return i == 0 ? "Mock" : " token" + std::to_string(i); }

// The bug the text_mismatch fault reproduces: hashing the body after re-serialising its JSON
// (here, pretty-printed) instead of the bytes that went on the wire.
std::string Reserialised(const std::string& body) {
  rapidjson::Document doc;
  if (!protocol::ParseUntrustedJson(body, doc).ok()) return body + " ";
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return buffer.GetString();
}

// The usage object of a completion: prompt, completion and total tokens.
struct Usage {
  int prompt = 0;
  int completion = 0;
};

void PutUsage(Writer& w, const Usage& usage) {
  w.Key("usage");
  w.StartObject();
  w.Key("prompt_tokens");
  w.Int(usage.prompt);
  w.Key("completion_tokens");
  w.Int(usage.completion);
  w.Key("total_tokens");
  w.Int(usage.prompt + usage.completion);
  w.EndObject();
}

std::string StreamEvent(const std::string& id, const std::string& model, int64_t created,
                        const std::function<void(Writer&)>& choice, std::optional<Usage> usage) {
  return "data: " + Json([&](Writer& w) {
           w.StartObject();
           Put(w, "id", id);
           Put(w, "object", "chat.completion.chunk");
           w.Key("created");
           w.Int64(created);
           Put(w, "model", model);
           w.Key("choices");
           w.StartArray();
           if (choice) choice(w);
           w.EndArray();
           if (usage) PutUsage(w, *usage);
           w.EndObject();
         }) +
         "\n\n";
}

// The role chunk, one chunk per token, the finish chunk, with include_usage OpenAI's extra last
// chunk (no choices, the usage), and [DONE].
std::vector<std::string> StreamEvents(const std::string& id, const std::string& model,
                                      const Usage& usage, bool include_usage) {
  const int tokens = usage.completion;
  const int64_t created = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  auto delta = [](const char* key, const std::string& value, const char* finish) {
    return [=](Writer& w) {
      w.StartObject();
      w.Key("index");
      w.Int(0);
      w.Key("delta");
      w.StartObject();
      if (key != nullptr) Put(w, key, value);
      w.EndObject();
      w.Key("finish_reason");
      finish ? w.String(finish) : w.Null();
      w.EndObject();
    };
  };
  std::vector<std::string> events;
  events.push_back(StreamEvent(id, model, created, delta("role", "assistant", nullptr), {}));
  for (int i = 0; i < tokens; ++i) {
    events.push_back(StreamEvent(id, model, created, delta("content", Token(i), nullptr), {}));
  }
  events.push_back(StreamEvent(id, model, created, delta(nullptr, "", "length"), {}));
  if (include_usage) events.push_back(StreamEvent(id, model, created, {}, usage));
  events.push_back("data: [DONE]\n\n");
  return events;
}

std::string CompletionBody(const std::string& id, const std::string& model, const Usage& usage) {
  const int tokens = usage.completion;
  std::string content;
  for (int i = 0; i < tokens; ++i) content += Token(i);
  return Json([&](Writer& w) {
    w.StartObject();
    Put(w, "id", id);
    Put(w, "object", "chat.completion");
    w.Key("created");
    w.Int64(std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count());
    Put(w, "model", model);
    w.Key("choices");
    w.StartArray();
    w.StartObject();
    w.Key("index");
    w.Int(0);
    w.Key("message");
    w.StartObject();
    Put(w, "role", "assistant");
    Put(w, "content", content);
    w.EndObject();
    Put(w, "finish_reason", "length");
    w.EndObject();
    w.EndArray();
    PutUsage(w, usage);
    w.EndObject();
  });
}

// The mock's tokenizer: one token per whitespace-separated word of every message's string content
// (the synthetic prompts' rule, README "Request sources"), at least 1.
int PromptTokens(const rapidjson::Value& messages) {
  int words = 0;
  for (const auto& message : messages.GetArray()) {
    if (!message.IsObject()) continue;
    const auto content = message.FindMember("content");
    if (content == message.MemberEnd() || !content->value.IsString()) continue;
    const std::string_view text(content->value.GetString(), content->value.GetStringLength());
    bool in_word = false;
    for (const char c : text) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      words += !space && !in_word;
      in_word = !space;
    }
  }
  return std::max(words, 1);
}

// stream_options.include_usage: true.
bool IncludeUsage(const rapidjson::Document& doc) {
  const auto options = doc.FindMember("stream_options");
  if (options == doc.MemberEnd() || !options->value.IsObject()) return false;
  const auto include = options->value.FindMember("include_usage");
  return include != options->value.MemberEnd() && include->value.IsBool() &&
         include->value.GetBool();
}

// Delay draws need no cryptographic quality; one generator per server thread avoids locking.
workload::SplitMix64& Draws() {
  thread_local workload::SplitMix64 generator{std::random_device{}()};
  return generator;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

}  // namespace

Result<std::unique_ptr<SignerBackend>> SignerBackend::Create(SignerOptions options) {
  std::unique_ptr<SignerBackend> backend(new SignerBackend(std::move(options)));
  const SignerOptions& o = backend->options_;
  for (int i = 0; i < o.replicas; ++i) {
    KeyPair keys = KeyPair::Generate();
    // Only the first replica's keys come from the key file: replicas model different keys.
    if (i == 0 && !o.key_file.empty()) {
      Result<KeyPair> loaded = LoadOrCreateKeyFile(o.key_file);
      if (!loaded.ok()) return Error{loaded.error()};
      keys = std::move(loaded).value();
    }
    backend->replicas_.push_back(std::unique_ptr<Replica>(
        new Replica{std::move(keys), SignatureCache(o.retention, o.cache_cap, o.signature_delay)}));
  }
  return backend;
}

SignerBackend::SignerBackend(SignerOptions options)
    : options_(std::move(options)),
      flap_keys_(KeyPair::Generate()),
      stranger_keys_(KeyPair::Generate()),
      gateway_keys_(KeyPair::Generate()),
      model_id_("6f1c2a9e-0b7d-4c1e-9a55-" + crypto::Sha256::HashHex(options_.model).substr(0, 12)),
      image_digest_("sha256:" + crypto::Sha256::HashHex("teeharness-mock-image:" + options_.model)),
      generation_({static_cast<unsigned>(options_.capacity), options_.ttft, options_.itl,
                   options_.batch_slowdown}) {}

void SignerBackend::CountDistinctBody(const std::string& body) {
  const crypto::Hash32 hash = crypto::Sha256::Hash(body);
  std::lock_guard lock(bodies_mutex_);
  if (bodies_seen_.size() < kMaxDistinctBodies) {
    bodies_seen_.insert(hash);
  } else if (!bodies_seen_.count(hash)) {
    bodies_capped_ = true;
  }
}

bool SignerBackend::Fault(const char* name) const {
  const auto it = options_.faults.find(name);
  return it != options_.faults.end() && (it->second >= 1.0 || Uniform() < it->second);
}

pki::QuoteFields SignerBackend::QuoteFaults() const {
  pki::QuoteFields fields;
  fields.corrupt_quote_signature = Fault("quote_bad_signature");
  fields.corrupt_qe_report_signature = Fault("qe_report_bad_signature");
  if (Fault("pck_untrusted_root")) fields.pck = pki::MockPki::Pck::kUntrusted;
  if (Fault("pck_revoked")) fields.pck = pki::MockPki::Pck::kRevoked;
  if (Fault("tcb_out_of_date")) fields.tcb = pki::QuoteTcb::kOutOfDate;
  if (Fault("tcb_revoked")) fields.tcb = pki::QuoteTcb::kRevoked;
  fields.debug_td = Fault("debug_td");
  fields.wrong_mr_td = Fault("wrong_mrtd");
  return fields;
}

pki::MockPki::Collateral SignerBackend::CollateralVariant() const {
  return Fault("collateral_expired") ? pki::MockPki::Collateral::kExpired
                                     : pki::MockPki::Collateral::kCurrent;
}

Replica& SignerBackend::NextReplica() {
  return *replicas_[round_robin_.fetch_add(1, std::memory_order_relaxed) % replicas_.size()];
}

const KeyPair& SignerBackend::SigningKeys(Replica& replica) {
  if (Fault("address_flap") && flap_.fetch_add(1, std::memory_order_relaxed) % 2 == 1) {
    return flap_keys_;
  }
  return replica.keys;
}

MockReply SignerBackend::ErrorReply(unsigned status, const std::string& message,
                                    const std::string& type, const std::string& param) const {
  MockReply reply;
  reply.status = status;
  reply.headers = {{"Content-Type", "application/json"}};
  reply.body = Json([&](Writer& w) {
    w.StartObject();
    w.Key("error");
    w.StartObject();
    Put(w, "message", message);
    Put(w, "type", type);
    w.Key("param");
    param.empty() ? w.Null() : w.String(param.c_str());
    w.Key("code");
    w.Null();
    w.EndObject();
    w.EndObject();
  });
  return reply;
}

MockReply SignerBackend::PayloadTooLarge() const {
  return ErrorReply(413, "Request body larger than 10 MiB", "bad_request");
}

MockReply SignerBackend::Handle(const MockRequest& request) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  const size_t question = request.target.find('?');
  const std::string path = request.target.substr(0, question);
  const std::string query =
      question == std::string::npos ? "" : request.target.substr(question + 1);
  if (path == "/admin/stats") {
    return request.loopback_peer ? Stats() : ErrorReply(403, "loopback only", "forbidden");
  }
  if (!options_.api_key.empty() && request.authorization != "Bearer " + options_.api_key) {
    return Unauthorized(request);
  }
  if (Fault("error_500")) return ErrorReply(500, "Injected internal error", "internal_error");
  if (Fault("error_429")) {
    MockReply reply = ErrorReply(429, "Rate limit exceeded", "rate_limited");
    reply.headers.emplace_back("Retry-After", "1");
    return reply;
  }
  MockReply reply;
  const bool ionet = options_.dialect == Dialect::kIonet;
  if (!ionet && request.method == "GET" && path == "/v1/attestation/report") {
    reply = Attestation(request, query);
  } else if (ionet && request.method == "POST" && path == "/v1/private/attestation") {
    reply = IonetAttestation(request);
  } else if (ionet && request.method == "GET" && path == "/v1/models") {
    reply = Models();
  } else if (request.method == "POST" &&
             path == (ionet ? "/v1/private/completions" : "/v1/chat/completions")) {
    reply = Chat(request);
  } else if (!ionet && request.method == "GET" && path.rfind("/v1/signature/", 0) == 0) {
    reply = Signature(path.substr(std::string("/v1/signature/").size()), query);
  } else {
    reply = ErrorReply(404, "Not found: " + request.method + " " + path, "not_found");
  }
  if (Fault("slow")) reply.pre_delay += options_.slow_delay;
  return reply;
}

bool SignerBackend::Near2026() const {
  return options_.dialect == Dialect::kNear && options_.near_version == "2026";
}

MockReply SignerBackend::Unauthorized(const MockRequest& request) const {
  if (!Near2026()) return ErrorReply(401, "Missing or invalid API key", "unauthorized");
  // NEAR's gateway tells a missing header from a wrong one.
  if (request.authorization.empty()) {
    return ErrorReply(401, "Missing authorization header", "missing_auth_header");
  }
  return ErrorReply(401, "Invalid API key", "invalid_auth_header");
}

MockReply SignerBackend::Attestation(const MockRequest& request, const std::string& query) {
  if (Near2026()) return Near2026Attestation(query);
  const std::string algo = QueryParam(query, "signing_algo").value_or("ecdsa");
  if (algo != "ecdsa" && algo != "ed25519") {
    return ErrorReply(400, "Invalid signing algorithm: " + algo, "invalid_signing_algo");
  }
  std::string nonce = QueryParam(query, "nonce").value_or(RandomHex(32));
  if (!crypto::IsHexDigits(nonce))
    return ErrorReply(400, "Nonce must be hex-encoded", "bad_request");
  if (nonce.size() < 64 && Fault("nonce_left_padded")) nonce.insert(0, 64 - nonce.size(), '0');
  if (nonce.size() != 64) return ErrorReply(400, "Nonce must be 32 bytes", "bad_request");
  for (char& c : nonce) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (Fault("stale_report")) {
    std::lock_guard lock(stale_mutex_);
    if (!stale_report_.empty()) {
      MockReply reply;
      reply.headers = {{"Content-Type", "application/json"}};
      reply.body = stale_report_;
      return reply;
    }
  }
  Replica& replica = NextReplica();
  ReportInputs in;
  in.keys = &SigningKeys(replica);
  in.quote = QuoteFaults();
  in.algo = algo;
  in.nonce_hex = nonce;
  in.echoed_nonce = Fault("nonce_not_echoed") ? RandomHex(32) : nonce;
  in.model = options_.model;
  in.gpus = options_.gpus;
  in.gpu_faults = {Fault("gpu_bad_signature"), Fault("gpu_wrong_nonce"),
                   Fault("gpu_untrusted_chain"), Fault("gpu_wrong_measurement")};
  in.event_log_mismatch = Fault("event_log_mismatch");
  in.compose_mismatch = Fault("compose_mismatch");
  in.lowercase_address = options_.dialect == Dialect::kNear;
  MockReply reply;
  reply.headers = {{"Content-Type", "application/json"}};
  reply.body = BuildProxyReport(in, options_.dialect == Dialect::kNear);
  if (options_.faults.count("stale_report")) {
    std::lock_guard lock(stale_mutex_);
    if (stale_report_.empty()) stale_report_ = reply.body;
  }
  (void)request;
  return reply;
}

// NEAR 2026 (PROTOCOLS.md): the gateway's attestation and the model TEE's, each binding the nonce
// and its own key; the gateway signs with ed25519 unless told, the proxy with ecdsa.
MockReply SignerBackend::Near2026Attestation(const std::string& query) {
  const std::optional<std::string> asked_algo = QueryParam(query, "signing_algo");
  if (asked_algo && *asked_algo != "ecdsa" && *asked_algo != "ed25519") {
    return ErrorReply(400, "Invalid parameter: signing_algo must be ecdsa or ed25519",
                      "invalid_request_error", "signing_algo");
  }
  std::string nonce = QueryParam(query, "nonce").value_or(RandomHex(32));
  if (!crypto::IsHexDigits(nonce)) {
    return ErrorReply(400, "Invalid nonce format", "invalid_request_error", "nonce");
  }
  if (nonce.size() < 64 && Fault("nonce_left_padded")) nonce.insert(0, 64 - nonce.size(), '0');
  if (nonce.size() != 64) {
    return ErrorReply(400,
                      "Invalid parameter: Nonce must be exactly 32 bytes, got " +
                          std::to_string(nonce.size() / 2) + " bytes",
                      "invalid_request_error", "nonce");
  }
  for (char& c : nonce) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Replica& replica = NextReplica();
  ReportInputs model;
  model.keys = &SigningKeys(replica);
  model.algo = asked_algo.value_or("ecdsa");
  model.nonce_hex = nonce;
  model.echoed_nonce = Fault("nonce_not_echoed") ? RandomHex(32) : nonce;
  model.model = options_.model;
  model.gpus = options_.gpus;
  model.lowercase_address = true;
  model.quote = QuoteFaults();
  model.gpu_faults = {Fault("gpu_bad_signature"), Fault("gpu_wrong_nonce"),
                      Fault("gpu_untrusted_chain"), Fault("gpu_wrong_measurement")};
  model.event_log_mismatch = Fault("event_log_mismatch");
  model.compose_mismatch = Fault("compose_mismatch");
  const std::string wanted = QueryParam(query, "signing_address").value_or("");
  const std::string shown =
      model.algo == "ed25519" ? model.keys->Ed25519Hex() : model.keys->LowerAddress();
  if (!wanted.empty() && !crypto::SameAddress(wanted, shown) && wanted != shown) {
    return ErrorReply(404, "Signing address not found on this server", "not_found_error");
  }
  ReportInputs gateway = model;
  gateway.keys = &gateway_keys_;
  gateway.algo = asked_algo.value_or("ed25519");
  gateway.echoed_nonce = nonce;
  if (Fault("gateway_wrong_binding")) gateway.bound_keys = &stranger_keys_;
  // The gateway terminates the client's TLS: asked, it binds that key (PROTOCOLS.md "TLS
  // binding"); tls_key_mismatch binds and states another key's fingerprint, consistently, so that
  // only the comparison with the connection's key can catch it.
  std::string tls_certificate;
  if (tls_identity_ != nullptr && QueryParam(query, "include_tls_fingerprint") == "true") {
    gateway.tls_fingerprint = tls_identity_->spki_sha256;
    if (Fault("tls_key_mismatch")) {
      gateway.tls_fingerprint = crypto::Sha256::Hash(crypto::ByteSpan(*gateway.tls_fingerprint));
    }
    tls_certificate = tls_identity_->certificate_pem;
  }
  MockReply reply;
  reply.headers = {{"Content-Type", "application/json"}};
  reply.body = BuildNear2026Report(gateway, model, tls_certificate);
  return reply;
}

MockReply SignerBackend::IonetAttestation(const MockRequest& request) {
  rapidjson::Document doc;
  if (!protocol::ParseUntrustedJson(request.body, doc).ok() || !doc.IsObject() ||
      !doc.HasMember("nonce") || !doc["nonce"].IsString() || !doc.HasMember("model_id") ||
      !doc["model_id"].IsString()) {
    return ErrorReply(400, "Body must be {\"model_id\":string,\"nonce\":hex string}",
                      "bad_request");
  }
  if (doc["model_id"].GetString() != model_id_)
    return ErrorReply(404, "Unknown model_id", "not_found");
  std::string nonce = doc["nonce"].GetString();
  if (!crypto::IsHexDigits(nonce) || nonce.size() > 64) {
    return ErrorReply(400, "Nonce must be at most 64 hex characters", "bad_request");
  }
  for (char& c : nonce) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The documented rule pads on the right; the fault pads on the left.
  if (Fault("nonce_left_padded")) {
    nonce.insert(0, 64 - nonce.size(), '0');
  } else {
    nonce.append(64 - nonce.size(), '0');
  }
  Replica& replica = NextReplica();
  ReportInputs in;
  in.keys = &SigningKeys(replica);
  in.quote = QuoteFaults();
  in.nonce_hex = nonce;
  in.echoed_nonce = Fault("nonce_not_echoed") ? RandomHex(32) : nonce;
  in.model = options_.model;
  in.gpus = options_.gpus;
  in.gpu_faults = {Fault("gpu_bad_signature"), Fault("gpu_wrong_nonce"),
                   Fault("gpu_untrusted_chain"), Fault("gpu_wrong_measurement")};
  in.event_log_mismatch = Fault("event_log_mismatch");
  in.compose_mismatch = Fault("compose_mismatch");
  in.image_digest = image_digest_;
  MockReply reply;
  reply.headers = {{"Content-Type", "application/json"}};
  reply.body = BuildIonetReport(in);
  return reply;
}

MockReply SignerBackend::Models() const {
  MockReply reply;
  reply.headers = {{"Content-Type", "application/json"}};
  reply.body = Json([&](Writer& w) {
    w.StartObject();
    w.Key("data");
    w.StartArray();
    w.StartObject();
    Put(w, "name", options_.model);
    Put(w, "model_id", model_id_);
    w.Key("supports_attestation");
    w.Bool(true);
    w.EndObject();
    w.EndArray();
    w.EndObject();
  });
  return reply;
}

MockReply SignerBackend::Chat(const MockRequest& request) {
  rapidjson::Document doc;
  // Clients are untrusted too: depth-checked, iterative parsing.
  if (!protocol::ParseUntrustedJson(request.body, doc).ok() || !doc.IsObject()) {
    return ErrorReply(400, "Request body is not a JSON object", "bad_request");
  }
  const auto messages = doc.FindMember("messages");
  if (messages == doc.MemberEnd() || !messages->value.IsArray() || messages->value.Empty()) {
    return ErrorReply(400, "\"messages\" must be a non-empty array", "bad_request");
  }
  const auto stream_member = doc.FindMember("stream");
  const bool stream = stream_member != doc.MemberEnd() && stream_member->value.IsBool() &&
                      stream_member->value.GetBool();
  // Length: a draw of output_tokens (or --tokens), capped by the request's max_tokens.
  int tokens = options_.output_tokens
                   ? static_cast<int>(std::min<uint32_t>(
                         workload::SampleTokens(*options_.output_tokens, Draws()), 1000000))
                   : options_.tokens;
  const auto max_tokens = doc.FindMember("max_tokens");
  if (max_tokens != doc.MemberEnd() && max_tokens->value.IsInt() &&
      max_tokens->value.GetInt() > 0) {
    tokens = std::min(tokens, max_tokens->value.GetInt());
  }
  const Usage usage{PromptTokens(messages->value), tokens};
  const GenerationModel::Plan plan =
      generation_.Admit(GenerationModel::Clock::now(), static_cast<uint32_t>(tokens), Draws());
  CountDistinctBody(request.body);
  const std::string id = "chatcmpl-" + RandomHex(16);
  MockReply reply;
  reply.pre_delay = plan.queued;
  reply.reset_midway = Fault("reset_mid_stream");
  if (stream) {
    reply.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
    reply.events = StreamEvents(id, options_.model, usage, IncludeUsage(doc));
    reply.first_delay = plan.ttft;
    reply.gap = plan.per_token;
    reply.paced_events = static_cast<size_t>(tokens) + 1;  // the role chunk and the tokens
  } else {
    reply.headers = {{"Content-Type", "application/json"}};
    reply.body = CompletionBody(id, options_.model, usage);
    reply.first_delay = plan.ttft + plan.per_token * std::max(tokens - 1, 0);
  }
  Replica& replica = NextReplica();
  const KeyPair& keys = SigningKeys(replica);
  const bool mismatch = Fault("text_mismatch");
  if (options_.dialect == Dialect::kIonet) {
    // io.net returns the signature in the response headers: sign the body before sending it.
    const std::string body = stream ? Join(reply.events) : reply.body;
    const std::string hashed = mismatch ? Reserialised(body) : body;
    Sign(replica, keys, id, request.body, hashed);
    if (std::optional<CachedSignature> s =
            replica.cache.Get(id, SignatureCache::Clock::now() + options_.signature_delay)) {
      reply.headers.emplace_back("text", s->text);
      reply.headers.emplace_back("signature", s->ecdsa_signature);
      reply.headers.emplace_back("signing_address", s->ecdsa_address);
      reply.headers.emplace_back("signing_algo", "ecdsa");
      reply.headers.emplace_back("image_digest", image_digest_);
    }
    return reply;
  }
  reply.after_send = [this, &replica, &keys, id, request_body = request.body,
                      mismatch](const std::string& sent) {
    Sign(replica, keys, id, request_body, mismatch ? Reserialised(sent) : sent);
  };
  return reply;
}

bool SignerBackend::GatewaySigns() {
  if (options_.signature_kind == "alternate") {
    return kinds_.fetch_add(1, std::memory_order_relaxed) % 2 == 1;
  }
  return options_.signature_kind == "gateway";
}

void SignerBackend::Sign(Replica& replica, const KeyPair& model_keys, const std::string& chat_id,
                         const std::string& request_body, const std::string& hashed_response) {
  CachedSignature entry;
  // near 2026: provider_tee rows are signed by the model key over model:req:resp, gateway rows by
  // the gateway key over req:resp; wrong_signature_kind labels a row with the other kind.
  const bool gateway = Near2026() && GatewaySigns();
  const bool mislabelled = Near2026() && Fault("wrong_signature_kind");
  const KeyPair& keys = gateway != mislabelled ? gateway_keys_ : model_keys;
  if (Near2026()) entry.signature_kind = gateway ? "gateway" : "provider_tee";
  const std::string model = options_.dialect == Dialect::kNear && !gateway ? options_.model : "";
  const std::string text = crypto::SignedTextForBodies(request_body, hashed_response, model);
  const bool bad = Fault("bad_signature");
  // bad_signature signs other bytes; wrong_address signs with a key no report ever showed.
  const std::string signed_bytes = bad ? text + "#" : text;
  const KeyPair& signer = Fault("wrong_address") ? stranger_keys_ : keys;
  if (Fault("stream_disconnected")) {
    entry.error_code = "STREAM_DISCONNECTED";
  } else if (Fault("signature_unsupported")) {
    entry.error_code = "SIGNATURE_UNSUPPORTED";
  }
  entry.text = text;
  entry.ecdsa_signature =
      crypto::EncodeEthSignature(signer.ecdsa().SignPersonalMessage(signed_bytes));
  entry.ecdsa_address =
      options_.dialect == Dialect::kNear ? keys.LowerAddress() : keys.ChecksumAddress();
  entry.ed25519_signature = crypto::EncodeHex(signer.ed25519().Sign(signed_bytes));
  entry.ed25519_public_key = keys.Ed25519Hex();
  std::optional<SignatureCache::Clock::duration> ttl;
  if (Fault("early_expiry")) {
    ttl = std::chrono::duration_cast<SignatureCache::Clock::duration>(options_.retention / 10);
  }
  replica.cache.Put(chat_id, std::move(entry), SignatureCache::Clock::now(), ttl);
  signed_.fetch_add(1, std::memory_order_relaxed);
}

MockReply SignerBackend::Signature(const std::string& chat_id, const std::string& query) {
  const std::string algo = QueryParam(query, "signing_algo").value_or("ecdsa");
  if (algo != "ecdsa" && algo != "ed25519") {
    return ErrorReply(400, "Invalid signing algorithm: " + algo, "invalid_signing_algo");
  }
  Replica& replica = NextReplica();
  std::optional<CachedSignature> entry = replica.cache.Get(chat_id, SignatureCache::Clock::now());
  if (!entry) {
    MockReply reply = Near2026() ? ErrorReply(404, "Signature not found: " + chat_id + ":" + algo,
                                              "not_found_error")
                                 : ErrorReply(404, "Chat id not found or expired", "not_found");
    if (Fault("not_found_200")) reply.status = 200;  // older servers' answer
    return reply;
  }
  const bool ecdsa = algo == "ecdsa";
  MockReply reply;
  reply.headers = {{"Content-Type", "application/json"}};
  if (!entry->error_code.empty()) {
    // NEAR's gateway: a chat without a signature is a 200 with an error_code.
    reply.body = Json([&](Writer& w) {
      w.StartObject();
      Put(w, "error_code", entry->error_code);
      Put(w, "message",
          entry->error_code == "STREAM_DISCONNECTED"
              ? "The stream was disconnected before the response was signed"
              : "Signatures are not supported for this model");
      w.EndObject();
    });
    return reply;
  }
  reply.body = Json([&](Writer& w) {
    w.StartObject();
    Put(w, "text", entry->text);
    Put(w, "signature", ecdsa ? entry->ecdsa_signature : entry->ed25519_signature);
    Put(w, "signing_address", ecdsa ? entry->ecdsa_address : entry->ed25519_public_key);
    Put(w, "signing_algo", algo);
    if (!entry->signature_kind.empty()) Put(w, "signature_kind", entry->signature_kind);
    w.EndObject();
  });
  return reply;
}

MockReply SignerBackend::Stats() const {
  MockReply reply;
  reply.headers = {{"Content-Type", "application/json"}};
  reply.body = Json([&](Writer& w) {
    uint64_t cached = 0, evictions = 0, expirations = 0;
    for (const auto& replica : replicas_) {
      cached += replica->cache.size();
      evictions += replica->cache.evictions();
      expirations += replica->cache.expirations();
    }
    w.StartObject();
    w.Key("requests");
    w.Uint64(requests_.load());
    w.Key("signed");
    w.Uint64(signed_.load());
    w.Key("signatures_cached");
    w.Uint64(cached);
    w.Key("evictions");
    w.Uint64(evictions);
    w.Key("expirations");
    w.Uint64(expirations);
    {
      std::lock_guard lock(bodies_mutex_);
      w.Key("distinct_chat_bodies");
      w.Uint64(bodies_seen_.size());
      w.Key("distinct_chat_bodies_capped");
      w.Bool(bodies_capped_);
    }
    Put(w, "dialect", std::string(protocol::DialectName(options_.dialect)));
    w.Key("replicas");
    w.StartArray();
    for (const auto& replica : replicas_) {
      w.StartObject();
      Put(w, "address", replica->keys.ChecksumAddress());
      Put(w, "ed25519_public_key", replica->keys.Ed25519Hex());
      w.EndObject();
    }
    w.EndArray();
    // near 2026: the gateway's key (attested in gateway_attestation, signs "gateway" rows).
    w.Key("gateway");
    w.StartObject();
    Put(w, "address", gateway_keys_.LowerAddress());
    Put(w, "ed25519_public_key", gateway_keys_.Ed25519Hex());
    w.EndObject();
    w.EndObject();
  });
  return reply;
}

}  // namespace teeharness::mocks
