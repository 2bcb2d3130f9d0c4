#include "harness/engine/loop/worker_loop.h"

#include <curl/curl.h>
#include <sys/prctl.h>

#include <algorithm>

#include "harness/engine/loop/proxy_environment.h"
#include "harness/engine/loop/tls_peer_key.h"

namespace teeharness::engine {
namespace {

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<HttpExchange*>(user);
  const size_t bytes = size * count;
  // Returning short makes curl abort the transfer with a write error (kTooLarge is preset).
  return exchange->TakeBody(std::string_view(data, bytes), Clock::now()) ? bytes : 0;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<HttpExchange*>(user);
  const size_t bytes = size * count;
  exchange->header_bytes += bytes;
  if (exchange->header_bytes > exchange->options->max_header_bytes) {
    exchange->result.error = TransportError::kTooLarge;
    return 0;  // curl aborts the transfer
  }
  std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    exchange->result.headers.clear();  // a new response (after 100-continue or a redirect)
    // The response has begun: the handle still refers to its connection (after the transfer it
    // may already have been handed back to the pool).
    if (exchange->want_peer_key && !exchange->result.peer_key_sha256) {
      const TlsPeer peer = ReadTlsPeer(exchange->easy);
      exchange->result.tls = peer.tls;
      exchange->result.peer_key_sha256 = peer.key_sha256;
    }
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  std::string name(line.substr(0, colon));
  // Header names are ASCII tokens: an inline ASCII fold (std::tolower is a locale-aware call per
  // character, and would fold bytes >= 0x80 under some locales).
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  exchange->TakeHeader(std::move(name), value);
  return bytes;
}

TransportError Classify(CURLcode code, CURL* easy, TransportError preset) {
  if (preset != TransportError::kNone) return preset;
  switch (code) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportError::kDns;
    case CURLE_COULDNT_CONNECT:
      return TransportError::kConnectRefused;
    case CURLE_OPERATION_TIMEDOUT: {
      // Not CONNECT_TIME: it is 0 on a kept-alive connection too, which made a server that stops
      // answering on a reused connection look like one that cannot be reached. PRETRANSFER is set
      // once the request is being sent, on new and reused connections alike.
      curl_off_t pretransfer = 0;
      curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
      if (pretransfer != 0) return TransportError::kTimeout;
      // Not sent: the name lookup or the connect timed out. libcurl 7.88 sets PRIMARY_IP only
      // once a connection is made, so an address that never answered left it empty and was
      // classified `dns` (found by Transport.AConnectionNeverAcceptedIsAConnectTimeout); the
      // lookup's end time is set as soon as there is an address to connect to.
      char* ip = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip);
      curl_off_t looked_up = 0;
      curl_easy_getinfo(easy, CURLINFO_NAMELOOKUP_TIME_T, &looked_up);
      const bool have_address = (ip != nullptr && *ip != '\0') || looked_up != 0;
      return have_address ? TransportError::kConnectTimeout : TransportError::kDns;
    }
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
      return TransportError::kReset;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return TransportError::kTls;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return TransportError::kProtocol;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportError::kAborted;
    case CURLE_FILESIZE_EXCEEDED:  // a declared Content-Length beyond hard_limit_bytes
      return TransportError::kTooLarge;
    default:
      return TransportError::kOther;
  }
}

enum MethodKind { kGet, kPost, kOther };

MethodKind KindOf(const std::string& method) {
  return method == "GET" ? kGet : method == "POST" ? kPost : kOther;
}

// The options that stay the same for every request with the same transport options and kind of
// method: set once per easy handle, kept across transfers.
void ConfigureSticky(CURL* easy, const TransportOptions& o, MethodKind method,
                     bool proxy_in_environment) {
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout.count()));
  // Refused before any body byte when the declared length is already too large.
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.hard_limit_bytes));
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                   o.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, o.insecure_tls ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, o.insecure_tls ? 0L : 2L);
  if (!o.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, o.ca_file.c_str());
  // The signed text hashes the exact bytes: no content decoding, no redirects to other bodies.
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, nullptr);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  if (!proxy_in_environment) {
    // What libcurl would decide from the (proxy-free) environment, without its getenv calls on
    // every transfer (see ProxyInEnvironment).
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
  }
  if (method == kPost) curl_easy_setopt(easy, CURLOPT_POST, 1L);
}

