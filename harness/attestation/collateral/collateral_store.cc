#include "harness/attestation/collateral/collateral_store.h"

#include <rapidjson/document.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "harness/attestation/collateral/collateral_validity.h"
#include "harness/attestation/collateral/collateral_writer.h"
#include "harness/attestation/collateral/rfc3339.h"
#include "harness/base/read_file.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"

namespace teeharness::attestation {
namespace {

std::optional<std::string> ReadWholeFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return std::nullopt;
  return std::move(text).value();
}

// The "teeharness_cache" metadata of a cache file equals what we would have written for `want`.
bool MetadataMatches(const std::string& text,
                     const std::vector<std::pair<std::string, std::string>>& want) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return false;
  const auto meta = doc.FindMember("teeharness_cache");
  if (meta == doc.MemberEnd() || !meta->value.IsObject()) return false;
  for (const auto& [key, value] : want) {
    const auto it = meta->value.FindMember(key.c_str());
    if (it == meta->value.MemberEnd() || !it->value.IsString() ||
        value != std::string_view(it->value.GetString(), it->value.GetStringLength())) {
      return false;
    }
  }
  return true;
}

// Writes `bytes` to `path` atomically: a unique temp file in the same directory, then rename.
Result<bool> WriteAtomically(const std::string& path, const std::string& bytes) {
  static std::atomic<unsigned> counter{0};
  const std::string temp =
      path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter.fetch_add(1));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError("cannot create ", temp);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(temp.c_str());
      return MakeError("cannot write ", temp);
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return MakeError("cannot rename ", temp, " to ", path);
  }
  return true;
}

}  // namespace

std::string DefaultCollateralCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/teeharness/collateral";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.cache/teeharness/collateral";
  }
  return "";
}

CollateralStore::CollateralStore(CollateralStoreOptions options)
    : endpoints_(std::move(options.base_url)),
      cache_dir_(std::move(options.cache_dir)),
      http_(options.http ? std::move(options.http) : CurlHttpGet()),
      warn_(options.warn ? std::move(options.warn) : [](const std::string& message) {
        std::fprintf(stderr, "teeharness: %s\n", message.c_str());
      }) {}

std::string CollateralStore::CacheKey(const CollateralKey& key) const {
  return endpoints_.base_url() + "\n" + crypto::EncodeHex(key.fmspc) + "\n" +
         std::string(PckCaName(key.ca));
}

std::string CollateralStore::CachePath(const std::string& cache_key) const {
  return cache_dir_ + "/" + crypto::Sha256::HashHex(cache_key) + ".json";
}

std::optional<CollateralStore::Entry> CollateralStore::FromMemory(const std::string& cache_key,
                                                                  int64_t at) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = entries_.find(cache_key);
  if (it == entries_.end() || at > it->second.next_update) return std::nullopt;
  ++stats_.memory_hits;
  return it->second;
}

std::optional<CollateralStore::Entry> CollateralStore::FromDisk(const std::string& cache_key,
                                                                const CollateralKey& key,
                                                                int64_t at) {
  if (cache_dir_.empty()) return std::nullopt;
  const std::optional<std::string> text = ReadWholeFile(CachePath(cache_key));
  if (!text) return std::nullopt;
  // The file name is a hash of the key; the metadata guards against a file copied in by hand.
  if (!MetadataMatches(*text, {{"base_url", endpoints_.base_url()},
                               {"fmspc", crypto::EncodeHex(key.fmspc)},
                               {"ca", std::string(PckCaName(key.ca))}})) {
    return std::nullopt;
  }
  Result<Collateral> parsed = ParseCollateralJson(*text);
  if (!parsed.ok()) return std::nullopt;
  // Validity is recomputed from the collateral itself, not taken from the metadata.
  Result<int64_t> next_update = CollateralNextUpdate(*parsed);
  if (!next_update.ok() || at > *next_update) return std::nullopt;
  Entry entry{std::make_shared<const Collateral>(std::move(parsed).value()), *next_update};
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.disk_hits;
  entries_[cache_key] = entry;
  return entry;
}

void CollateralStore::ToDisk(const std::string& cache_key, const CollateralKey& key,
                             const Entry& entry) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cache_dir_.empty() || !disk_writable_) return;
  }
  std::error_code ec;
  std::filesystem::create_directories(cache_dir_, ec);
  Result<bool> written =
      ec ? Result<bool>(MakeError("cannot create ", cache_dir_, ": ", ec.message()))
         : WriteAtomically(CachePath(cache_key),
                           CollateralToJson(*entry.collateral,
                                            {{"base_url", endpoints_.base_url()},
                                             {"fmspc", crypto::EncodeHex(key.fmspc)},
                                             {"ca", std::string(PckCaName(key.ca))},
                                             {"next_update", FormatRfc3339(entry.next_update)}}));
  if (written.ok()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    disk_writable_ = false;
  }
  Warn("collateral cache " + cache_dir_ + " is not writable (" + written.error() +
       "); keeping collateral in memory only");
}

void CollateralStore::Warn(const std::string& message) { warn_(message); }

Result<std::shared_ptr<const Collateral>> CollateralStore::Get(const CollateralKey& key,
                                                               int64_t at) {
  const std::string cache_key = CacheKey(key);
  if (std::optional<Entry> hit = FromMemory(cache_key, at)) return hit->collateral;
  std::lock_guard<std::mutex> fetching(fetch_mutex_);
  // Another thread may have fetched it while this one waited.
  if (std::optional<Entry> hit = FromMemory(cache_key, at)) return hit->collateral;
  if (std::optional<Entry> hit = FromDisk(cache_key, key, at)) return hit->collateral;
  Result<Collateral> fetched = FetchPcsCollateral(endpoints_, key, http_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++(fetched.ok() ? stats_.fetches : stats_.fetch_failures);
  }
  if (!fetched.ok()) return Error{fetched.error()};
  auto collateral = std::make_shared<const Collateral>(std::move(fetched).value());
  Result<int64_t> next_update = CollateralNextUpdate(*collateral);
  if (!next_update.ok()) return collateral;  // evidence for the verifier to reject; not cached
  const Entry entry{collateral, *next_update};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_[cache_key] = entry;
  }
  ToDisk(cache_key, key, entry);
  return collateral;
}

CollateralStore::Stats CollateralStore::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace teeharness::attestation
