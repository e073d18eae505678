// Courses end to end: PlanCourse books three weekly hydralift sessions at
// the same local time, a full run through check-in and completion completes
// the course with its maintenance due date (6 months after the last
// session's local date), and every step publishes the events notification
// plans reminders from.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

using ::testing::SizeIs;

class CourseTest : public ::testing::Test {
 protected:
  CourseTest() : org_(env_.SetUpOrganization("clinic-a")), patient_(env_.CreatePatient(org_)) {}

  v1::PlanCourseRequest Plan(absl::Time first, const std::string& request_id) {
    v1::PlanCourseRequest r;
    r.set_patient_id(patient_);
    r.set_protocol_id(org_.hydralift_id);
    r.set_clinic_id(org_.clinic_id);
    r.set_practitioner_id(org_.practitioner_id);
    *r.mutable_first_start_time() = Ts(first);
    r.set_request_id(request_id);
    return r;
  }

  std::unique_ptr<grpc::ClientContext> AsPractitioner() {
    return SchedulingEnv::Ctx(org_.practitioner_token);
  }

  SchedulingEnv env_;
  Organization org_;
  std::string patient_;
};

absl::CivilDay LocalDay(const v1::Appointment& a) {
  return absl::CivilDay(a.local_start_date().year(), a.local_start_date().month(),
                        a.local_start_date().day());
}