// Whether an easy handle configured by ConfigureSticky from `a` is configured as `b` asks.
bool SameSticky(const TransportOptions& a, const TransportOptions& b) {
  return a.connect_timeout == b.connect_timeout && a.total_timeout == b.total_timeout &&
         a.hard_limit_bytes == b.hard_limit_bytes && a.http2 == b.http2 &&
         a.insecure_tls == b.insecure_tls && a.ca_file == b.ca_file;
}

// The options that name this request and its exchange: set for every transfer.
void ConfigureRequest(CURL* easy, HttpExchange* exchange, curl_slist* headers) {
  const protocol::HttpCall& call = exchange->call;
  curl_easy_setopt(easy, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, exchange);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, exchange);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, exchange);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  switch (KindOf(call.method)) {
    case kGet:
      break;
    case kPost:
      // Not copied by libcurl: the exchange owns the body until the transfer is over.
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call.body.data());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(call.body.size()));
      break;
    case kOther:
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, call.method.c_str());
      break;
  }
}

}  // namespace

std::string_view TransportErrorName(TransportError error) {
  switch (error) {
    case TransportError::kNone:
      return "none";
    case TransportError::kDns:
      return "dns";
    case TransportError::kConnectRefused:
      return "connect_refused";
    case TransportError::kConnectTimeout:
      return "connect_timeout";
    case TransportError::kTimeout:
      return "timeout";
    case TransportError::kReset:
      return "reset";
    case TransportError::kTls:
      return "tls";
    case TransportError::kTooLarge:
      return "too_large";
    case TransportError::kProtocol:
      return "protocol";
    case TransportError::kAborted:
      return "aborted";
    case TransportError::kOther:
      return "other";
  }
  return "other";
}

std::string HttpResult::Header(const std::string& lowercase_name) const {
  const auto it = headers.find(lowercase_name);
  return it == headers.end() ? std::string() : it->second;
}

WorkerLoop::WorkerLoop()
    : proxy_in_environment_(ProxyInEnvironment()),
      native_(&poller_, [this](HttpExchange* exchange) { FinishNative(exchange); }),
      multi_(curl_multi_init()) {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

WorkerLoop::~WorkerLoop() {
  AbortAll();
  for (const IdleEasy& idle : idle_easy_) curl_easy_cleanup(static_cast<CURL*>(idle.easy));
  curl_multi_cleanup(multi_);
}

void WorkerLoop::Post(Task task) {
  {
    std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(task));
  }
  poller_.Wake();
}

void WorkerLoop::Stop() {
  stop_.store(true);
  poller_.Wake();
}

