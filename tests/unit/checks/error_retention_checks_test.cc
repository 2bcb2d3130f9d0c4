#include <gtest/gtest.h>

#include "harness/checks/error_checks.h"
#include "harness/checks/retention_checks.h"

namespace teeharness::checks {
namespace {

constexpr const char* kNotFound =
    R"({"error":{"message":"Chat id not found or expired","type":"not_found","param":null,"code":null}})";

TEST(ErrorShape, OpenAiShapeAndFastApiDetail) {
  using protocol::Dialect;
  EXPECT_TRUE(CheckErrorShape(Dialect::kPhala, {"x", 404, "application/json", kNotFound}).passed);
  EXPECT_TRUE(
      CheckErrorShape(Dialect::kNear, {"x", 401, "application/json", R"({"detail":"no"})"}).passed);
  EXPECT_FALSE(
      CheckErrorShape(Dialect::kNear, {"x", 400, "application/json", R"({"detail":"no"})"}).passed);
  EXPECT_FALSE(CheckErrorShape(Dialect::kPhala, {"x", 400, "text/plain", kNotFound}).passed);
  const Outcome html = CheckErrorShape(Dialect::kPhala, {"GET /x", 502, "text/html", "<html>"});
  EXPECT_FALSE(html.passed);
  EXPECT_NE(html.evidence.find("GET /x: HTTP 502"), std::string::npos);
  EXPECT_FALSE(
      CheckErrorShape(Dialect::kPhala, {"x", 400, "application/json", R"({"error":{"message":1}})"})
          .passed);
}

TEST(NonceReject, FourHundredsOnly) {
  EXPECT_TRUE(CheckNonceRejected({"short", 400, "", ""}).passed);
  EXPECT_TRUE(CheckNonceRejected({"short", 422, "", ""}).passed);
  EXPECT_FALSE(CheckNonceRejected({"short", 200, "", "{}"}).passed);
  EXPECT_FALSE(CheckNonceRejected({"short", 500, "", ""}).passed);
}

TEST(UnknownSignature, OnlyA404) {
  EXPECT_TRUE(CheckUnknownSignature({"id", 404, "application/json", kNotFound}).passed);
  const Outcome old_server = CheckUnknownSignature({"id", 200, "application/json", kNotFound});
  EXPECT_FALSE(old_server.passed);
  EXPECT_NE(old_server.evidence.find("HTTP 200"), std::string::npos);
  EXPECT_FALSE(CheckUnknownSignature({"id", 503, "", ""}).passed);
}

TEST(Retention, ServedBeforeGoneAfter) {
  RetentionObservation o{"c1", 10, 1, {{1, 200}, {8.9, 200}, {10.4, 404}, {11.5, 404}}};
  const auto outcomes = CheckRetention(o);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].passed);
  EXPECT_TRUE(outcomes[1].passed);
  const RetentionWindow window = MeasureRetention(o);
  EXPECT_DOUBLE_EQ(window.last_served, 8.9);
  EXPECT_DOUBLE_EQ(window.first_gone, 10.4);
}

TEST(Retention, EarlyExpiryAndNeverExpiring) {
  RetentionObservation early{"c2", 10, 1, {{1, 200}, {3, 404}, {12, 404}}};
  auto outcomes = CheckRetention(early);
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_NE(outcomes[0].evidence.find("HTTP 404 at 3.00s"), std::string::npos);
  EXPECT_TRUE(outcomes[1].passed);

  RetentionObservation forever{"c3", 10, 1, {{1, 200}, {12, 200}}};
  outcomes = CheckRetention(forever);
  EXPECT_TRUE(outcomes[0].passed);
  EXPECT_FALSE(outcomes[1].passed);

  RetentionObservation bad_shape{"c4", 10, 1, {{12, 404, false}}};
  EXPECT_FALSE(CheckRetention(bad_shape)[1].passed);
  RetentionObservation old_server{"c5", 10, 1, {{12, 200}}};
  EXPECT_FALSE(CheckRetention(old_server)[1].passed);
}

}  // namespace
}  // namespace teeharness::checks