TEST_F(CourseTest, ThreeWeeklySessionsRunThroughToMaintenance) {
  const absl::Time first = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  v1::Course course;
  ASSERT_TRUE(
      env_.scheduling().PlanCourse(AsPractitioner().get(), Plan(first, "plan-1"), &course).ok());
  ASSERT_THAT(course.appointments(), SizeIs(3));
  EXPECT_EQ(course.state(), v1::COURSE_STATE_PLANNED);
  EXPECT_EQ(course.session_count(), 3);
  for (int i = 0; i < 3; ++i) {
    const v1::Appointment& a = course.appointments(i);
    EXPECT_EQ(a.course_id(), course.id());
    EXPECT_EQ(a.course_session_index(), i + 1);
    EXPECT_EQ(LocalDay(a), absl::ToCivilDay(first, Berlin()) + 7 * i);
    EXPECT_EQ(a.local_start_time().hours(), 10);  // the same local time, DST or not
    EXPECT_EQ(a.local_start_time().minutes(), 0);
  }
  // Replaying the request returns the same course; nothing is booked twice.
  v1::Course replay;
  ASSERT_TRUE(
      env_.scheduling().PlanCourse(AsPractitioner().get(), Plan(first, "plan-1"), &replay).ok());
  EXPECT_EQ(replay.id(), course.id());
  EXPECT_THAT(replay.appointments(), SizeIs(3));

  auto events = env_.Events("clinic-a");
  ASSERT_THAT(events, SizeIs(4));
  ASSERT_TRUE(events[0].has_course_planned());
  EXPECT_EQ(events[0].course_planned().course_id(), course.id());
  EXPECT_THAT(events[0].course_planned().sessions(), SizeIs(3));
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(events[i].has_appointment_booked());
    const auto& info = events[i].appointment_booked().appointment();
    EXPECT_EQ(info.course_session_index(), i);
    EXPECT_EQ(info.course_session_count(), 3);
    if (i < 3) {
      EXPECT_EQ(info.next_session_appointment_id(), course.appointments(i).id());
    } else {
      EXPECT_TRUE(info.next_session_appointment_id().empty());
    }
  }

  // Run every session: check in, complete.
  for (int i = 0; i < 3; ++i) {
    const v1::Appointment& a = course.appointments(i);
    v1::CheckInAppointmentRequest check_in;
    check_in.set_id(a.id());
    v1::Appointment arrived;
    grpc::Status s = env_.scheduling().CheckInAppointment(
        SchedulingEnv::Ctx(org_.reception_token).get(), check_in, &arrived);
    EXPECT_EQ(PreconditionFailureOf(s).violations(0).type(), "TOO_EARLY");
    env_.clock().Set(FromTs(a.start_time()) - absl::Minutes(10));
    ASSERT_TRUE(
        env_.scheduling()
            .CheckInAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), check_in, &arrived)
            .ok());
    EXPECT_EQ(arrived.state(), v1::APPOINTMENT_STATE_ARRIVED);

    env_.clock().Set(FromTs(a.end_time()));
    v1::CompleteAppointmentRequest complete;
    complete.set_id(a.id());
    complete.set_etag(arrived.etag());
    complete.mutable_completion()->add_treated_areas(protocol::v1::TREATMENT_AREA_FACE);
    complete.mutable_completion()->add_side_effects(v1::SIDE_EFFECT_BRUISING);
    complete.mutable_completion()->set_notes("clinical note");
    v1::Appointment done;
    s = env_.scheduling().CompleteAppointment(SchedulingEnv::Ctx(org_.reception_token).get(),
                                              complete, &done);
    EXPECT_EQ(s.error_code(),
              grpc::StatusCode::PERMISSION_DENIED);  // practitioners record treatments
    ASSERT_TRUE(
        env_.scheduling().CompleteAppointment(AsPractitioner().get(), complete, &done).ok());
    EXPECT_EQ(done.state(), v1::APPOINTMENT_STATE_FULFILLED);
    EXPECT_EQ(done.completion().notes(), "clinical note");
  }

  v1::GetCourseRequest get;
  get.set_id(course.id());
  v1::Course completed;
  ASSERT_TRUE(env_.scheduling()
                  .GetCourse(SchedulingEnv::Ctx(org_.reception_token).get(), get, &completed)
                  .ok());
  EXPECT_EQ(completed.state(), v1::COURSE_STATE_COMPLETED);
  EXPECT_EQ(completed.sessions_fulfilled(), 3);
  // Six calendar months after the last session's local date.
  const absl::CivilDay last = LocalDay(course.appointments(2));
  const absl::CivilMonth due_month = absl::CivilMonth(last) + 6;
  const int month_days =
      static_cast<int>(absl::CivilDay(due_month + 1) - absl::CivilDay(due_month));
  const absl::CivilDay due(due_month.year(), due_month.month(), std::min(last.day(), month_days));
  EXPECT_EQ(completed.maintenance_due_date().year(), due.year());
  EXPECT_EQ(completed.maintenance_due_date().month(), due.month());
  EXPECT_EQ(completed.maintenance_due_date().day(), due.day());
  EXPECT_EQ(completed.time_zone(), "Europe/Berlin");
  for (const auto& a : completed.appointments())
    EXPECT_TRUE(a.completion().notes().empty());  // reception

  events = env_.Events("clinic-a");
  ASSERT_THAT(events, SizeIs(4 + 3 * 2 + 1));
  for (int i = 0; i < 3; ++i) {
    const auto& arrived = events[4 + 2 * i];
    const auto& fulfilled = events[5 + 2 * i];
    ASSERT_TRUE(arrived.has_appointment_arrived());
    ASSERT_TRUE(fulfilled.has_appointment_fulfilled());
    const auto& info = fulfilled.appointment_fulfilled().appointment();
    EXPECT_EQ(info.appointment_id(), course.appointments(i).id());
    EXPECT_EQ(info.patient_id(), patient_);
    EXPECT_EQ(info.protocol_id(), org_.hydralift_id);
    EXPECT_EQ(info.protocol_version(), course.protocol_version());
    EXPECT_EQ(info.protocol_category(), protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
    EXPECT_EQ(info.clinic_id(), org_.clinic_id);
    EXPECT_EQ(info.clinic_display_name(), "Dermaflow Berlin Mitte");
    EXPECT_EQ(info.clinic_time_zone(), "Europe/Berlin");
    EXPECT_EQ(info.local_start_time().hours(), 10);
    EXPECT_EQ(info.course_id(), course.id());
    EXPECT_EQ(info.course_session_index(), i + 1);
    EXPECT_EQ(info.course_session_count(), 3);
    if (i < 2) {
      EXPECT_EQ(FromTs(info.next_session_start_time()),
                FromTs(course.appointments(i + 1).start_time()));
    } else {
      EXPECT_FALSE(info.has_next_session_start_time());
    }
    EXPECT_THAT(info.treated_areas(), ::testing::ElementsAre(protocol::v1::TREATMENT_AREA_FACE));
    EXPECT_THAT(info.side_effects(), ::testing::ElementsAre(v1::SIDE_EFFECT_BRUISING));
    EXPECT_EQ(info.state(), v1::APPOINTMENT_STATE_FULFILLED);
    EXPECT_EQ(FromTs(fulfilled.appointment_fulfilled().complete_time()),
              FromTs(course.appointments(i).end_time()));
  }
  ASSERT_TRUE(events.back().has_course_completed());
  const auto& done = events.back().course_completed();
  EXPECT_EQ(done.course_id(), course.id());
  EXPECT_EQ(done.maintenance_due_date().day(), due.day());
  EXPECT_EQ(done.maintenance_due_date().month(), due.month());
  EXPECT_EQ(done.last_appointment_id(), course.appointments(2).id());
  EXPECT_FALSE(done.ended_early());
  EXPECT_EQ(done.clinic_time_zone(), "Europe/Berlin");
}

