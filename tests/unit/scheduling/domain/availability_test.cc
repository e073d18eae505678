// Slot search over opening hours, working hours, closed days, time off,
// busy calendars with buffers, and the grid across a DST change.
#include "services/scheduling/domain/availability.h"

#include <algorithm>
#include <vector>

#include "gtest/gtest.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/domain/local_time.h"
#include "tests/unit/scheduling/test_clinic.h"

namespace dermaflow::scheduling {
namespace {

using testing::Berlin;
using testing::Local;

// Wednesday 2026-06-10, a plain summer day.
constexpr int kY = 2026, kM = 6, kD = 10;

SlotSearch DaySearch(const v1::Clinic& clinic, const v1::Practitioner& practitioner) {
  SlotSearch s;
  s.time_zone = Berlin();
  s.opening_hours = OpeningHoursOf(clinic);
  s.closed_days = ClosedDaysOf(clinic);
  s.session_duration = absl::Minutes(30);
  s.buffer = BufferOf(clinic);
  s.slot_interval = SlotIntervalOf(clinic);
  s.window = {Local(kY, kM, kD, 0, 0), Local(kY, kM, kD + 1, 0, 0)};
  s.practitioners.push_back({practitioner.id(), WorkingHoursAt(practitioner, clinic.id()),
                             TimeOffOf(practitioner), Calendar()});
  s.rooms.push_back({"rm_1", Calendar()});
  return s;
}

std::vector<absl::Time> Starts(const std::vector<SlotCandidate>& slots) {
  std::vector<absl::Time> starts;
  for (const auto& s : slots) starts.push_back(s.start);
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  return starts;
}

bool Contains(const std::vector<absl::Time>& starts, absl::Time t) {
  return std::find(starts.begin(), starts.end(), t) != starts.end();
}

TEST(CalendarTest, FindsOverlapsOnlyWhereIntervalsMeet) {
  Calendar c({{Local(kY, kM, kD, 10, 0), Local(kY, kM, kD, 10, 40)},
              {Local(kY, kM, kD, 8, 0), Local(kY, kM, kD, 9, 0)}});
  EXPECT_FALSE(c.IsFree({Local(kY, kM, kD, 10, 30), Local(kY, kM, kD, 11, 0)}));
  EXPECT_FALSE(c.IsFree({Local(kY, kM, kD, 9, 30), Local(kY, kM, kD, 10, 1)}));
  EXPECT_FALSE(c.IsFree({Local(kY, kM, kD, 7, 0), Local(kY, kM, kD, 12, 0)}));  // covers both
  EXPECT_TRUE(c.IsFree({Local(kY, kM, kD, 9, 0), Local(kY, kM, kD, 10, 0)}));   // touching is fine
  EXPECT_TRUE(c.IsFree({Local(kY, kM, kD, 10, 40), Local(kY, kM, kD, 11, 0)}));
  c.Add({Local(kY, kM, kD, 9, 30), Local(kY, kM, kD, 9, 45)});
  EXPECT_FALSE(c.IsFree({Local(kY, kM, kD, 9, 0), Local(kY, kM, kD, 10, 0)}));
  EXPECT_EQ(c.FirstOverlap({Local(kY, kM, kD, 9, 0), Local(kY, kM, kD, 12, 0)})->start,
            Local(kY, kM, kD, 9, 30));
}

TEST(WeeklyHoursTest, ContainsOnlyWholeIntervalsInsideOneRange) {
  const WeeklyHours hours = OpeningHoursOf(testing::BerlinClinic());
  EXPECT_TRUE(hours.Contains({Local(kY, kM, kD, 9, 0), Local(kY, kM, kD, 9, 40)}, Berlin()));
  EXPECT_TRUE(hours.Contains({Local(kY, kM, kD, 17, 20), Local(kY, kM, kD, 18, 0)}, Berlin()));
  EXPECT_FALSE(hours.Contains({Local(kY, kM, kD, 17, 30), Local(kY, kM, kD, 18, 10)}, Berlin()));
  EXPECT_FALSE(hours.Contains({Local(kY, kM, kD, 8, 50), Local(kY, kM, kD, 9, 20)}, Berlin()));
  // Saturday 2026-06-13 has no opening hours.
  EXPECT_FALSE(hours.Contains({Local(2026, 6, 13, 10, 0), Local(2026, 6, 13, 10, 30)}, Berlin()));
}

TEST(FindSlotsTest, GridFollowsOpeningAndWorkingHoursWithBuffer) {
  const auto clinic = testing::BerlinClinic();
  const auto slots = FindSlots(DaySearch(clinic, testing::Weber()), nullptr, 1000);
  const auto starts = Starts(slots);
  ASSERT_FALSE(starts.empty());
  EXPECT_EQ(starts.front(), Local(kY, kM, kD, 9, 0));
  // Works until 17:00: 30 min + 10 min buffer must end by then -> last 16:15.
  EXPECT_EQ(starts.back(), Local(kY, kM, kD, 16, 15));
  EXPECT_EQ(starts.size(), 30u);  // 09:00..16:15 every 15 minutes
  for (const auto& s : slots) {
    EXPECT_EQ(s.end - s.start, absl::Minutes(30));
    EXPECT_EQ(s.practitioner_id, "pr_weber");
    EXPECT_EQ(s.room_id, "rm_1");
  }
}

TEST(FindSlotsTest, ClinicCloseLimitsWhenPractitionerWorksLonger) {
  auto clinic = testing::BerlinClinic();
  auto weber = testing::Weber();
  for (auto& h : *weber.mutable_working_hours()) *h.mutable_end() = testing::Tod(20, 0);
  const auto starts = Starts(FindSlots(DaySearch(clinic, weber), nullptr, 1000));
  EXPECT_EQ(starts.back(), Local(kY, kM, kD, 17, 15));  // 17:15 + 40 min = 17:55 <= 18:00
}

TEST(FindSlotsTest, ClosedDayAndWeekendHaveNoSlots) {
  auto clinic = testing::BerlinClinic();
  *clinic.add_closed_days() = ToDate(absl::CivilDay(kY, kM, kD));
  EXPECT_TRUE(FindSlots(DaySearch(clinic, testing::Weber()), nullptr, 10).empty());

  auto search = DaySearch(testing::BerlinClinic(), testing::Weber());
  search.window = {Local(2026, 6, 13, 0, 0), Local(2026, 6, 15, 0, 0)};  // Sat + Sun
  EXPECT_TRUE(FindSlots(search, nullptr, 10).empty());
}

TEST(FindSlotsTest, BusyPractitionerBlocksSessionPlusBuffer) {
  auto search = DaySearch(testing::BerlinClinic(), testing::Weber());
  // An appointment 11:00-11:30 with its 10 min buffer: busy 11:00-11:40.
  search.practitioners[0].busy.Add({Local(kY, kM, kD, 11, 0), Local(kY, kM, kD, 11, 40)});
  const auto starts = Starts(FindSlots(search, nullptr, 1000));
  EXPECT_TRUE(Contains(starts, Local(kY, kM, kD, 10, 15)));   // 10:15-10:55 ends before 11:00
  EXPECT_FALSE(Contains(starts, Local(kY, kM, kD, 10, 30)));  // 10:30 + 40 min overlaps
  EXPECT_FALSE(Contains(starts, Local(kY, kM, kD, 11, 0)));
  EXPECT_FALSE(Contains(starts, Local(kY, kM, kD, 11, 30)));
  EXPECT_TRUE(Contains(starts, Local(kY, kM, kD, 11, 45)));
}

TEST(FindSlotsTest, RoomAndPatientCalendarsCount) {
  auto search = DaySearch(testing::BerlinClinic(), testing::Weber());
  search.rooms.push_back({"rm_2", Calendar()});
  search.rooms[0].busy.Add({Local(kY, kM, kD, 9, 0), Local(kY, kM, kD, 12, 0)});
  auto slots = FindSlots(search, nullptr, 1000);
  for (const auto& s : slots) {
    if (s.start < Local(kY, kM, kD, 12, 0)) EXPECT_EQ(s.room_id, "rm_2");
  }
  // The patient is elsewhere 14:00-15:00 (no buffer for patients).
  search.patient_busy = Calendar({{Local(kY, kM, kD, 14, 0), Local(kY, kM, kD, 15, 0)}});
  const auto starts = Starts(FindSlots(search, nullptr, 1000));
  EXPECT_TRUE(Contains(starts, Local(kY, kM, kD, 13, 30)));  // ends 14:00 exactly
  EXPECT_FALSE(Contains(starts, Local(kY, kM, kD, 13, 45)));
  EXPECT_TRUE(Contains(starts, Local(kY, kM, kD, 15, 0)));
}

TEST(FindSlotsTest, TimeOffAndNoRoomsLeaveNothing) {
  auto weber = testing::Weber();
  auto* off = weber.add_time_off();
  *off->mutable_start_time() = ToTimestamp(Local(kY, kM, kD, 0, 0));
  *off->mutable_end_time() = ToTimestamp(Local(kY, kM, kD, 13, 0));
  auto search = DaySearch(testing::BerlinClinic(), weber);
  const auto starts = Starts(FindSlots(search, nullptr, 1000));
  EXPECT_EQ(starts.front(), Local(kY, kM, kD, 13, 0));
  search.rooms.clear();
  EXPECT_TRUE(FindSlots(search, nullptr, 1000).empty());
}

TEST(FindSlotsTest, PagesResumeStrictlyAfterTheCursorInOrder) {
  auto search = DaySearch(testing::BerlinClinic(), testing::Weber());
  auto other = search.practitioners[0];
  other.id = "pr_alpha";
  search.practitioners.push_back(other);
  search.rooms.push_back({"rm_0", Calendar()});
  const auto all = FindSlots(search, nullptr, 100000);
  ASSERT_TRUE(std::is_sorted(all.begin(), all.end(), SlotLess));
  EXPECT_EQ(all.size(), 30u * 2 * 2);
  std::vector<SlotCandidate> paged;
  const SlotCandidate* cursor = nullptr;
  std::vector<SlotCandidate> page;
  do {
    page = FindSlots(search, cursor, 7);
    paged.insert(paged.end(), page.begin(), page.end());
    cursor = page.empty() ? nullptr : &paged.back();
  } while (page.size() == 7);
  ASSERT_EQ(paged.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(SlotLess(all[i], paged[i]) || SlotLess(paged[i], all[i])) << i;
  }
}

TEST(FindSlotsTest, LocalGridSurvivesTheMarchDstChange) {
  // Sunday 2026-03-29 Berlin springs forward; a clinic open that Sunday
  // 01:00-05:00 has no 02:xx starts (they do not exist) and 03:00 is 01:00 UTC.
  v1::Clinic clinic = testing::BerlinClinic();
  auto* h = clinic.add_opening_hours();
  h->set_day_of_week(google::type::SUNDAY);
  *h->mutable_open() = testing::Tod(1, 0);
  *h->mutable_close() = testing::Tod(5, 0);
  v1::Practitioner p = testing::Weber();
  auto* w = p.add_working_hours();
  w->set_clinic_id(clinic.id());
  w->set_day_of_week(google::type::SUNDAY);
  *w->mutable_start() = testing::Tod(0, 0);
  *w->mutable_end() = testing::Tod(24, 0);
  auto search = DaySearch(clinic, p);
  search.buffer = absl::ZeroDuration();
  search.slot_interval = absl::Minutes(60);
  search.window = {Local(2026, 3, 29, 0, 0), Local(2026, 3, 30, 0, 0)};
  const auto starts = Starts(FindSlots(search, nullptr, 100));
  ASSERT_EQ(starts.size(), 3u);  // 01:00, 03:00, 04:00 local
  EXPECT_EQ(starts[0],
            absl::FromCivil(absl::CivilSecond(2026, 3, 29, 0, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(starts[1],
            absl::FromCivil(absl::CivilSecond(2026, 3, 29, 1, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(absl::FormatTime("%H:%M", starts[1], Berlin()), "03:00");
}

}  // namespace
}  // namespace dermaflow::scheduling
