// FailureLogLimiter: first failure logged, then one line per interval with
// the count left out; and StreamIdTime, which the intake-progress ages use.
#include "common/metrics/failure_log_limiter.h"

#include "common/metrics/stream_group_progress.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(FailureLogLimiterTest, LogsFirstThenOncePerIntervalWithSuppressedCount) {
  FailureLogLimiter limiter(absl::Seconds(30));
  const absl::Time t0 = absl::FromUnixSeconds(1'700'000'000);
  EXPECT_EQ(limiter.ShouldLog(t0), 0);
  for (int i = 1; i <= 9; ++i) EXPECT_EQ(limiter.ShouldLog(t0 + absl::Seconds(i)), std::nullopt);
  EXPECT_EQ(limiter.ShouldLog(t0 + absl::Seconds(29)), std::nullopt);
  EXPECT_EQ(limiter.ShouldLog(t0 + absl::Seconds(30)), 10);
  // A quiet spell: the next failure is logged at once, nothing left out.
  EXPECT_EQ(limiter.ShouldLog(t0 + absl::Minutes(10)), 0);
}

TEST(StreamIdTimeTest, ReadsTheMillisecondsOfAnEntryId) {
  EXPECT_EQ(StreamIdTime("1718000000123-7"), absl::FromUnixMillis(1718000000123));
  EXPECT_EQ(StreamIdTime("0-0"), absl::FromUnixMillis(0));
  EXPECT_EQ(StreamIdTime(""), std::nullopt);
  EXPECT_EQ(StreamIdTime("-1"), std::nullopt);
  EXPECT_EQ(StreamIdTime("abc-1"), std::nullopt);
}

}  // namespace
}  // namespace dermaflow::common
