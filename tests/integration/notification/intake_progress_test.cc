// The intake-progress gauges on real Redis: entries with ids from minutes
// ago stand for events published then; one is handed to the group and not
// acknowledged, the others not read yet.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/notification/notification_test_env.h"

namespace dermaflow::notification::testing {
namespace {

constexpr char kUnacked[] = "dermaflow_event_intake_oldest_unacked_seconds";
constexpr char kUnread[] = "dermaflow_event_intake_oldest_unread_seconds";

TEST(IntakeProgressTest, GaugesShowTheAgeOfTheOldestUnackedAndUnreadEvents) {
  NotificationTestEnv env;
  EventIntake& intake = env.app().intake();
  common::RedisClient& redis = env.redis();
  ASSERT_TRUE(intake.RefreshProgress().ok());
  EXPECT_EQ(env.Metric(kUnacked, {}), 0);

  // An organization of its own, so its stream starts empty and takes old ids.
  const std::string stream = "df:{progress-org}:events";
  ASSERT_TRUE(redis.Command({"SADD", "df:orgs", "progress-org"}).ok());
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  for (int64_t minutes_ago : {10, 5, 2}) {
    ASSERT_TRUE(
        redis.Command({"XADD", stream, absl::StrCat(now_ms - minutes_ago * 60'000, "-0"), "e", "x"})
            .ok());
  }
  // Before the group exists the stream is not counted (the consumer makes
  // the group within its refresh interval).
  ASSERT_TRUE(intake.RefreshProgress().ok());
  EXPECT_LT(env.Metric(kUnread, {}), 60);

  ASSERT_TRUE(redis.Command({"XGROUP", "CREATE", stream, "notification", "0"}).ok());
  ASSERT_TRUE(intake.RefreshProgress().ok());
  EXPECT_EQ(env.Metric(kUnacked, {}), 0);
  EXPECT_NEAR(env.Metric(kUnread, {}), 600, 30);

  // The 10- and 5-minute-old events are handed out and not acknowledged.
  auto read = redis.Command({"XREADGROUP", "GROUP", "notification", "stuck-worker", "COUNT", "2",
                             "STREAMS", stream, ">"});
  ASSERT_TRUE(read.ok());
  const std::string first_id = read->elements()[0].elements()[1].elements()[0].elements()[0].str();
  const std::string second_id = read->elements()[0].elements()[1].elements()[1].elements()[0].str();
  ASSERT_TRUE(intake.RefreshProgress().ok());
  EXPECT_NEAR(env.Metric(kUnacked, {}), 600, 30);
  EXPECT_NEAR(env.Metric(kUnread, {}), 120, 30);

  // Once the oldest is acknowledged, the next pending one is the oldest.
  ASSERT_TRUE(redis.Command({"XACK", stream, "notification", first_id}).ok());
  ASSERT_TRUE(intake.RefreshProgress().ok());
  EXPECT_NEAR(env.Metric(kUnacked, {}), 300, 30);
  EXPECT_NEAR(env.Metric(kUnread, {}), 120, 30);

  // The intake itself reads the rest (not an event it can use: acked as
  // poison).
  ASSERT_TRUE(redis.Command({"XACK", stream, "notification", second_id}).ok());
  for (int i = 0; i < 5 && env.Metric(kUnread, {}) > 60; ++i) {
    ASSERT_TRUE(intake.PollOnce().ok());
    ASSERT_TRUE(intake.RefreshProgress().ok());
  }
  EXPECT_LT(env.Metric(kUnread, {}), 60);
  EXPECT_EQ(env.Metric(kUnacked, {}), 0);
}

}  // namespace
}  // namespace dermaflow::notification::testing
