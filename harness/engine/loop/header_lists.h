#pragma once

#include <string>
#include <vector>

struct curl_slist;

namespace teeharness::engine {

// libcurl header lists for request headers, built once per distinct set and reused: most requests
// of a run send one of a handful of sets (the API key, a content type), and building the list per
// request cost two allocations and copies per header. Each list ends with "Expect:" (no
// 100-continue round trip for request bodies). Not thread-safe: one per worker loop.
class HeaderLists {
 public:
  HeaderLists() = default;
  ~HeaderLists();
  HeaderLists(const HeaderLists&) = delete;
  HeaderLists& operator=(const HeaderLists&) = delete;

  // The list for `headers`, owned by this cache (valid until it is destroyed), or, once the cache
  // holds kMaxSets sets, a new list that the caller frees with Release. `owned` says which.
  curl_slist* Get(const std::vector<std::string>& headers, bool* owned);
  static void Release(curl_slist* list);
  size_t cached() const { return sets_.size(); }

  // Bounds the memory a flow that sent different headers on every request could pin.
  static constexpr size_t kMaxSets = 32;

 private:
  struct Set {
    std::vector<std::string> headers;
    curl_slist* list;
  };
  static curl_slist* Build(const std::vector<std::string>& headers);
  std::vector<Set> sets_;
};

}  // namespace teeharness::engine
