#include "common/quota/org_in_flight_limiter.h"

#include <optional>
#include <utility>

#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(OrgInFlightLimiterTest, CapsEachOrganizationSeparately) {
  OrgInFlightLimiter limiter(2);
  std::optional<OrgInFlightLimiter::Slot> a1 = limiter.TryAcquire("org-a");
  std::optional<OrgInFlightLimiter::Slot> a2 = limiter.TryAcquire("org-a");
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(limiter.TryAcquire("org-a").has_value());
  EXPECT_TRUE(limiter.TryAcquire("org-b").has_value());
  EXPECT_EQ(limiter.InFlight("org-a"), 2);
}

TEST(OrgInFlightLimiterTest, ASlotComesBackWhenItsCallEnds) {
  OrgInFlightLimiter limiter(1);
  {
    std::optional<OrgInFlightLimiter::Slot> slot = limiter.TryAcquire("org-a");
    ASSERT_TRUE(slot.has_value());
    EXPECT_FALSE(limiter.TryAcquire("org-a").has_value());
  }
  EXPECT_EQ(limiter.InFlight("org-a"), 0);
  EXPECT_TRUE(limiter.TryAcquire("org-a").has_value());
}

TEST(OrgInFlightLimiterTest, AMovedSlotIsReleasedOnce) {
  OrgInFlightLimiter limiter(2);
  std::optional<OrgInFlightLimiter::Slot> first = limiter.TryAcquire("org-a");
  ASSERT_TRUE(first.has_value());
  OrgInFlightLimiter::Slot moved = std::move(*first);
  first.reset();  // the moved-from slot holds nothing
  EXPECT_EQ(limiter.InFlight("org-a"), 1);
  EXPECT_TRUE(moved.held());
  moved.Release();
  moved.Release();
  EXPECT_EQ(limiter.InFlight("org-a"), 0);
  OrgInFlightLimiter::Slot empty;
  EXPECT_FALSE(empty.held());
}

}  // namespace
}  // namespace dermaflow::common
