// Erasure frees the calendar: a patient erased mid-course (DeletePatient on
// the real patient service, which publishes patient.erased) has the rest of
// the course and their other future appointments cancelled by scheduling's
// consumer with reason PATIENT_ERASED — events published for notification,
// the slots free for the next patient — while the session already treated
// stays as it was. A replayed event changes nothing; clients cannot use the
// reason themselves.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/app/appointments/patient_erasure.h"
#include "services/scheduling/intake/event_intake.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

using ::testing::SizeIs;

class PatientErasureTest : public ::testing::Test {
 protected:
  PatientErasureTest()
      : org_(env_.SetUpOrganization("clinic-a")), patient_(env_.CreatePatient(org_)) {}

  std::unique_ptr<grpc::ClientContext> AsPractitioner() {
    return SchedulingEnv::Ctx(org_.practitioner_token);
  }

  v1::Course PlanHydralift(const std::string& patient, absl::Time first, const std::string& id) {
    v1::PlanCourseRequest r;
    r.set_patient_id(patient);
    r.set_protocol_id(org_.hydralift_id);
    r.set_clinic_id(org_.clinic_id);
    r.set_practitioner_id(org_.practitioner_id);
    *r.mutable_first_start_time() = Ts(first);
    r.set_request_id(id);
    v1::Course course;
    grpc::Status s = env_.scheduling().PlanCourse(AsPractitioner().get(), r, &course);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return course;
  }

  grpc::Status Book(const std::string& patient, absl::Time start, const std::string& id,
                    v1::Appointment* out) {
    return env_.BookCollagen(org_, patient, start, id, out);
  }

  // Checks in and completes `a` at its time.
  void Treat(const v1::Appointment& a) {
    v1::CheckInAppointmentRequest check_in;
    check_in.set_id(a.id());
    v1::Appointment arrived;
    env_.clock().Set(FromTs(a.start_time()) - absl::Minutes(5));
    ASSERT_TRUE(
        env_.scheduling()
            .CheckInAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), check_in, &arrived)
            .ok());
    env_.clock().Set(FromTs(a.end_time()));
    v1::CompleteAppointmentRequest complete;
    complete.set_id(a.id());
    complete.set_etag(arrived.etag());
    complete.mutable_completion()->add_treated_areas(protocol::v1::TREATMENT_AREA_FACE);
    v1::Appointment done;
    ASSERT_TRUE(
        env_.scheduling().CompleteAppointment(AsPractitioner().get(), complete, &done).ok());
  }

  v1::Appointment Get(const std::string& id) {
    v1::GetAppointmentRequest r;
    r.set_id(id);
    v1::Appointment a;
    EXPECT_TRUE(env_.scheduling().GetAppointment(AsPractitioner().get(), r, &a).ok());
    return a;
  }

  // Polls scheduling's consumer until `done` (bounded).
  void ConsumeUntil(EventIntake& intake, const std::function<bool()>& done) {
    for (int i = 0; i < 20 && !done(); ++i) ASSERT_TRUE(intake.PollOnce().ok());
    ASSERT_TRUE(done());
  }

  SchedulingEnv env_;
  Organization org_;
  std::string patient_;
};

TEST_F(PatientErasureTest, ErasureMidCourseCancelsTheRestAndFreesTheSlots) {
  const absl::Time first = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  const v1::Course course = PlanHydralift(patient_, first, "plan-1");
  ASSERT_THAT(course.appointments(), SizeIs(3));
  v1::Appointment extra;
  ASSERT_TRUE(Book(patient_, first + absl::Hours(24 * 15) + absl::Hours(4), "book-1", &extra).ok());
  Treat(course.appointments(0));  // session 1 done; the clock is now just after it

  const size_t events_before = env_.Events("clinic-a").size();
  env_.ErasePatient(org_, patient_);
  PatientErasure erasure(env_.deps());
  EventIntake intake(
      env_.redis(), erasure, env_.registry(),
      {.group = "scheduling", .consumer = "test-1", .block_timeout = absl::Milliseconds(50)});
  ConsumeUntil(intake, [&] { return Get(extra.id()).state() == v1::APPOINTMENT_STATE_CANCELLED; });

  EXPECT_EQ(Get(course.appointments(0).id()).state(), v1::APPOINTMENT_STATE_FULFILLED);
  for (const std::string& id :
       {course.appointments(1).id(), course.appointments(2).id(), extra.id()}) {
    const v1::Appointment a = Get(id);
    EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_CANCELLED) << id;
    EXPECT_EQ(a.cancellation().reason(), v1::CANCELLATION_REASON_PATIENT_ERASED) << id;
    EXPECT_EQ(a.cancellation().cancelled_by(), kErasureActor);
  }
  v1::GetCourseRequest get_course;
  get_course.set_id(course.id());
  v1::Course ended;
  ASSERT_TRUE(env_.scheduling().GetCourse(AsPractitioner().get(), get_course, &ended).ok());
  EXPECT_EQ(ended.state(), v1::COURSE_STATE_CANCELLED);
  EXPECT_EQ(ended.cancellation().reason(), v1::CANCELLATION_REASON_PATIENT_ERASED);

  // What notification hears: three cancellations and the course's end.
  int cancelled = 0, course_cancelled = 0;
  const std::vector<events::v1::Event> events = env_.Events("clinic-a");
  for (size_t i = events_before; i < events.size(); ++i) {
    if (events[i].has_appointment_cancelled()) {
      ++cancelled;
      EXPECT_EQ(events[i].appointment_cancelled().reason(), v1::CANCELLATION_REASON_PATIENT_ERASED);
    }
    if (events[i].has_course_cancelled()) ++course_cancelled;
  }
  EXPECT_EQ(cancelled, 3);
  EXPECT_EQ(course_cancelled, 1);

  // The freed slot takes the next patient.
  v1::Appointment next;
  grpc::Status s = Book(env_.CreatePatient(org_), FromTs(course.appointments(1).start_time()),
                        "book-next", &next);
  EXPECT_TRUE(s.ok()) << s.error_message();

  // A replay finds nothing left to cancel.
  absl::StatusOr<FreedCalendar> again = erasure.FreeCalendar("clinic-a", patient_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->courses, 0);
  EXPECT_EQ(again->appointments, 0);
}

TEST_F(PatientErasureTest, ClientsCannotCancelWithTheErasureReason) {
  v1::Appointment a;
  ASSERT_TRUE(Book(patient_, env_.NextLocal(absl::Weekday::thursday, 11, 0), "book-1", &a).ok());
  v1::CancelAppointmentRequest cancel;
  cancel.set_id(a.id());
  cancel.set_etag(a.etag());
  cancel.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_PATIENT_ERASED);
  v1::Appointment out;
  grpc::Status s = env_.scheduling().CancelAppointment(AsPractitioner().get(), cancel, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(s), std::vector<std::string>{"cancellation.reason"});
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
