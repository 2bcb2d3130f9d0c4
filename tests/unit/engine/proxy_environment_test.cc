#include "harness/engine/loop/proxy_environment.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace teeharness::engine {
namespace {

constexpr const char* kNames[] = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                                  "HTTPS_PROXY", "all_proxy",  "ALL_PROXY"};

// Clears the proxy variables for a test and puts them back after.
class ProxyEnvironment : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kNames) {
      if (const char* value = std::getenv(name)) saved_[name] = value;
      unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name : kNames) unsetenv(name);
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::map<std::string, std::string> saved_;
};

TEST_F(ProxyEnvironment, NoneSetMeansNoProxy) {
  EXPECT_FALSE(ProxyInEnvironment());
  setenv("no_proxy", "*", 1);  // an exclusion alone names no proxy
  EXPECT_FALSE(ProxyInEnvironment());
  unsetenv("no_proxy");
}

TEST_F(ProxyEnvironment, EmptyValueIsNoProxy) {
  setenv("http_proxy", "", 1);
  EXPECT_FALSE(ProxyInEnvironment());  // libcurl treats an empty proxy as none
}

TEST_F(ProxyEnvironment, AnyVariableNamesOne) {
  for (const char* name : kNames) {
    setenv(name, "http://proxy.example:3128", 1);
    EXPECT_TRUE(ProxyInEnvironment()) << name;
    unsetenv(name);
  }
}

}  // namespace
}  // namespace teeharness::engine
