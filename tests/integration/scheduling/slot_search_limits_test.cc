// FindAvailableSlots' window is bounded (issue 16): at most 31 days long and
// starting no further ahead than a booking may (2 years), so one call's work
// has a ceiling; anything else is INVALID_ARGUMENT naming `time_range`
// before a store or another service is asked.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/booking_rules.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SlotSearchLimitsTest : public ::testing::Test {
 protected:
  SlotSearchLimitsTest() : org_(env_.SetUpOrganization("clinic-a")) {}

  grpc::Status Find(absl::Time from, absl::Time to, v1::FindAvailableSlotsResponse* page) {
    v1::FindAvailableSlotsRequest find;
    find.set_clinic_id(org_.clinic_id);
    find.set_protocol_id(org_.hydralift_id);
    *find.mutable_time_range()->mutable_start_time() = Ts(from);
    *find.mutable_time_range()->mutable_end_time() = Ts(to);
    find.set_page_size(1);
    return env_.scheduling().FindAvailableSlots(SchedulingEnv::Ctx(org_.reception_token).get(),
                                                find, page);
  }

  SchedulingEnv env_;
  Organization org_;
};

TEST_F(SlotSearchLimitsTest, AnswersAWindowOf31Days) {
  const absl::Time from = env_.NextLocal(absl::Weekday::monday, 0, 0);
  v1::FindAvailableSlotsResponse page;
  grpc::Status s = Find(from, from + absl::Hours(24 * 31), &page);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(page.slots_size(), 1);
}

TEST_F(SlotSearchLimitsTest, RefusesAWindowLongerThan31Days) {
  const absl::Time from = env_.NextLocal(absl::Weekday::monday, 0, 0);
  v1::FindAvailableSlotsResponse page;
  grpc::Status s = Find(from, from + absl::Hours(24 * 31) + absl::Seconds(1), &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFieldsOf(s), ElementsAre("time_range"));
  EXPECT_THAT(s.error_message(), HasSubstr("31 days"));
}

TEST_F(SlotSearchLimitsTest, RefusesAWindowBeyondTheBookingHorizon) {
  // Nothing there can be booked (BookAppointment refuses start times more
  // than 2 years ahead), so searching it is only work.
  const absl::Time from = env_.clock().Now() + kMaxBookingHorizon + absl::Hours(1);
  v1::FindAvailableSlotsResponse page;
  grpc::Status s = Find(from, from + absl::Hours(24), &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFieldsOf(s), ElementsAre("time_range"));
  EXPECT_THAT(s.error_message(), HasSubstr("2 years"));
}

TEST_F(SlotSearchLimitsTest, RefusesAWindowInTheFarFuture) {
  // Year 9000: still a valid Timestamp, far past any calendar.
  const absl::Time from = absl::FromCivil(absl::CivilDay(9000, 1, 3), Berlin());
  v1::FindAvailableSlotsResponse page;
  grpc::Status s = Find(from, from + absl::Hours(24 * 30), &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadFieldsOf(s), ElementsAre("time_range"));
}

TEST_F(SlotSearchLimitsTest, AnswersAWindowEndingAtTheHorizon) {
  // The last day that can still be booked is searchable.
  const absl::Time to = env_.clock().Now() + kMaxBookingHorizon;
  v1::FindAvailableSlotsResponse page;
  grpc::Status s = Find(to - absl::Hours(24 * 7), to, &page);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
