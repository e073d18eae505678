// The park promoter's schedule, with a fake of the store: once at start,
// then at most every interval per organization on the engine's clock; a
// pass that ran out of budget continues on the next call from where it
// stopped; a failure is counted and retried after the interval.
#include "services/notification/delivery/park_promoter.h"

#include <vector>

#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/notification/domain/parking.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

struct Call {
  std::string org;
  int64_t last_day;
  std::optional<ParkCursor> resume;
};

class FakeParking : public ReminderParking {
 public:
  absl::StatusOr<PromotionResult> PromoteDays(const std::string& org, int64_t last_day, int,
                                              const std::optional<ParkCursor>& resume) override {
    calls.push_back({org, last_day, resume});
    if (fail) return absl::UnavailableError("redis down");
    PromotionResult r;
    r.promoted = 3;
    r.skipped_stale = 1;
    if (backlog > 0) {
      --backlog;
      r.resume = ParkCursor{last_day, 64};
    }
    return r;
  }
  std::vector<Call> calls;
  bool fail = false;
  int backlog = 0;
};

double Sample(prometheus::Registry& registry, const std::string& outcome) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "dermaflow_notification_park_promotions_total") continue;
    for (const auto& m : family.metric) {
      for (const auto& label : m.label) {
        if (label.name == "outcome" && label.value == outcome) return m.counter.value;
      }
    }
  }
  return -1;
}

class ParkPromoterTest : public ::testing::Test {
 protected:
  FakeParking parking_;
  prometheus::Registry registry_;
  NotificationMetrics metrics_{registry_};
  ParkPromoter promoter_{
      parking_, metrics_, {.park_after = absl::Hours(48), .interval = absl::Seconds(60)}};
  const absl::Time start_ = absl::FromUnixSeconds(1'773'651'600);
};

TEST_F(ParkPromoterTest, RunsAtOnceThenOncePerIntervalPerOrganization) {
  promoter_.MaybePromote("a", start_);
  promoter_.MaybePromote("b", start_);
  promoter_.MaybePromote("a", start_ + absl::Seconds(59));
  ASSERT_EQ(parking_.calls.size(), 2u);
  EXPECT_EQ(parking_.calls[0].last_day, LastPromotableDay(ToMillis(start_), absl::Hours(48)));
  promoter_.MaybePromote("a", start_ + absl::Seconds(60));
  ASSERT_EQ(parking_.calls.size(), 3u);
  EXPECT_EQ(parking_.calls[2].org, "a");
  EXPECT_EQ(Sample(registry_, "promoted"), 9);
  EXPECT_EQ(Sample(registry_, "skipped_stale"), 3);
  EXPECT_EQ(Sample(registry_, "failed"), 0);
}

TEST_F(ParkPromoterTest, ABacklogContinuesOnTheNextPassFromWhereItStopped) {
  parking_.backlog = 2;
  promoter_.MaybePromote("a", start_);
  promoter_.MaybePromote("a", start_ + absl::Milliseconds(20));
  promoter_.MaybePromote("a", start_ + absl::Milliseconds(40));
  promoter_.MaybePromote("a", start_ + absl::Milliseconds(60));  // caught up: waits
  ASSERT_EQ(parking_.calls.size(), 3u);
  EXPECT_FALSE(parking_.calls[0].resume.has_value());
  ASSERT_TRUE(parking_.calls[1].resume.has_value());
  EXPECT_EQ(parking_.calls[1].resume->offset, 64);
  ASSERT_TRUE(parking_.calls[2].resume.has_value());
}

TEST_F(ParkPromoterTest, AFailureIsCountedAndRetriedAfterTheIntervalFromTheStart) {
  parking_.backlog = 1;
  promoter_.MaybePromote("a", start_);
  parking_.fail = true;
  promoter_.MaybePromote("a", start_ + absl::Milliseconds(20));  // the backlog's pass fails
  promoter_.MaybePromote("a", start_ + absl::Milliseconds(40));  // not again at once
  EXPECT_EQ(parking_.calls.size(), 2u);
  EXPECT_EQ(Sample(registry_, "failed"), 1);
  parking_.fail = false;
  promoter_.MaybePromote("a", start_ + absl::Seconds(61));
  ASSERT_EQ(parking_.calls.size(), 3u);
  EXPECT_FALSE(parking_.calls[2].resume.has_value());
}

TEST_F(ParkPromoterTest, ParkingOffStillPromotesWhatWasParkedBefore) {
  ParkPromoter off(parking_, metrics_, {.park_after = absl::ZeroDuration()});
  off.MaybePromote("a", start_);
  ASSERT_EQ(parking_.calls.size(), 1u);
  EXPECT_EQ(parking_.calls[0].last_day, LastPromotableDay(ToMillis(start_), absl::Hours(48)));
}

}  // namespace
}  // namespace dermaflow::notification
