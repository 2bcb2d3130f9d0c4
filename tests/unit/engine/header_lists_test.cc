#include "harness/engine/loop/header_lists.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace teeharness::engine {
namespace {

std::vector<std::string> Lines(const curl_slist* list) {
  std::vector<std::string> lines;
  for (; list != nullptr; list = list->next) lines.emplace_back(list->data);
  return lines;
}

TEST(HeaderLists, OneListPerDistinctSetEndingWithExpect) {
  HeaderLists lists;
  bool owned = true;
  curl_slist* a = lists.Get({"X-A: 1", "Content-Type: application/json"}, &owned);
  EXPECT_FALSE(owned);
  EXPECT_EQ(Lines(a),
            (std::vector<std::string>{"X-A: 1", "Content-Type: application/json", "Expect:"}));
  curl_slist* empty = lists.Get({}, &owned);
  EXPECT_EQ(Lines(empty), std::vector<std::string>{"Expect:"});
  EXPECT_EQ(lists.Get({"X-A: 1", "Content-Type: application/json"}, &owned), a);
  EXPECT_FALSE(owned);
  EXPECT_EQ(lists.Get({}, &owned), empty);
  // Order matters: a different order is a different set.
  EXPECT_NE(lists.Get({"Content-Type: application/json", "X-A: 1"}, &owned), a);
  EXPECT_EQ(lists.cached(), 3u);
}

TEST(HeaderLists, BeyondTheBoundListsAreTheCallers) {
  HeaderLists lists;
  bool owned = true;
  for (size_t i = 0; i < HeaderLists::kMaxSets; ++i) {
    lists.Get({"X-N: " + std::to_string(i)}, &owned);
    EXPECT_FALSE(owned);
  }
  curl_slist* extra = lists.Get({"X-N: extra"}, &owned);
  EXPECT_TRUE(owned);
  EXPECT_EQ(Lines(extra), (std::vector<std::string>{"X-N: extra", "Expect:"}));
  HeaderLists::Release(extra);
  EXPECT_EQ(lists.cached(), HeaderLists::kMaxSets);
  lists.Get({"X-N: 0"}, &owned);  // the cached ones are still served
  EXPECT_FALSE(owned);
}

}  // namespace
}  // namespace teeharness::engine