TEST_F(CourseTest, TakenSessionMovesToTheNearestFreeTimeWithinTolerance) {
  const absl::Time first = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  // Another patient holds Dr. Weber at 10:00 in week 2.
  v1::BookAppointmentRequest other;
  other.set_patient_id(env_.CreatePatient(org_));
  other.set_protocol_id(org_.hydralift_id);
  other.set_clinic_id(org_.clinic_id);
  other.set_practitioner_id(org_.practitioner_id);
  const absl::CivilDay week2 = absl::ToCivilDay(first, Berlin()) + 7;
  *other.mutable_start_time() = Ts(absl::FromCivil(
      absl::CivilSecond(week2.year(), week2.month(), week2.day(), 10, 0, 0), Berlin()));
  other.set_request_id("blocker");
  v1::Appointment blocker;
  ASSERT_TRUE(env_.scheduling().BookAppointment(AsPractitioner().get(), other, &blocker).ok());

  v1::Course course;
  ASSERT_TRUE(
      env_.scheduling().PlanCourse(AsPractitioner().get(), Plan(first, "plan"), &course).ok());
  ASSERT_THAT(course.appointments(), SizeIs(3));
  const v1::Appointment& second = course.appointments(1);
  // The blocker holds 10:00-10:40 (incl. buffer). The nearest free times are
  // 09:15 (ends 09:55) and 10:45, both 45 min away: the earlier one wins.
  EXPECT_EQ(second.local_start_time().hours(), 9);
  EXPECT_EQ(second.local_start_time().minutes(), 15);
  EXPECT_EQ(course.appointments(2).local_start_time().hours(), 10);
}

TEST_F(CourseTest, CancelCourseCancelsOpenSessions) {
  v1::Course course;
  ASSERT_TRUE(env_.scheduling()
                  .PlanCourse(AsPractitioner().get(),
                              Plan(env_.NextLocal(absl::Weekday::monday, 9, 0), "plan"), &course)
                  .ok());
  v1::CancelCourseRequest cancel;
  cancel.set_id(course.id());
  cancel.set_etag(course.etag());
  cancel.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_PATIENT_REQUEST);
  v1::Course cancelled;
  ASSERT_TRUE(env_.scheduling()
                  .CancelCourse(SchedulingEnv::Ctx(org_.reception_token).get(), cancel, &cancelled)
                  .ok());
  EXPECT_EQ(cancelled.state(), v1::COURSE_STATE_CANCELLED);
  for (const auto& a : cancelled.appointments()) {
    EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_CANCELLED);
    EXPECT_EQ(a.cancellation().reason(), v1::CANCELLATION_REASON_COURSE_ENDED);
  }
  auto events = env_.Events("clinic-a");
  ASSERT_THAT(events, SizeIs(4 + 3 + 1));
  EXPECT_TRUE(events.back().has_course_cancelled());
  // The slots are free again: the same plan books (a minute later, so the
  // newest-first order below is well defined).
  env_.clock().Advance(absl::Minutes(1));
  v1::Course again;
  ASSERT_TRUE(env_.scheduling()
                  .PlanCourse(AsPractitioner().get(),
                              Plan(env_.NextLocal(absl::Weekday::monday, 9, 0), "plan-again"),
                              &again)
                  .ok());
  EXPECT_EQ(FromTs(again.appointments(0).start_time()),
            FromTs(course.appointments(0).start_time()));

  v1::ListCoursesRequest list;
  list.set_patient_id(patient_);
  v1::ListCoursesResponse courses;
  ASSERT_TRUE(env_.scheduling()
                  .ListCourses(SchedulingEnv::Ctx(org_.reception_token).get(), list, &courses)
                  .ok());
  ASSERT_THAT(courses.courses(), SizeIs(2));
  EXPECT_EQ(courses.courses(0).id(), again.id());  // newest first
  EXPECT_TRUE(courses.courses(0).appointments().empty());
}

