#include "reports/pushgateway.h"

#include <curl/curl.h>

namespace teeharness::reports {
namespace {

std::string UrlSafeBase64(const std::string& text) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  for (size_t i = 0; i < text.size(); i += 3) {
    const uint32_t n = static_cast<uint8_t>(text[i]) << 16 |
                       (i + 1 < text.size() ? static_cast<uint8_t>(text[i + 1]) << 8 : 0) |
                       (i + 2 < text.size() ? static_cast<uint8_t>(text[i + 2]) : 0);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += i + 1 < text.size() ? kAlphabet[n >> 6 & 63] : '=';
    out += i + 2 < text.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

}  // namespace

std::string GroupingSegment(const std::string& name, const std::string& value) {
  if (value.empty() || value.find('/') != std::string::npos) {
    return "/" + name + "@base64/" + (value.empty() ? "=" : UrlSafeBase64(value));
  }
  char* escaped = curl_easy_escape(nullptr, value.c_str(), static_cast<int>(value.size()));
  std::string out = "/" + name + "/" + (escaped ? escaped : "");
  curl_free(escaped);
  return out;
}

Pushgateway::Pushgateway(const MetricsRegistry& registry, CounterSeries* failures_metric)
    : registry_(registry), failures_metric_(failures_metric) {}

Pushgateway::~Pushgateway() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Pushgateway::Start(const std::string& base_url, const std::string& scenario,
                        const std::string& instance, std::chrono::milliseconds interval) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  url_ = base + "/metrics/job/teeharness" + GroupingSegment("scenario", scenario) +
         GroupingSegment("instance", instance);
  interval_ = interval;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      PushOnce();
      lock.lock();
    }
  });
}

void Pushgateway::Finish() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!url_.empty()) PushOnce();
}

bool Pushgateway::PushOnce() {
  const std::string body = registry_.RenderPrometheus();
  CURL* easy = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: text/plain; version=0.0.4");
  curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "PUT");
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
  long status = 0;
  const bool ok = curl_easy_perform(easy) == CURLE_OK &&
                  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
                  status / 100 == 2;
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  pushes_.fetch_add(1);
  if (!ok) {
    failures_.fetch_add(1);
    if (failures_metric_ != nullptr) failures_metric_->Add();
  }
  return ok;
}

}  // namespace teeharness::reports
