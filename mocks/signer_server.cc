// Boost 1.74's Asio coroutine support needs <utility> before its headers with GCC 12.
#include "mocks/signer_server.h"

#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "mocks/pki/pki_routes.h"
#include "mocks/pki/process_pki.h"
#include "mocks/tls/tls_identity.h"

namespace teeharness::mocks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr uint64_t kBodyLimit = 10 * 1024 * 1024;  // larger requests get 413

awaitable<void> Sleep(Duration duration) {
  if (duration.count() <= 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  beast::error_code ec;
  co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
}

template <typename Message>
void SetHeaders(Message& message, const MockReply& reply, bool keep_alive) {
  message.result(reply.status);
  message.set(http::field::server, "teeharness-mock");
  for (const auto& [name, value] : reply.headers) message.set(name, value);
  message.keep_alive(keep_alive);
}

// A reset on purpose: RST instead of FIN, as a crashed upstream or proxy would produce.
void Reset(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().set_option(asio::socket_base::linger(true, 0), ec);
  stream.socket().close(ec);
}

// Writes a whole body. Returns false when the connection must end. `Stream` is a plain TCP or a
// TLS stream.
template <typename Stream>
awaitable<bool> WriteWhole(Stream& stream, MockReply& reply, bool keep_alive) {
  co_await Sleep(reply.first_delay);
  http::response<http::string_body> response;
  SetHeaders(response, reply, keep_alive);
  response.body() = reply.body;
  response.prepare_payload();
  beast::error_code ec;
  if (reply.reset_midway) {
    // Promise the whole body (Content-Length) and deliver half of it.
    http::response_serializer<http::string_body> serializer(response);
    co_await http::async_write_header(stream, serializer, asio::redirect_error(use_awaitable, ec));
    const std::string_view half(reply.body.data(), reply.body.size() / 2);
    co_await asio::async_write(stream, asio::buffer(half.data(), half.size()),
                               asio::redirect_error(use_awaitable, ec));
    Reset(beast::get_lowest_layer(stream));
    co_return false;
  }
  co_await http::async_write(stream, response, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return false;
  if (reply.after_send) reply.after_send(reply.body);
  co_return keep_alive;
}

// Streams SSE events with chunked transfer encoding, pacing them with timers.
template <typename Stream>
awaitable<bool> WriteStream(Stream& stream, MockReply& reply, bool keep_alive) {
  http::response<http::empty_body> response;
  SetHeaders(response, reply, keep_alive);
  response.chunked(true);
  http::response_serializer<http::empty_body> serializer(response);
  beast::error_code ec;
  co_await http::async_write_header(stream, serializer, asio::redirect_error(use_awaitable, ec));
  if (ec) co_return false;
  std::string sent;
  for (size_t i = 0; i < reply.events.size(); ++i) {
    // The role chunk goes at once; the first token waits for ttft, later ones for the gap.
    if (i == 1) co_await Sleep(reply.first_delay);
    if (i > 1 && (reply.paced_events == 0 || i < reply.paced_events)) co_await Sleep(reply.gap);
    if (reply.reset_midway && i == reply.events.size() / 2) {
      Reset(beast::get_lowest_layer(stream));
      co_return false;
    }
    const std::string& event = reply.events[i];
    co_await asio::async_write(stream, http::make_chunk(asio::buffer(event)),
                               asio::redirect_error(use_awaitable, ec));
    if (ec) co_return false;
    sent += event;
  }
  co_await asio::async_write(stream, http::make_chunk_last(),
                             asio::redirect_error(use_awaitable, ec));
  if (ec) co_return false;
  if (reply.after_send) reply.after_send(sent);
  co_return keep_alive;
}

bool FromLoopback(const tcp::socket& socket) {
  beast::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  return !ec && peer.address().is_loopback();
}

// Answers requests on one connection until it ends.
template <typename Stream>
awaitable<void> Serve(Stream& stream, SignerBackend& backend, bool loopback) {
  beast::error_code ec;
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    if (ec == http::error::body_limit) {
      MockReply reply = backend.PayloadTooLarge();
      co_await WriteWhole(stream, reply, false);
      break;
    }
    if (ec) break;  // end of stream, reset or malformed HTTP: nothing to answer
    auto& request = parser.get();
    MockRequest mock_request{std::string(request.method_string()), std::string(request.target()),
                             std::move(request.body()),
                             std::string(request[http::field::authorization]), loopback};
    // The mock's PKI collateral (PCS-style routes) is public, as Intel's PCS is: no API key, no
    // dialect faults. Everything else is the dialect's.
    std::optional<MockReply> pki_reply =
        pki::HandlePkiRequest(pki::ProcessMockPki(), mock_request.method, mock_request.target,
                              backend.CollateralVariant());
    MockReply reply = pki_reply ? std::move(*pki_reply) : backend.Handle(mock_request);
    co_await Sleep(reply.pre_delay);
    const bool keep_alive = request.keep_alive();
    const bool again = reply.events.empty() ? co_await WriteWhole(stream, reply, keep_alive)
                                            : co_await WriteStream(stream, reply, keep_alive);
    if (!again) break;
  }
}

awaitable<void> Session(tcp::socket socket, SignerBackend& backend) {
  const bool loopback = FromLoopback(socket);
  beast::tcp_stream stream(std::move(socket));
  co_await Serve(stream, backend, loopback);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

// HTTPS: the handshake, then the same requests as in plain HTTP.
awaitable<void> TlsSession(tcp::socket socket, asio::ssl::context& context,
                           SignerBackend& backend) {
  const bool loopback = FromLoopback(socket);
  TlsStream stream(beast::tcp_stream(std::move(socket)), context);
  beast::error_code ec;
  co_await stream.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(use_awaitable, ec));
  if (ec) co_return;  // not TLS, or a client that gave up: nothing to answer
  co_await Serve(stream, backend, loopback);
  co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
}

// `tls` null: plain HTTP.
awaitable<void> Listen(tcp::acceptor& acceptor, SignerBackend& backend, asio::ssl::context* tls) {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // EMFILE and friends: keep serving the connections we have; retry accepting shortly.
      co_await Sleep(std::chrono::milliseconds(10));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (tls != nullptr) {
      asio::co_spawn(acceptor.get_executor(), TlsSession(std::move(socket), *tls, backend),
                     asio::detached);
    } else {
      asio::co_spawn(acceptor.get_executor(), Session(std::move(socket), backend), asio::detached);
    }
  }
}