TEST_F(CourseTest, NoShowIsReplacedAndTheCourseEndsEarly) {
  const absl::Time first = env_.NextLocal(absl::Weekday::tuesday, 11, 0);
  // validate_only shows the plan and books nothing.
  auto proposal = Plan(first, "plan");
  proposal.set_validate_only(true);
  v1::Course proposed;
  ASSERT_TRUE(env_.scheduling().PlanCourse(AsPractitioner().get(), proposal, &proposed).ok());
  ASSERT_THAT(proposed.appointments(), SizeIs(3));
  EXPECT_TRUE(proposed.id().empty());
  EXPECT_FALSE(proposed.appointments(0).room_id().empty());
  EXPECT_TRUE(env_.Events("clinic-a").empty());

  v1::Course course;
  ASSERT_TRUE(
      env_.scheduling().PlanCourse(AsPractitioner().get(), Plan(first, "plan"), &course).ok());
  const v1::Appointment& s1 = course.appointments(0);
  const v1::Appointment& s2 = course.appointments(1);

  // Session 1 is done; the patient misses session 2.
  env_.clock().Set(FromTs(s1.end_time()));
  v1::CompleteAppointmentRequest complete;
  complete.set_id(s1.id());
  complete.mutable_completion()->add_treated_areas(protocol::v1::TREATMENT_AREA_NECK);
  v1::Appointment done;
  ASSERT_TRUE(env_.scheduling().CompleteAppointment(AsPractitioner().get(), complete, &done).ok());
  v1::MarkNoShowRequest noshow;
  noshow.set_id(s2.id());
  v1::Appointment missed;
  EXPECT_EQ(
      PreconditionFailureOf(env_.scheduling().MarkNoShow(
                                SchedulingEnv::Ctx(org_.reception_token).get(), noshow, &missed))
          .violations(0)
          .type(),
      "TOO_EARLY");
  env_.clock().Set(FromTs(s2.start_time()) + absl::Minutes(20));
  ASSERT_TRUE(env_.scheduling()
                  .MarkNoShow(SchedulingEnv::Ctx(org_.reception_token).get(), noshow, &missed)
                  .ok());
  EXPECT_EQ(missed.state(), v1::APPOINTMENT_STATE_NOSHOW);

  // Staff notes change without an event.
  v1::UpdateAppointmentRequest notes;
  *notes.mutable_appointment() = missed;
  notes.mutable_appointment()->set_notes("called the patient, rebooked");
  notes.mutable_update_mask()->add_paths("notes");
  v1::Appointment noted;
  ASSERT_TRUE(env_.scheduling()
                  .UpdateAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), notes, &noted)
                  .ok());
  EXPECT_EQ(noted.notes(), "called the patient, rebooked");
  EXPECT_EQ(noted.state(), v1::APPOINTMENT_STATE_NOSHOW);

  // The missed session is replaced two days later.
  v1::BookAppointmentRequest replace;
  replace.set_patient_id(patient_);
  replace.set_protocol_id(org_.hydralift_id);
  replace.set_clinic_id(org_.clinic_id);
  replace.set_practitioner_id(org_.practitioner_id);
  *replace.mutable_start_time() = Ts(FromTs(s2.start_time()) + absl::Hours(48));
  replace.set_course_id(course.id());
  replace.set_course_session_index(2);
  replace.set_request_id("replace-2");
  v1::Appointment replacement;
  ASSERT_TRUE(
      env_.scheduling().BookAppointment(AsPractitioner().get(), replace, &replacement).ok());
  EXPECT_EQ(replacement.course_id(), course.id());
  EXPECT_EQ(replacement.course_session_index(), 2);
  replace.set_request_id("replace-2-again");
  replace.mutable_start_time()->set_seconds(replace.start_time().seconds() + 3600);
  v1::Appointment twice;
  grpc::Status taken = env_.scheduling().BookAppointment(AsPractitioner().get(), replace, &twice);
  EXPECT_EQ(PreconditionFailureOf(taken).violations(0).type(), "COURSE_SESSION_TAKEN");

  // Session 2 (replacement) done; the result is reached: end the course early.
  env_.clock().Set(FromTs(replacement.end_time()));
  complete.set_id(replacement.id());
  ASSERT_TRUE(env_.scheduling().CompleteAppointment(AsPractitioner().get(), complete, &done).ok());
  v1::GetCourseRequest get;
  get.set_id(course.id());
  v1::Course active;
  ASSERT_TRUE(env_.scheduling().GetCourse(AsPractitioner().get(), get, &active).ok());
  EXPECT_EQ(active.state(), v1::COURSE_STATE_ACTIVE);
  EXPECT_EQ(active.sessions_fulfilled(), 2);
  ASSERT_THAT(active.appointment_ids(), SizeIs(4));
  EXPECT_EQ(active.appointment_ids(2), replacement.id());  // by session index, then start

  v1::CompleteCourseRequest end;
  end.set_id(course.id());
  end.set_etag(active.etag());
  end.set_note("result reached after 2 sessions");
  v1::Course ended;
  ASSERT_TRUE(env_.scheduling().CompleteCourse(AsPractitioner().get(), end, &ended).ok());
  EXPECT_EQ(ended.state(), v1::COURSE_STATE_COMPLETED);
  EXPECT_EQ(ended.appointments(3).state(), v1::APPOINTMENT_STATE_CANCELLED);  // session 3
  EXPECT_EQ(ended.appointments(3).cancellation().note(), "result reached after 2 sessions");
  const absl::CivilDay last = LocalDay(replacement);
  EXPECT_EQ(ended.maintenance_due_date().month(), (absl::CivilMonth(last) + 6).month());

  auto events = env_.Events("clinic-a");
  ASSERT_TRUE(events.back().has_course_completed());
  EXPECT_TRUE(events.back().course_completed().ended_early());
  EXPECT_EQ(events.back().course_completed().last_appointment_id(), replacement.id());
  EXPECT_TRUE(events[events.size() - 2].has_appointment_cancelled());
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
