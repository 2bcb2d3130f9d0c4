#include "harness/engine/loop/header_lists.h"

#include <curl/curl.h>

namespace teeharness::engine {

HeaderLists::~HeaderLists() {
  for (Set& set : sets_) curl_slist_free_all(set.list);
}

curl_slist* HeaderLists::Build(const std::vector<std::string>& headers) {
  curl_slist* list = nullptr;
  for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
  return curl_slist_append(list, "Expect:");
}

curl_slist* HeaderLists::Get(const std::vector<std::string>& headers, bool* owned) {
  for (const Set& set : sets_) {
    if (set.headers == headers) {
      *owned = false;
      return set.list;
    }
  }
  curl_slist* list = Build(headers);
  if (sets_.size() < kMaxSets) {
    sets_.push_back({headers, list});
    *owned = false;
  } else {
    *owned = true;
  }
  return list;
}

void HeaderLists::Release(curl_slist* list) { curl_slist_free_all(list); }

}  // namespace teeharness::engine
