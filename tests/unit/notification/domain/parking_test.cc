// The parking rules: which reminders a writer parks, which days the promoter
// takes, and the invariant that ties them (a writer never parks into a day
// already promotable, so every reminder is queued well before it is due).
#include "services/notification/domain/parking.h"

#include "gtest/gtest.h"
#include "services/notification/domain/reminder_id.h"

namespace dermaflow::notification {
namespace {

const std::string kId = ReminderId(v1::REMINDER_KIND_MAINTENANCE, "course-1", "maintenance");
constexpr int64_t kHourMs = int64_t{60} * 60 * 1000;

TEST(ParkingTest, DaysAreUtcDaysSinceTheEpoch) {
  EXPECT_EQ(ParkDay(0), 0);
  EXPECT_EQ(ParkDay(kParkDayMs - 1), 0);
  EXPECT_EQ(ParkDay(kParkDayMs), 1);
  EXPECT_EQ(ParkDay(-1), -1);
  EXPECT_EQ(ParkDayStartMs(ParkDay(1'773'651'600'000)), 1'773'619'200'000);  // 2026-03-16
}

TEST(ParkingTest, ParksOnlyWellFormedIdsDueFarEnoughAhead) {
  const int64_t now = 1'773'651'600'000;  // 2026-03-16 09:00 UTC
  const absl::Duration after = absl::Hours(48);
  EXPECT_FALSE(ShouldPark(kId, now + 47 * kHourMs, now, after));
  EXPECT_TRUE(ShouldPark(kId, now + 48 * kHourMs, now, after));
  EXPECT_TRUE(ShouldPark(kId, now + 200 * kParkDayMs, now, after));
  EXPECT_FALSE(ShouldPark("not-a-reminder-id", now + 200 * kParkDayMs, now, after));
  EXPECT_FALSE(ShouldPark(kId, now + 200 * kParkDayMs, now, absl::ZeroDuration()));
}

TEST(ParkingTest, PromotesTheDaysStartingWithinHalfTheThreshold) {
  const int64_t day = 20'000;
  const absl::Duration after = absl::Hours(48);
  // The day starts 24 h from now: not yet; a millisecond later it is.
  EXPECT_EQ(LastPromotableDay(ParkDayStartMs(day) - 24 * kHourMs, after), day - 1);
  EXPECT_EQ(LastPromotableDay(ParkDayStartMs(day) - 24 * kHourMs + 1, after), day);
}

TEST(ParkingTest, AWriterNeverParksIntoAPromotableDayAndEachReminderIsQueuedInTime) {
  for (absl::Duration after : {absl::Hours(1), absl::Hours(5), absl::Hours(48), absl::Hours(72)}) {
    const int64_t half = absl::ToInt64Milliseconds(after) / 2;
    for (int64_t now = 1'773'619'200'000; now < 1'773'619'200'000 + 2 * kParkDayMs;
         now += 37 * kHourMs / 60) {
      for (int64_t ahead = 0; ahead < 5 * kParkDayMs; ahead += 13 * kHourMs / 60) {
        const int64_t due = now + ahead;
        const bool far_enough = due >= now + absl::ToInt64Milliseconds(after);
        // From 48 h up, the threshold alone keeps writers out of promotable days.
        if (after >= absl::Hours(48)) ASSERT_EQ(ShouldPark(kId, due, now, after), far_enough);
        if (!ShouldPark(kId, due, now, after)) continue;
        ASSERT_GT(ParkDay(due), LastPromotableDay(now, after)) << after;
        // Its day becomes promotable half the threshold before the day
        // starts, so before the reminder is due.
        const int64_t promotable_from = ParkDayStartMs(ParkDay(due)) - half + 1;
        ASSERT_EQ(LastPromotableDay(promotable_from, after), ParkDay(due));
        ASSERT_EQ(LastPromotableDay(promotable_from - 1, after), ParkDay(due) - 1);
      }
    }
  }
}

}  // namespace
}  // namespace dermaflow::notification
