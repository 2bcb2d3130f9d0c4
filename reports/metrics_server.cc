// Boost 1.74's Asio coroutine support needs <utility> before its headers with GCC 12.
#include "reports/metrics_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <utility>

namespace teeharness::reports {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

asio::awaitable<void> Serve(tcp::socket socket, const MetricsRegistry& registry) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request<http::empty_body> request;
    co_await http::async_read(stream, buffer, request,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    http::response<http::string_body> response;
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    if (request.method() != http::verb::get || request.target() != "/metrics") {
      response.result(http::status::not_found);
      response.set(http::field::content_type, "text/plain");
      response.body() = "see /metrics\n";
    } else if (std::string(request[http::field::accept]).find("application/openmetrics-text") !=
               std::string::npos) {
      response.set(http::field::content_type,
                   "application/openmetrics-text; version=1.0.0; charset=utf-8");
      response.body() = registry.RenderOpenMetrics();
    } else {
      response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response.body() = registry.RenderPrometheus();
    }
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !response.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, const MetricsRegistry& registry) {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket), registry), asio::detached);
  }
}

}  // namespace

struct MetricsServer::Impl {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
};

MetricsServer::MetricsServer(const MetricsRegistry& registry) : registry_(registry) {}
MetricsServer::~MetricsServer() { Stop(); }

Result<bool> MetricsServer::Start(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos)
    return MakeError("--metrics-listen expects HOST:PORT, got '", host_port, "'");
  host_ = host_port.substr(0, colon);
  const int port = std::atoi(host_port.c_str() + colon + 1);
  beast::error_code ec;
  const auto address = asio::ip::make_address(host_, ec);
  if (ec || port < 0 || port > 65535)
    return MakeError("--metrics-listen: bad address '", host_port, "'");
  impl_ = std::make_unique<Impl>();
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return MakeError("--metrics-listen: cannot listen on ", host_port, ": ", ec.message());
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, Accept(impl_->acceptor, registry_), asio::detached);
  thread_ = std::thread([this] { impl_->io.run(); });
  return true;
}

void MetricsServer::Stop() {
  if (!impl_) return;
  impl_->io.stop();
  if (thread_.joinable()) thread_.join();
  impl_.reset();
}

}  // namespace teeharness::reports
