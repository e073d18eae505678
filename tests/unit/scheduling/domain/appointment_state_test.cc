// The appointment state machine: every pair of states, legal or not, and the
// transitions' time rules and recorded fields.
#include "services/scheduling/domain/appointment_state.h"

#include <string>
#include <tuple>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/scheduling/domain/local_time.h"
#include "tests/unit/scheduling/test_clinic.h"

namespace dermaflow::scheduling {
namespace {

using testing::Berlin;
using testing::Local;

constexpr v1::AppointmentState kStates[] = {
    v1::APPOINTMENT_STATE_BOOKED, v1::APPOINTMENT_STATE_ARRIVED, v1::APPOINTMENT_STATE_FULFILLED,
    v1::APPOINTMENT_STATE_CANCELLED, v1::APPOINTMENT_STATE_NOSHOW};

v1::Appointment At(v1::AppointmentState state, absl::Time start = Local(2026, 6, 10, 10, 0)) {
  v1::Appointment a;
  a.set_id("ap_1");
  a.set_state(state);
  a.set_practitioner_id("pr_weber");
  *a.mutable_start_time() = ToTimestamp(start);
  *a.mutable_end_time() = ToTimestamp(start + absl::Minutes(30));
  return a;
}

google::rpc::PreconditionFailure Violations(const absl::Status& status) {
  google::rpc::PreconditionFailure detail;
  auto payload = status.GetPayload("type.googleapis.com/google.rpc.PreconditionFailure");
  if (payload) detail.ParseFromString(std::string(*payload));
  return detail;
}

TEST(AppointmentStateTest, EveryTransitionIsLegalOrRefusedNamingBothStates) {
  const std::set<std::pair<v1::AppointmentState, v1::AppointmentState>> legal = {
      {v1::APPOINTMENT_STATE_BOOKED, v1::APPOINTMENT_STATE_ARRIVED},
      {v1::APPOINTMENT_STATE_BOOKED, v1::APPOINTMENT_STATE_FULFILLED},
      {v1::APPOINTMENT_STATE_BOOKED, v1::APPOINTMENT_STATE_CANCELLED},
      {v1::APPOINTMENT_STATE_BOOKED, v1::APPOINTMENT_STATE_NOSHOW},
      {v1::APPOINTMENT_STATE_ARRIVED, v1::APPOINTMENT_STATE_FULFILLED},
      {v1::APPOINTMENT_STATE_ARRIVED, v1::APPOINTMENT_STATE_CANCELLED},
  };
  for (auto from : kStates) {
    for (auto to : kStates) {
      SCOPED_TRACE(StateName(from) + " -> " + StateName(to));
      const bool is_legal = legal.count({from, to}) > 0;
      EXPECT_EQ(IsTransitionAllowed(from, to), is_legal);
      absl::Status status = CheckTransition(At(from), to);
      if (is_legal) {
        EXPECT_TRUE(status.ok()) << status;
        continue;
      }
      ASSERT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_NE(status.message().find(StateName(from) + " to " + StateName(to)),
                absl::string_view::npos)
          << status.message();
      const auto detail = Violations(status);
      ASSERT_EQ(detail.violations_size(), 1);
      EXPECT_EQ(detail.violations(0).type(), "APPOINTMENT_STATE");
      EXPECT_EQ(detail.violations(0).subject(), "appointment/ap_1");
    }
  }
}

TEST(AppointmentStateTest, FinalStatesAndSlots) {
  EXPECT_TRUE(HoldsSlot(v1::APPOINTMENT_STATE_BOOKED));
  EXPECT_TRUE(HoldsSlot(v1::APPOINTMENT_STATE_ARRIVED));
  EXPECT_FALSE(HoldsSlot(v1::APPOINTMENT_STATE_FULFILLED));
  EXPECT_FALSE(HoldsSlot(v1::APPOINTMENT_STATE_CANCELLED));
  EXPECT_FALSE(HoldsSlot(v1::APPOINTMENT_STATE_NOSHOW));
}

TEST(AppointmentStateTest, CheckInFromTheLocalDayOn) {
  auto a = At(v1::APPOINTMENT_STATE_BOOKED);
  absl::Status early = CheckIn(a, Local(2026, 6, 9, 23, 59), Berlin());
  EXPECT_EQ(Violations(early).violations(0).type(), "TOO_EARLY");
  EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_BOOKED);  // unchanged on error
  ASSERT_TRUE(CheckIn(a, Local(2026, 6, 10, 0, 0), Berlin()).ok());
  EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_ARRIVED);
  EXPECT_EQ(ToTime(a.arrive_time()), Local(2026, 6, 10, 0, 0));
  EXPECT_EQ(ToTime(a.update_time()), Local(2026, 6, 10, 0, 0));
  EXPECT_EQ(CheckIn(a, Local(2026, 6, 10, 9, 0), Berlin()).code(),
            absl::StatusCode::kFailedPrecondition);  // ARRIVED -> ARRIVED
}

