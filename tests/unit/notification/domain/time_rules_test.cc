#include "services/notification/domain/time_rules.h"

#include "gtest/gtest.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using testing::Berlin;
using testing::BerlinZone;

// Europe/Berlin changes to summer time on Sunday 29 March 2026 (02:00 ->
// 03:00) and back on Sunday 25 October 2026 (03:00 -> 02:00).

TEST(NotificationTimeRulesTest, WholeDaysKeepTheLocalTimeAcrossSpringForward) {
  // Sunday 10:00 CEST back to Saturday 10:00 CET is only 23 hours.
  const absl::Time sunday = Berlin(2026, 3, 29, 10, 0);
  EXPECT_EQ(SubtractOffset(sunday, absl::Hours(24), BerlinZone()), Berlin(2026, 3, 28, 10, 0));
  EXPECT_EQ(sunday - SubtractOffset(sunday, absl::Hours(24), BerlinZone()), absl::Hours(23));
}

TEST(NotificationTimeRulesTest, MondayAfterTheChangeGetsItsReminderOnSundaySameTime) {
  EXPECT_EQ(SubtractOffset(Berlin(2026, 3, 30, 10, 0), absl::Hours(24), BerlinZone()),
            Berlin(2026, 3, 29, 10, 0));
  EXPECT_EQ(SubtractOffset(Berlin(2026, 10, 26, 10, 0), absl::Hours(24), BerlinZone()),
            Berlin(2026, 10, 25, 10, 0));
}

TEST(NotificationTimeRulesTest, WholeDaysKeepTheLocalTimeAcrossFallBack) {
  // Sunday 10:00 CET back to Saturday 10:00 CEST is 25 hours.
  const absl::Time sunday = Berlin(2026, 10, 25, 10, 0);
  EXPECT_EQ(SubtractOffset(sunday, absl::Hours(24), BerlinZone()), Berlin(2026, 10, 24, 10, 0));
  EXPECT_EQ(sunday - SubtractOffset(sunday, absl::Hours(24), BerlinZone()), absl::Hours(25));
}

TEST(NotificationTimeRulesTest, SevenDaysAfterAFridaySessionAcrossTheChangeIsFridaySameTime) {
  EXPECT_EQ(AddOffset(Berlin(2026, 3, 27, 10, 0), absl::Hours(24 * 7), BerlinZone()),
            Berlin(2026, 4, 3, 10, 0));
}

TEST(NotificationTimeRulesTest, OtherDurationsAreExactElapsedTime) {
  const absl::Time saturday_evening = Berlin(2026, 3, 28, 22, 0);
  EXPECT_EQ(AddOffset(saturday_evening, absl::Hours(12), BerlinZone()),
            saturday_evening + absl::Hours(12));
  EXPECT_EQ(AddOffset(saturday_evening, absl::Hours(12), BerlinZone()), Berlin(2026, 3, 29, 11, 0));
}

TEST(NotificationTimeRulesTest, ALocalTimeInTheGapMapsToTheEndOfTheGap) {
  // 02:30 does not exist on 29 March 2026: a day after Saturday 02:30 is
  // the moment the clocks jump, 03:00 CEST.
  EXPECT_EQ(AddOffset(Berlin(2026, 3, 28, 2, 30), absl::Hours(24), BerlinZone()),
            Berlin(2026, 3, 29, 3, 0));
}

TEST(NotificationTimeRulesTest, DatesConvertBothWays) {
  google::type::Date date;
  date.set_year(2026);
  date.set_month(2);
  date.set_day(28);
  EXPECT_EQ(ToYyyymmdd(date), 20260228);
  EXPECT_EQ(FromYyyymmdd(20260228), absl::CivilDay(2026, 2, 28));
  date.set_day(30);
  EXPECT_EQ(ToYyyymmdd(date), 0);
}

TEST(NotificationTimeRulesTest, UnknownZonesAreUtc) {
  EXPECT_EQ(ZoneOrUtc("Mars/Olympus"), absl::UTCTimeZone());
  EXPECT_EQ(ZoneOrUtc("").name(), "UTC");
  EXPECT_EQ(ZoneOrUtc("Europe/Berlin").name(), "Europe/Berlin");
}

TEST(NotificationTimeRulesTest, TimestampsRoundTrip) {
  const absl::Time t = absl::FromUnixMillis(1'774'000'000'123);
  EXPECT_EQ(ToTime(ToTimestamp(t)), t);
  EXPECT_EQ(ToDuration(ToProtoDuration(absl::Milliseconds(90'500))), absl::Milliseconds(90'500));
}

}  // namespace
}  // namespace dermaflow::notification
