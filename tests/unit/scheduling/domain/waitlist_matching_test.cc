// The waitlist's matching rule: which entries a freed slot fits (dates and
// time windows in the clinic's zone, across a DST change), the offer order
// (earliest entry, then exact practitioner before "any"), expiry and quiet
// hours. Fixed times, no Redis.
#include "services/scheduling/domain/waitlist_matching.h"

#include "gtest/gtest.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

absl::TimeZone Berlin() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Berlin", &tz));
  return tz;
}

absl::Time At(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), Berlin());
}

google::type::TimeOfDay Tod(int h, int m) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

v1::WaitlistEntry Entry(const std::string& id, absl::Time created,
                        const std::string& practitioner = "") {
  v1::WaitlistEntry e;
  e.set_id(id);
  e.set_patient_id("pa_" + id);
  e.set_protocol_id("hydralift");
  e.set_clinic_id("berlin");
  e.set_practitioner_id(practitioner);
  *e.mutable_earliest_date() = ToDate(absl::CivilDay(2027, 3, 1));
  *e.mutable_latest_date() = ToDate(absl::CivilDay(2027, 4, 30));
  e.set_state(v1::WAITLIST_ENTRY_STATE_WAITING);
  *e.mutable_create_time() = ToTimestamp(created);
  return e;
}

FreedSlot Slot(absl::Time start) {
  return {"sl_1", "berlin", "dr-weber", "hydralift", start, start + absl::Minutes(30), start};
}

const absl::Time kNow = At(2027, 2, 20, 12, 0);

TEST(WaitlistMatchingTest, SlotInsideDatesAndAnyWindowFits) {
  const v1::WaitlistEntry e = Entry("a", kNow);
  EXPECT_EQ(FitOf(e, Slot(At(2027, 3, 10, 10, 0)), absl::Minutes(30), Berlin(), kNow),
            Fit::kAnyPractitioner);
  EXPECT_EQ(FitOf(e, Slot(At(2027, 5, 1, 10, 0)), absl::Minutes(30), Berlin(), kNow), Fit::kNone);
  EXPECT_EQ(FitOf(e, Slot(At(2027, 2, 28, 10, 0)), absl::Minutes(30), Berlin(), kNow), Fit::kNone);
}

TEST(WaitlistMatchingTest, OtherClinicProtocolOrPractitionerDoesNotFit) {
  v1::WaitlistEntry e = Entry("a", kNow, "dr-other");
  const FreedSlot slot = Slot(At(2027, 3, 10, 10, 0));
  EXPECT_EQ(FitOf(e, slot, absl::Minutes(30), Berlin(), kNow), Fit::kNone);
  e.set_practitioner_id("dr-weber");
  EXPECT_EQ(FitOf(e, slot, absl::Minutes(30), Berlin(), kNow), Fit::kExactPractitioner);
  e.set_protocol_id("collagen");
  EXPECT_EQ(FitOf(e, slot, absl::Minutes(30), Berlin(), kNow), Fit::kNone);
}

TEST(WaitlistMatchingTest, SessionMustLieInsideOneWindowOfItsWeekday) {
  v1::WaitlistEntry e = Entry("a", kNow);
  v1::WaitlistTimeWindow* w = e.add_time_windows();
  w->set_day_of_week(google::type::WEDNESDAY);  // 2027-03-10 is a Wednesday
  *w->mutable_start() = Tod(9, 0);
  *w->mutable_end() = Tod(10, 30);
  EXPECT_EQ(FitOf(e, Slot(At(2027, 3, 10, 10, 0)), absl::Minutes(30), Berlin(), kNow),
            Fit::kAnyPractitioner);
  // Ends 10:45, after the window.
  EXPECT_EQ(FitOf(e, Slot(At(2027, 3, 10, 10, 15)), absl::Minutes(30), Berlin(), kNow), Fit::kNone);
  // Thursday.
  EXPECT_EQ(FitOf(e, Slot(At(2027, 3, 11, 9, 0)), absl::Minutes(30), Berlin(), kNow), Fit::kNone);
}

TEST(WaitlistMatchingTest, WindowsAreLocalTimeAcrossTheDstChange) {
  // 2027-03-28: Berlin moves from UTC+1 to UTC+2. A 09:00-10:00 window means
  // 08:00Z the day before and 07:00Z on the day after.
  v1::WaitlistEntry e = Entry("a", kNow);
  v1::WaitlistTimeWindow* w = e.add_time_windows();
  *w->mutable_start() = Tod(9, 0);
  *w->mutable_end() = Tod(10, 0);
  const absl::Time before =
      absl::FromCivil(absl::CivilMinute(2027, 3, 27, 8, 0), absl::UTCTimeZone());
  const absl::Time after =
      absl::FromCivil(absl::CivilMinute(2027, 3, 29, 7, 0), absl::UTCTimeZone());
  const absl::Time after_utc_hour =
      absl::FromCivil(absl::CivilMinute(2027, 3, 29, 8, 30), absl::UTCTimeZone());
  EXPECT_EQ(FitOf(e, Slot(before), absl::Minutes(30), Berlin(), kNow), Fit::kAnyPractitioner);
  EXPECT_EQ(FitOf(e, Slot(after), absl::Minutes(30), Berlin(), kNow), Fit::kAnyPractitioner);
  // 10:30 local after the change: outside, though 08:30Z was inside before it.
  EXPECT_EQ(FitOf(e, Slot(after_utc_hour), absl::Minutes(30), Berlin(), kNow), Fit::kNone);
}

