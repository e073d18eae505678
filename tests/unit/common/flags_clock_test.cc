#include "common/clock/clock.h"
#include "common/config/flags.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(FlagsTest, EnvironmentNameIsPrefixedUpperCase) {
  EXPECT_EQ(EnvironmentNameForFlag("metrics_listen"), "DERMAFLOW_METRICS_LISTEN");
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  clock.Advance(absl::Minutes(1));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(160));
}

TEST(ClockTest, SystemClockIsNow) {
  EXPECT_LT(absl::AbsDuration(SystemClock().Now() - absl::Now()), absl::Seconds(5));
}

}  // namespace
}  // namespace dermaflow::common
