// The retention sweeper's pass and its stop, with fakes of the store: a pass
// works organization by organization in batches, and Stop() ends it between
// batches instead of after the whole pass (which may be hours of backlog).
#include "services/notification/delivery/retention_sweeper.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/clock/clock.h"
#include "gtest/gtest.h"

namespace dermaflow::notification {
namespace {

class TwoOrganizations : public EventBacklog {
 public:
  absl::StatusOr<std::vector<std::string>> Organizations() override {
    return std::vector<std::string>{"org-a", "org-b"};
  }
  absl::StatusOr<int64_t> PendingEvents(const std::string&) override { return 0; }
  absl::Status AckEvents(const std::string&, const std::string&,
                         const std::vector<std::string>&) override {
    return absl::OkStatus();
  }
};

// Always a full batch: there is always more to delete.
class EndlessBacklog : public ReminderRetention {
 public:
  absl::StatusOr<int> ExpireBefore(const std::string&, absl::Time, int max) override {
    if (++calls == 3) third_call.Notify();
    absl::SleepFor(absl::Milliseconds(1));
    return max;
  }
  absl::Status ForgetAppointmentsBefore(const std::string&, absl::Time) override {
    return absl::OkStatus();
  }
  std::atomic<int> calls{0};
  absl::Notification third_call;
};

TEST(RetentionSweeperTest, APassIsBoundedPerOrganization) {
  EndlessBacklog retention;
  TwoOrganizations events;
  common::FakeClock clock(absl::Now());
  RetentionSweeper sweeper(retention, events, clock,
                           {.retention = absl::Hours(1), .batch = 10, .max_batches_per_org = 4});
  absl::StatusOr<int> swept = sweeper.SweepOnce();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 80);  // 2 organizations × 4 batches × 10
  EXPECT_EQ(retention.calls.load(), 8);
}

TEST(RetentionSweeperTest, StopEndsAPassBetweenBatches) {
  EndlessBacklog retention;
  TwoOrganizations events;
  common::FakeClock clock(absl::Now());
  RetentionSweeper sweeper(
      retention, events, clock,
      {.retention = absl::Hours(1), .batch = 10, .max_batches_per_org = 1'000'000});
  sweeper.Start();
  ASSERT_TRUE(retention.third_call.WaitForNotificationWithTimeout(absl::Seconds(10)));
  const absl::Time asked = absl::Now();
  sweeper.Stop();
  EXPECT_LT(absl::Now() - asked, absl::Seconds(5));  // a whole pass would be ~30 minutes
  EXPECT_LT(retention.calls.load(), 100'000);
}

}  // namespace
}  // namespace dermaflow::notification