TEST(WaitlistMatchingTest, ExpiredEntryOrPastSlotDoesNotFit) {
  v1::WaitlistEntry e = Entry("a", kNow);
  *e.mutable_expire_time() = ToTimestamp(kNow + absl::Hours(1));
  const FreedSlot slot = Slot(At(2027, 3, 10, 10, 0));
  EXPECT_EQ(FitOf(e, slot, absl::Minutes(30), Berlin(), kNow), Fit::kAnyPractitioner);
  EXPECT_EQ(FitOf(e, slot, absl::Minutes(30), Berlin(), kNow + absl::Hours(1)), Fit::kNone);
  EXPECT_EQ(EffectiveState(e, kNow + absl::Hours(2)), v1::WAITLIST_ENTRY_STATE_EXPIRED);
  EXPECT_EQ(EffectiveState(e, kNow), v1::WAITLIST_ENTRY_STATE_WAITING);
  e.clear_expire_time();  // then the end of latest_date
  EXPECT_EQ(ExpiryOf(e, Berlin()), At(2027, 5, 1, 0, 0));
  EXPECT_EQ(FitOf(e, slot, absl::Minutes(30), Berlin(), At(2027, 3, 10, 10, 0)), Fit::kNone);
}

TEST(WaitlistMatchingTest, EarliestEntryFirstThenExactPractitioner) {
  const FreedSlot slot = Slot(At(2027, 3, 10, 10, 0));
  std::vector<v1::WaitlistEntry> entries = {
      Entry("late", kNow + absl::Minutes(5), "dr-weber"),
      Entry("any", kNow),
      Entry("exact", kNow, "dr-weber"),
      Entry("first", kNow - absl::Hours(1)),
      Entry("offered", kNow - absl::Hours(2)),
      Entry("other-practitioner", kNow - absl::Hours(3), "dr-other"),
  };
  entries[4].set_state(v1::WAITLIST_ENTRY_STATE_OFFERED);
  const std::vector<RankedEntry> ranked =
      RankEntries(entries, slot, absl::Minutes(30), Berlin(), kNow);
  std::vector<std::string> ids;
  ids.reserve(ranked.size());
  for (const RankedEntry& r : ranked) ids.push_back(r.entry->id());
  EXPECT_EQ(ids, (std::vector<std::string>{"first", "exact", "any", "late"}));
}

TEST(WaitlistMatchingTest, QuietHoursSpanMidnightInThePatientsZone) {
  absl::StatusOr<QuietWindow> night = ParseQuietWindow("21:00-08:00");
  ASSERT_TRUE(night.ok());
  EXPECT_TRUE(InQuietHours(*night, At(2027, 3, 10, 22, 0), Berlin()));
  EXPECT_TRUE(InQuietHours(*night, At(2027, 3, 10, 7, 59), Berlin()));
  EXPECT_FALSE(InQuietHours(*night, At(2027, 3, 10, 8, 0), Berlin()));
  EXPECT_FALSE(InQuietHours(*night, At(2027, 3, 10, 20, 59), Berlin()));
  // 06:30Z is 07:30 in Berlin (quiet) but 06:30 in London? both quiet; 07:30Z:
  // 08:30 in Berlin (not quiet), 07:30 in London (quiet).
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2027, 3, 10, 7, 30), absl::UTCTimeZone());
  EXPECT_FALSE(InQuietHours(*night, t, Berlin()));
  EXPECT_TRUE(InQuietHours(*night, t, london));
  EXPECT_FALSE(InQuietHours({480, 480}, t, london));  // start == end: none
  EXPECT_FALSE(ParseQuietWindow("21-08").ok());
  EXPECT_FALSE(ParseQuietWindow("25:00-08:00").ok());
}

TEST(WaitlistMatchingTest, ValidationNamesTheField) {
  v1::WaitlistEntry e = Entry("a", kNow);
  EXPECT_TRUE(ValidateNewEntry(e, Berlin(), kNow).ok());
  v1::WaitlistEntry bad = e;
  *bad.mutable_latest_date() = ToDate(absl::CivilDay(2027, 2, 1));
  EXPECT_NE(ValidateNewEntry(bad, Berlin(), kNow).ToString().find("latest_date"),
            std::string::npos);
  bad = e;
  v1::WaitlistTimeWindow* w = bad.add_time_windows();
  *w->mutable_start() = Tod(10, 0);
  *w->mutable_end() = Tod(9, 0);
  const absl::Status s = ValidateNewEntry(bad, Berlin(), kNow);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  bad = e;
  bad.clear_patient_id();
  EXPECT_FALSE(ValidateNewEntry(bad, Berlin(), kNow).ok());
}

}  // namespace
}  // namespace dermaflow::scheduling
