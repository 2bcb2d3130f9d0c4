// TLS against a real nginx on loopback with a throwaway self-signed certificate: verification is on
// by default (an unknown CA is a `tls` error), a CA file makes it pass, insecure_tls skips it, and
// HTTP/2 is negotiated over TLS when asked for.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "harness/engine/load/workload.h"
#include "tests/support/files.h"
#include "tests/support/subprocess.h"

namespace teeharness::engine {
namespace {

class TlsServer {
 public:
  TlsServer() {
    const auto cert =
        testing::RunProcess({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                             "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                             dir_.path() + "/key.pem", "-out", dir_.path() + "/cert.pem"});
    EXPECT_EQ(cert.exit_code, 0) << cert.err;
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
    std::filesystem::create_directories(dir_.path() + "/www");
    dir_.Write("www/hello.json", R"({"hello":"tls"})");
    for (int attempt = 0; attempt < 20 && !ready_; ++attempt) {
      port_ = 20000 + static_cast<int>(std::hash<std::string>{}(dir_.path()) % 30000) + attempt;
      const std::string d = dir_.path();
      dir_.Write("nginx.conf", "worker_processes 1; pid " + d + "/nginx.pid; error_log " + d +
                                   "/error.log; events {} http { access_log off;"
                                   " client_body_temp_path " +
                                   d + "; proxy_temp_path " + d + "; fastcgi_temp_path " + d +
                                   "; uwsgi_temp_path " + d + "; scgi_temp_path " + d +
                                   "; server { listen 127.0.0.1:" + std::to_string(port_) +
                                   " ssl http2; ssl_certificate " + d +
                                   "/cert.pem; ssl_certificate_key " + d + "/key.pem; root " + d +
                                   "/www; default_type application/json; } }");
      const auto started =
          testing::RunProcess({"/usr/sbin/nginx", "-c", d + "/nginx.conf", "-p", d});
      ready_ = started.exit_code == 0;  // nginx daemonises once it has bound the port
    }
  }
  ~TlsServer() {
    std::ifstream pid(dir_.path() + "/nginx.pid");
    int value = 0;
    if (pid >> value) kill(value, SIGTERM);
  }
  bool ready() const { return ready_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/hello.json"; }
  std::string ca() const { return dir_.path() + "/cert.pem"; }

 private:
  testing::TempDir dir_;
  int port_ = 0;
  bool ready_ = false;
};

HttpResult Get(Workers& workers, const std::string& url, const TransportOptions& options) {
  std::promise<HttpResult> promise;
  workers.loop(0).Post([&] {
    auto exchange = std::make_unique<HttpExchange>();
    exchange->call = {"GET", url, {}, {}};
    exchange->options = &options;
    exchange->on_done = [&promise](HttpResult& r) { promise.set_value(std::move(r)); };
    workers.loop(0).Send(std::move(exchange));
  });
  return promise.get_future().get();
}

TEST(Tls, VerificationCaFileInsecureAndHttp2) {
  TlsServer server;
  ASSERT_TRUE(server.ready());
  Workers workers(1);
  TransportOptions strict;
  HttpResult r;
  // nginx may take a moment after daemonising: retry connection refusals only.
  for (int i = 0; i < 50; ++i) {
    r = Get(workers, server.url(), strict);
    if (r.error != TransportError::kConnectRefused) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(r.error, TransportError::kTls) << r.error_message;
  TransportOptions with_ca;
  with_ca.ca_file = server.ca();
  r = Get(workers, server.url(), with_ca);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.body, R"({"hello":"tls"})");
  TransportOptions insecure;
  insecure.insecure_tls = true;
  insecure.http2 = true;
  r = Get(workers, server.url(), insecure);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.http_major, 2);                                    // negotiated by ALPN
  EXPECT_EQ(Get(workers, server.url(), with_ca).http_major, 1);  // 1.1 unless asked
}

}  // namespace
}  // namespace teeharness::engine