int WorkerLoop::OnSocket(void* /*easy*/, int socket, int what, void* loop, void* /*socket_data*/) {
  auto* self = static_cast<WorkerLoop*>(loop);
  if (what == CURL_POLL_REMOVE) {
    self->poller_.Unwatch(socket);
  } else {
    self->poller_.Watch(socket, what == CURL_POLL_IN || what == CURL_POLL_INOUT,
                        what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
  }
  return 0;
}

int WorkerLoop::OnTimer(CURLM* /*multi*/, long timeout_ms, void* loop) {
  auto* self = static_cast<WorkerLoop*>(loop);
  if (timeout_ms < 0) {
    self->curl_deadline_.reset();
  } else {
    self->curl_deadline_ = Clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

void WorkerLoop::At(Clock::time_point when, Task task) {
  timers_.push(Timer{when, timer_sequence_++, std::move(task)});
}

void* WorkerLoop::AcquireEasy(HttpExchange* exchange) {
  const MethodKind method = KindOf(exchange->call.method);
  CURL* easy = nullptr;
  if (idle_easy_.empty()) {
    easy = curl_easy_init();
    if (easy == nullptr) return nullptr;
    ConfigureSticky(easy, *exchange->options, method, proxy_in_environment_);
  } else {
    IdleEasy& idle = idle_easy_.back();
    easy = static_cast<CURL*>(idle.easy);
    const bool same = idle.method == method && SameSticky(idle.options, *exchange->options);
    idle_easy_.pop_back();
    if (!same) {
      // Reset clears options but keeps the handle's connection and DNS caches warm.
      curl_easy_reset(easy);
      ConfigureSticky(easy, *exchange->options, method, proxy_in_environment_);
    }
  }
  bool owned = false;
  curl_slist* headers = header_lists_.Get(exchange->call.headers, &owned);
  exchange->header_list = headers;
  exchange->owns_header_list = owned;
  ConfigureRequest(easy, exchange, headers);
  return easy;
}

void WorkerLoop::ReleaseEasy(HttpExchange* exchange) {
  if (exchange->owns_header_list) {
    HeaderLists::Release(static_cast<curl_slist*>(exchange->header_list));
  }
  exchange->header_list = nullptr;
  // Never left pointing at the exchange, which is freed next (a reused handle sets it again).
  CURL* easy = static_cast<CURL*>(exchange->easy);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, nullptr);
  idle_easy_.push_back(IdleEasy{easy, *exchange->options, KindOf(exchange->call.method)});
}

// "host:port" of a URL, the key of the unresolvable-name cache.
std::string WorkerLoop::Authority(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  return url.substr(start, url.find_first_of("/?#", start) - start);
}

void WorkerLoop::FailUnsent(std::unique_ptr<HttpExchange> owned, TransportError error,
                            const char* message) {
  HttpResult& result = owned->result;
  result.error = error;
  result.error_message = message;
  result.started = result.first_byte = result.finished = Clock::now();
  result.body_sha256 = owned->hasher.Finish();
  // From the loop, never inside Send: the caller does not expect its callback to run re-entrantly.
  At(result.finished, [exchange = std::shared_ptr<HttpExchange>(std::move(owned))] {
    if (exchange->on_done) exchange->on_done(exchange->result);
  });
}

void WorkerLoop::Send(std::unique_ptr<HttpExchange> owned) {
  if (refusing_) {
    return FailUnsent(std::move(owned), TransportError::kAborted,
                      "not sent: the phase is stopping");
  }
  // The lookup (and the string it builds) only once some name has failed.
  const auto unresolvable = unresolvable_until_.empty()
                                ? unresolvable_until_.end()
                                : unresolvable_until_.find(Authority(owned->call.url));
  if (unresolvable != unresolvable_until_.end() && Clock::now() < unresolvable->second) {
    // The name failed to resolve moments ago. Asking again for every request would start one
    // resolver thread each, and libcurl joins a resolver thread that outlived its transfer on
    // the loop thread: under load a dead name stalled the whole loop (measured: 2 s timeouts
    // taking 25 s). The request fails as the last one did, without being sent.
    return FailUnsent(std::move(owned), TransportError::kDns,
                      "could not resolve host (it failed under a second ago)");
  }
  if (!poller_.ok()) {
    return FailUnsent(std::move(owned), TransportError::kOther,
                      "not sent: the worker could not create its epoll set (descriptor limit?)");
  }
  HttpExchange* exchange = owned.get();
  exchange->result.started = Clock::now();
  if (exchange->options->native_http1 && !proxy_in_environment_ && native_.Send(exchange)) {
    return Track(owned.release());
  }
  CURL* easy = static_cast<CURL*>(AcquireEasy(exchange));
  if (easy == nullptr) {
    return FailUnsent(std::move(owned), TransportError::kOther, "not sent: curl_easy_init failed");
  }
  exchange->easy = easy;
  Track(owned.release());
  curl_multi_add_handle(multi_, easy);
}

void WorkerLoop::Track(HttpExchange* exchange) {
  exchange->active_index = active_.size();
  active_.push_back(exchange);
  in_flight_.fetch_add(1, std::memory_order_relaxed);
}

void WorkerLoop::Finish(HttpExchange* exchange, int curl_code) {
  CURL* easy = static_cast<CURL*>(exchange->easy);
  HttpResult& result = exchange->result;
  result.finished = Clock::now();
  if (!exchange->first_byte_seen) result.first_byte = result.finished;
  const auto code = static_cast<CURLcode>(curl_code);
  result.error = Classify(code, easy, result.error);
  if (result.error != TransportError::kNone) result.error_message = curl_easy_strerror(code);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &result.status);
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &result.new_connections);
  long version = 0;
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  result.http_major = version == CURL_HTTP_VERSION_2_0 ? 2 : (version == 0 ? 0 : 1);
  result.body_sha256 = exchange->hasher.Finish();
  if (result.error == TransportError::kDns) {
    unresolvable_until_[Authority(exchange->call.url)] = result.finished + kUnresolvableFor;
  }
  curl_multi_remove_handle(multi_, easy);
  ReleaseEasy(exchange);
  Retire(exchange);
}

