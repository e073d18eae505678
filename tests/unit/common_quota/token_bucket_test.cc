#include "common/quota/token_bucket.h"

#include "common/clock/clock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(TokenBucketTest, StartsFullAndGivesTheBurstAtOnce) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/10, /*burst=*/3, clock.Now());
  EXPECT_TRUE(bucket.TryTake(clock.Now()));
  EXPECT_TRUE(bucket.TryTake(clock.Now()));
  EXPECT_TRUE(bucket.TryTake(clock.Now()));
  EXPECT_FALSE(bucket.TryTake(clock.Now()));
}

TEST(TokenBucketTest, RefillsAtTheRateAndSaysWhenTheNextTokenComes) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/10, /*burst=*/1, clock.Now());
  ASSERT_TRUE(bucket.TryTake(clock.Now()));
  clock.Advance(absl::Milliseconds(40));
  EXPECT_FALSE(bucket.TryTake(clock.Now()));
  // 0.4 of a token is there; the rest comes in 60 ms.
  EXPECT_NEAR(absl::ToDoubleMilliseconds(bucket.TimeUntilToken()), 60, 0.001);
  clock.Advance(absl::Milliseconds(60));
  EXPECT_TRUE(bucket.TryTake(clock.Now()));
  EXPECT_FALSE(bucket.TryTake(clock.Now()));
}

TEST(TokenBucketTest, SustainsTheRateButNoMore) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/100, /*burst=*/5, clock.Now());
  int taken = 0;
  // One attempt per millisecond for 10 s: the burst plus 100 per second
  // (the last token may still be a rounding error short).
  for (int ms = 0; ms <= 10'000; ++ms) {
    if (bucket.TryTake(clock.Now())) ++taken;
    clock.Advance(absl::Milliseconds(1));
  }
  EXPECT_LE(taken, 5 + 1000);
  EXPECT_GE(taken, 5 + 999);
}

TEST(TokenBucketTest, NeverHoldsMoreThanTheBurst) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/1000, /*burst=*/2, clock.Now());
  clock.Advance(absl::Hours(1));
  EXPECT_TRUE(bucket.IsFullAt(clock.Now()));
  EXPECT_TRUE(bucket.TryTake(clock.Now()));
  EXPECT_TRUE(bucket.TryTake(clock.Now()));
  EXPECT_FALSE(bucket.TryTake(clock.Now()));
  EXPECT_FALSE(bucket.IsFullAt(clock.Now()));
}

TEST(TokenBucketTest, AClockThatStepsBackRefillsNothing) {
  FakeClock clock;
  TokenBucket bucket(/*rate=*/1, /*burst=*/1, clock.Now());
  ASSERT_TRUE(bucket.TryTake(clock.Now()));
  clock.Advance(-absl::Hours(1));
  EXPECT_FALSE(bucket.TryTake(clock.Now()));
  // Nor does coming back to where it was: time is measured from the latest.
  clock.Advance(absl::Hours(1));
  EXPECT_FALSE(bucket.TryTake(clock.Now()));
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(bucket.TryTake(clock.Now()));
}

}  // namespace
}  // namespace dermaflow::common