TEST(AppointmentStateTest, CompleteRecordsWhoWhatAndChecksInImplicitly) {
  auto a = At(v1::APPOINTMENT_STATE_BOOKED);
  v1::Completion c;
  c.add_treated_areas(protocol::v1::TREATMENT_AREA_FACE);
  c.add_side_effects(v1::SIDE_EFFECT_BRUISING);
  EXPECT_EQ(Violations(Complete(a, c, Local(2026, 6, 10, 9, 59), "u1")).violations(0).type(),
            "TOO_EARLY");
  ASSERT_TRUE(Complete(a, c, Local(2026, 6, 10, 10, 30), "u1").ok());
  EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_FULFILLED);
  EXPECT_EQ(a.completion().completed_by(), "u1");
  EXPECT_EQ(a.completion().practitioner_id(), "pr_weber");
  EXPECT_EQ(ToTime(a.completion().complete_time()), Local(2026, 6, 10, 10, 30));
  EXPECT_EQ(ToTime(a.arrive_time()), Local(2026, 6, 10, 10, 30));
  EXPECT_EQ(a.completion().side_effects(0), v1::SIDE_EFFECT_BRUISING);
}

TEST(AppointmentStateTest, CancelAndNoShow) {
  auto a = At(v1::APPOINTMENT_STATE_ARRIVED);
  v1::Cancellation why;
  why.set_reason(v1::CANCELLATION_REASON_CONTRAINDICATION);
  ASSERT_TRUE(Cancel(a, why, Local(2026, 6, 10, 9, 0), "desk").ok());
  EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(a.cancellation().cancelled_by(), "desk");
  EXPECT_EQ(a.cancellation().reason(), v1::CANCELLATION_REASON_CONTRAINDICATION);

  auto b = At(v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(Violations(MarkNoShow(b, Local(2026, 6, 10, 9, 59))).violations(0).type(), "TOO_EARLY");
  ASSERT_TRUE(MarkNoShow(b, Local(2026, 6, 10, 10, 5)).ok());
  EXPECT_EQ(b.state(), v1::APPOINTMENT_STATE_NOSHOW);
  EXPECT_EQ(MarkNoShow(b, Local(2026, 6, 10, 10, 6)).code(), absl::StatusCode::kFailedPrecondition);

  auto arrived = At(v1::APPOINTMENT_STATE_ARRIVED);
  EXPECT_EQ(MarkNoShow(arrived, Local(2026, 6, 10, 11, 0)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(AppointmentStateTest, OnlyBookedAppointmentsMove) {
  for (auto state : kStates) {
    EXPECT_EQ(CheckReschedulable(At(state)).ok(), state == v1::APPOINTMENT_STATE_BOOKED)
        << StateName(state);
  }
}

}  // namespace
}  // namespace dermaflow::scheduling
