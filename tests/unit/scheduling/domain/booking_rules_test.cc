// Booking rules without calendars: who may give what where, and whether a
// session lies inside opening and working hours, off closed days and time off.
#include "services/scheduling/domain/booking_rules.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/scheduling/domain/local_time.h"
#include "tests/unit/scheduling/test_clinic.h"

namespace dermaflow::scheduling {
namespace {

using testing::Berlin;
using testing::Local;

std::vector<std::string> Types(const std::vector<common::PreconditionViolation>& v) {
  std::vector<std::string> types;
  for (const auto& x : v) types.push_back(x.type + " " + x.subject);
  return types;
}

class BookingRulesTest : public ::testing::Test {
 protected:
  v1::Clinic clinic_ = testing::BerlinClinic();
  v1::Practitioner weber_ = testing::Weber();
  protocol::v1::Protocol hydralift_ = testing::Hydralift();
  BookingParties parties() { return {&clinic_, &weber_, &hydralift_, nullptr}; }
  std::vector<std::string> TimeViolations(absl::Time start) {
    return Types(CheckSessionTime(parties(), Berlin(), {start, start + absl::Minutes(40)}));
  }
};

TEST_F(BookingRulesTest, QualifiedPhysicianAtHerClinicPasses) {
  EXPECT_TRUE(CheckParties(parties()).empty());
  EXPECT_TRUE(TimeViolations(Local(2026, 6, 10, 10, 0)).empty());
}

TEST_F(BookingRulesTest, PartiesAreCheckedTogether) {
  weber_.clear_clinic_ids();
  weber_.clear_qualified_categories();
  weber_.set_is_physician(false);
  weber_.set_archived(true);
  v1::Room room;
  room.set_id("rm_x");
  room.set_clinic_id("cl_other");
  auto p = parties();
  p.room = &room;
  EXPECT_EQ(
      Types(CheckParties(p)),
      (std::vector<std::string>{
          "ARCHIVED practitioner/pr_weber", "PRACTITIONER_NOT_AT_CLINIC practitioner/pr_weber",
          "PRACTITIONER_NOT_QUALIFIED practitioner/pr_weber",
          "PHYSICIAN_REQUIRED practitioner/pr_weber", "ROOM_NOT_SUITABLE room/rm_x"}));
}

TEST_F(BookingRulesTest, RoomCategoriesMustMatchWhenListed) {
  v1::Room room;
  room.set_id("rm_1");
  room.set_clinic_id(clinic_.id());
  EXPECT_TRUE(RoomSuits(room, clinic_.id(), hydralift_.category()));
  room.add_categories(protocol::v1::PROTOCOL_CATEGORY_THREAD_LIFT);
  EXPECT_FALSE(RoomSuits(room, clinic_.id(), hydralift_.category()));
  room.add_categories(protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  EXPECT_TRUE(RoomSuits(room, clinic_.id(), hydralift_.category()));
}

TEST_F(BookingRulesTest, SessionTimeRules) {
  EXPECT_EQ(TimeViolations(Local(2026, 6, 10, 8, 30)),
            (std::vector<std::string>{"OUTSIDE_OPENING_HOURS clinic/cl_berlin",
                                      "OUTSIDE_WORKING_HOURS practitioner/pr_weber"}));
  // Open until 18:00 but Weber works until 17:00 (buffer included).
  EXPECT_EQ(TimeViolations(Local(2026, 6, 10, 16, 30)),
            (std::vector<std::string>{"OUTSIDE_WORKING_HOURS practitioner/pr_weber"}));
  *clinic_.add_closed_days() = ToDate(absl::CivilDay(2026, 6, 10));
  EXPECT_EQ(TimeViolations(Local(2026, 6, 10, 10, 0)),
            (std::vector<std::string>{"CLINIC_CLOSED clinic/cl_berlin"}));
  auto* off = weber_.add_time_off();
  *off->mutable_start_time() = ToTimestamp(Local(2026, 6, 11, 10, 30));
  *off->mutable_end_time() = ToTimestamp(Local(2026, 6, 12, 0, 0));
  EXPECT_EQ(TimeViolations(Local(2026, 6, 11, 10, 0)),
            (std::vector<std::string>{"PRACTITIONER_TIME_OFF practitioner/pr_weber"}));
  EXPECT_TRUE(TimeViolations(Local(2026, 6, 11, 9, 0)).empty());
}

TEST_F(BookingRulesTest, StartTimeLimits) {
  const absl::Time now = Local(2026, 6, 1, 12, 0);
  EXPECT_TRUE(CheckStartTime(Local(2026, 6, 10, 10, 0), now, "start_time").ok());
  EXPECT_EQ(CheckStartTime(Local(2026, 6, 1, 11, 0), now, "start_time").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckStartTime(Local(2026, 6, 10, 10, 0) + absl::Seconds(5), now, "start_time").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckStartTime(Local(2028, 7, 1, 10, 0), now, "start_time").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(common::ViolatedFields(CheckStartTime(now, now, "first_start_time")),
            std::vector<std::string>{"first_start_time"});
}

}  // namespace
}  // namespace dermaflow::scheduling
