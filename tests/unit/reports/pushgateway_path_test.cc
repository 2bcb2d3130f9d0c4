#include <gtest/gtest.h>

#include "reports/pushgateway.h"

namespace teeharness::reports {
namespace {

TEST(Pushgateway, GroupingSegmentsEscapeOrBase64) {
  EXPECT_EQ(GroupingSegment("scenario", "smoke"), "/scenario/smoke");
  EXPECT_EQ(GroupingSegment("scenario", "a b"), "/scenario/a%20b");
  EXPECT_EQ(GroupingSegment("instance", "pod/3"), "/instance@base64/cG9kLzM=");
  EXPECT_EQ(GroupingSegment("instance", ""), "/instance@base64/=");
}

}  // namespace
}  // namespace teeharness::reports
