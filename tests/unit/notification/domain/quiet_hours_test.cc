#include "services/notification/domain/quiet_hours.h"

#include "gtest/gtest.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using testing::Berlin;
using testing::BerlinZone;

TEST(NotificationQuietHoursTest, OutsideTheWindowNothingMoves) {
  const absl::Time noon = Berlin(2026, 3, 24, 12, 0);
  EXPECT_EQ(ShiftOutOfQuietHours(noon, DefaultQuietWindow(), BerlinZone()), noon);
  const absl::Time just_before = Berlin(2026, 3, 24, 20, 59);
  EXPECT_EQ(ShiftOutOfQuietHours(just_before, DefaultQuietWindow(), BerlinZone()), just_before);
}

TEST(NotificationQuietHoursTest, EveningMovesToTomorrowMorning) {
  EXPECT_EQ(ShiftOutOfQuietHours(Berlin(2026, 3, 24, 21, 0), DefaultQuietWindow(), BerlinZone()),
            Berlin(2026, 3, 25, 8, 0));
  EXPECT_EQ(ShiftOutOfQuietHours(Berlin(2026, 3, 24, 23, 45), DefaultQuietWindow(), BerlinZone()),
            Berlin(2026, 3, 25, 8, 0));
}

TEST(NotificationQuietHoursTest, EarlyMorningMovesToThisMorning) {
  EXPECT_EQ(ShiftOutOfQuietHours(Berlin(2026, 3, 25, 6, 30), DefaultQuietWindow(), BerlinZone()),
            Berlin(2026, 3, 25, 8, 0));
  // The end is exclusive.
  EXPECT_EQ(ShiftOutOfQuietHours(Berlin(2026, 3, 25, 8, 0), DefaultQuietWindow(), BerlinZone()),
            Berlin(2026, 3, 25, 8, 0));
}

TEST(NotificationQuietHoursTest, TheNightOfTheSpringChangeEndsAtEightLocal) {
  // Only 9 hours of real time pass between 22:00 and 08:00 that night.
  const absl::Time evening = Berlin(2026, 3, 28, 22, 0);
  const absl::Time end = ShiftOutOfQuietHours(evening, DefaultQuietWindow(), BerlinZone());
  EXPECT_EQ(end, Berlin(2026, 3, 29, 8, 0));
  EXPECT_EQ(end - evening, absl::Hours(9));
}

TEST(NotificationQuietHoursTest, TheNightOfTheAutumnChangeEndsAtEightLocal) {
  const absl::Time evening = Berlin(2026, 10, 24, 22, 0);
  const absl::Time end = ShiftOutOfQuietHours(evening, DefaultQuietWindow(), BerlinZone());
  EXPECT_EQ(end, Berlin(2026, 10, 25, 8, 0));
  EXPECT_EQ(end - evening, absl::Hours(11));
}

TEST(NotificationQuietHoursTest, WindowWithinOneDay) {
  const QuietWindow lunch{12 * 60, 14 * 60};
  EXPECT_EQ(ShiftOutOfQuietHours(Berlin(2026, 3, 24, 13, 0), lunch, BerlinZone()),
            Berlin(2026, 3, 24, 14, 0));
  EXPECT_EQ(ShiftOutOfQuietHours(Berlin(2026, 3, 24, 11, 0), lunch, BerlinZone()),
            Berlin(2026, 3, 24, 11, 0));
}

TEST(NotificationQuietHoursTest, EqualStartAndEndMeansNoQuietHours) {
  const absl::Time midnight = Berlin(2026, 3, 24, 0, 0);
  EXPECT_EQ(ShiftOutOfQuietHours(midnight, QuietWindow{600, 600}, BerlinZone()), midnight);
}

TEST(NotificationQuietHoursTest, ThePatientsZoneDecides) {
  // 22:00 in Berlin is 21:00 in London: quiet in both, ending at 08:00 London.
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::Time t = Berlin(2026, 3, 24, 22, 0);
  EXPECT_EQ(ShiftOutOfQuietHours(t, DefaultQuietWindow(), london),
            absl::FromCivil(absl::CivilSecond(2026, 3, 25, 8, 0, 0), london));
}

TEST(NotificationQuietHoursTest, OnlyEmailAndSmsWait) {
  EXPECT_TRUE(RespectsQuietHours(patient::v1::CHANNEL_EMAIL));
  EXPECT_TRUE(RespectsQuietHours(patient::v1::CHANNEL_SMS));
  EXPECT_FALSE(RespectsQuietHours(patient::v1::CHANNEL_IN_APP));
}

TEST(NotificationQuietHoursTest, ConvertsFromTheApi) {
  patient::v1::QuietHours hours;
  hours.mutable_start()->set_hours(22);
  hours.mutable_end()->set_hours(7);
  hours.mutable_end()->set_minutes(30);
  ASSERT_TRUE(ToQuietWindow(hours).has_value());
  EXPECT_EQ(*ToQuietWindow(hours), (QuietWindow{22 * 60, 7 * 60 + 30}));
  EXPECT_EQ(*ToQuietWindow(ToQuietHours(*ToQuietWindow(hours))), *ToQuietWindow(hours));
  hours.mutable_end()->set_seconds(5);
  EXPECT_FALSE(ToQuietWindow(hours).has_value());
}

}  // namespace
}  // namespace dermaflow::notification