void WorkerLoop::FinishNative(HttpExchange* exchange) {
  HttpResult& result = exchange->result;
  result.finished = Clock::now();
  if (!exchange->first_byte_seen) result.first_byte = result.finished;
  result.http_major = 1;
  result.body_sha256 = exchange->hasher.Finish();
  Retire(exchange);
}

void WorkerLoop::Retire(HttpExchange* exchange) {
  // Swap-remove: O(1) however many transfers are in flight (AbortAll takes them from the back).
  HttpExchange* last = active_.back();
  active_[exchange->active_index] = last;
  last->active_index = exchange->active_index;
  active_.pop_back();
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  std::unique_ptr<HttpExchange> owned(exchange);
  if (owned->on_done) owned->on_done(owned->result);
}

void WorkerLoop::AbortAll() {
  while (!active_.empty()) {
    HttpExchange* exchange = active_.back();
    exchange->result.error = TransportError::kAborted;
    if (exchange->easy == nullptr) {
      native_.Abort(exchange);
      FinishNative(exchange);
    } else {
      Finish(exchange, CURLE_ABORTED_BY_CALLBACK);
    }
  }
}

void WorkerLoop::CollectFinished() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    HttpExchange* exchange = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &exchange);
    const CURLcode code = message->data.result;
    Finish(exchange, code);
  }
}

void WorkerLoop::RunDueTimers() {
  const Clock::time_point now = Clock::now();
  while (!timers_.empty() && timers_.top().when <= now) {
    Task task = std::move(const_cast<Timer&>(timers_.top()).task);
    timers_.pop();
    task();
  }
}

void WorkerLoop::RunPostedTasks() {
  std::vector<Task> tasks;
  {
    std::lock_guard lock(posted_mutex_);
    tasks.swap(posted_);
  }
  for (Task& task : tasks) task();
}

Clock::duration WorkerLoop::WaitTimeout() const {
  // Nothing is due: Post and Stop wake the wait, so the bound only caps how long a missed wake-up
  // could delay anything.
  constexpr Clock::duration kIdle = std::chrono::milliseconds(50);
  const std::optional<Clock::time_point> native_due = native_.NextDue();
  if (timers_.empty() && !curl_deadline_ && !native_due) return kIdle;
  const Clock::time_point now = Clock::now();
  Clock::duration wait = kIdle;
  // Our timers to the nanosecond (the loop thread's timer slack is 1 us, see Run): open-loop
  // arrivals keep their precision without spinning through sub-millisecond waits.
  if (!timers_.empty()) wait = std::min(wait, timers_.top().when - now);
  // libcurl's timeouts have millisecond resolution, and waking before one is due would only spin
  // until it is.
  if (curl_deadline_) wait = std::min(wait, *curl_deadline_ - now);
  // The native client's deadlines (or a failure it must report at once).
  if (native_due)
    wait = *native_due <= now ? Clock::duration::zero() : std::min(wait, *native_due - now);
  return std::max(wait, Clock::duration::zero());
}

void WorkerLoop::WaitAndDispatch() {
  int running = 0;
  poller_.Wait(WaitTimeout(), [this, &running](const SocketPoller::Ready& ready) {
    if (native_.Owns(ready.fd)) return native_.OnReady(ready);
    const int mask = (ready.in ? CURL_CSELECT_IN : 0) | (ready.out ? CURL_CSELECT_OUT : 0) |
                     (ready.error ? CURL_CSELECT_ERR : 0);
    curl_multi_socket_action(multi_, ready.fd, mask, &running);
  });
  native_.Poll(Clock::now());
  // libcurl's own timeouts (connect and transfer timeouts, a just added transfer, the resolver):
  // its timer callback moves or clears curl_deadline_ as they are handled.
  if (curl_deadline_ && *curl_deadline_ <= Clock::now()) {
    const Clock::time_point due = *curl_deadline_;
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
    // Called before libcurl's own (sub-millisecond) due time, it does nothing and, its next
    // timeout unchanged, does not call back: look again in a millisecond rather than spin.
    if (curl_deadline_ == due) curl_deadline_ = due + std::chrono::milliseconds(1);
  }
}

void WorkerLoop::Run() {
  // Sleeps end within a microsecond of their deadline instead of the default 50 us of slack:
  // arrival timers stay precise now that the loop sleeps to them rather than spinning.
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  while (!stop_.load(std::memory_order_relaxed)) {
    WaitAndDispatch();
    CollectFinished();
    RunPostedTasks();
    RunDueTimers();
  }
}

}  // namespace teeharness::engine