// Idle keep-alive connections each hold a descriptor: allow as many as the hard limit permits.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// The server's TLS context for `identity`; an Error naming what OpenSSL refused.
Result<bool> ConfigureTls(const tls::TlsIdentity& identity, asio::ssl::context& context) {
  beast::error_code ec;
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                          asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1,
                      ec);
  if (!ec) {
    context.use_certificate_chain(
        asio::buffer(identity.certificate_pem.data(), identity.certificate_pem.size()), ec);
  }
  if (ec) return MakeError("--tls: the certificate: ", ec.message());
  context.use_private_key(
      asio::buffer(identity.private_key_pem.data(), identity.private_key_pem.size()),
      asio::ssl::context::pem, ec);
  if (ec) return MakeError("--tls: the private key: ", ec.message());
  return true;
}

Result<tls::TlsIdentity> TlsIdentityFor(const SignerOptions& options) {
  if (options.tls_cert.empty()) return tls::MakeSelfSignedTlsIdentity();
  return tls::LoadTlsIdentity(options.tls_cert, options.tls_key);
}

}  // namespace

SignerServer::SignerServer(std::unique_ptr<SignerBackend> backend) : backend_(std::move(backend)) {}
SignerServer::~SignerServer() = default;

Result<bool> SignerServer::Run() {
  std::signal(SIGPIPE, SIG_IGN);
  RaiseDescriptorLimit();
  (void)pki::ProcessMockPki();  // create the PKI's keys and certificates before serving
  const SignerOptions& options = backend_->options();
  asio::io_context io(options.threads);
  std::optional<tls::TlsIdentity> identity;
  std::optional<asio::ssl::context> tls_context;
  if (options.tls) {
    Result<tls::TlsIdentity> made = TlsIdentityFor(options);
    if (!made.ok()) return Error{made.error()};
    identity = std::move(made).value();
    tls_context.emplace(asio::ssl::context::tls_server);
    if (Result<bool> ok = ConfigureTls(*identity, *tls_context); !ok.ok()) return ok;
    backend_->SetTlsIdentity(&*identity);
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.listen_host, ec);
  if (ec) return MakeError("--listen: '", options.listen_host, "' is not an IP address");
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(options.listen_port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError("cannot listen on ", options.listen_host, ":", options.listen_port, ": ",
                     ec.message());
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code&, int) { io.stop(); });
  asio::co_spawn(io, Listen(acceptor, *backend_, tls_context ? &*tls_context : nullptr),
                 asio::detached);
  const auto bound = acceptor.local_endpoint();
  std::printf("listening on %s:%u%s\n", bound.address().to_string().c_str(), bound.port(),
              options.tls ? " (https)" : "");
  std::fflush(stdout);
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (std::thread& thread : threads) thread.join();
  return true;
}

}  // namespace teeharness::mocks
