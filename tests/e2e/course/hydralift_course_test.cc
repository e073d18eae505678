// A hydralift course end to end, across the four service processes with JWT
// auth, through the public API only: register a German patient, screen,
// plan the catalog course (3 weekly sessions), run each session (the suite's
// clock jumps a week at a time), see the aftercare with the arnica advice
// delivered in German, kill -9 the notification service in the middle, see
// maintenance planned six months after the last session, cancel a session
// of another course, erase the patient and check that nothing more is sent
// and no personal data is left in Redis.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/time/proto_time.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace prv1 = ::dermaflow::protocol::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

constexpr char kGiven[] = "Annegret";
constexpr char kFamily[] = "Zoltanowska-Eberhardt";
constexpr char kEmail[] = "annegret.zoltanowska@example.org";
constexpr char kPhone[] = "+4915199900417";

// Six calendar months later, clamped to the month's end (31 Aug -> 28/29 Feb).
absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay last_of_month = absl::CivilDay(month + 1) - 1;
  return std::min(absl::CivilDay(month) + (day.day() - 1), last_of_month);
}

class HydraliftCourseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
    ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api_, &org_));
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << suite_.Logs();
  }

  // Aftercare messages delivered to the patient for one appointment ("" = any).
  std::vector<nv1::Delivery> Aftercare(const std::string& patient, const std::string& appointment) {
    std::vector<nv1::Delivery> out;
    for (const auto& d : Deliveries(api_, patient)) {
      if (d.kind() == nv1::REMINDER_KIND_AFTERCARE &&
          (appointment.empty() || d.appointment_id() == appointment)) {
        out.push_back(d);
      }
    }
    return out;
  }

  // Checks in and completes one session at its start time (suite clock).
  void RunSession(const sv1::Appointment& session, bool bruising) {
    suite_.clock().AdvanceTo(common::ToTime(session.start_time()) + absl::Minutes(1));
    sv1::CheckInAppointmentRequest check_in;
    check_in.set_id(session.id());
    sv1::Appointment arrived;
    ASSERT_RPC_OK(api_.Call(
        [&](auto* c) { return api_.scheduling->CheckInAppointment(c, check_in, &arrived); }));
    EXPECT_EQ(arrived.state(), sv1::APPOINTMENT_STATE_ARRIVED);
    sv1::CompleteAppointmentRequest complete;
    complete.set_id(session.id());
    complete.mutable_completion()->add_treated_areas(prv1::TREATMENT_AREA_FACE);
    complete.mutable_completion()->add_treated_areas(prv1::TREATMENT_AREA_NECK);
    if (bruising) complete.mutable_completion()->add_side_effects(sv1::SIDE_EFFECT_BRUISING);
    complete.mutable_completion()->set_notes("HydraMix 1 %, 2 ml, papules well tolerated");
    sv1::Appointment done;
    ASSERT_RPC_OK(api_.Call(
        [&](auto* c) { return api_.scheduling->CompleteAppointment(c, complete, &done); }));
    EXPECT_EQ(done.state(), sv1::APPOINTMENT_STATE_FULFILLED);
  }

  Suite suite_{{.time_travel = true}};
  Stubs api_{suite_};
  Organization org_;
  absl::TimeZone berlin_;
};

TEST_F(HydraliftCourseTest, FromBookingToMaintenanceThenErasure) {
  // --- Register and screen ---------------------------------------------------------
  pv1::CreatePatientRequest create;
  create.set_request_id("e2e-patient-1");
  *create.mutable_patient() = NewPatient(kGiven, kFamily, "de", kEmail, kPhone);
  pv1::Patient patient;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.patients->CreatePatient(c, create, &patient); }));
  // A second patient who stays: the Redis scan at the end must still see her.
  pv1::CreatePatientRequest other;
  other.set_request_id("e2e-patient-2");
  *other.mutable_patient() =
      NewPatient("Bartholomew", "Quigglesworth", "en", "bq@example.org", "+447700900123");
  pv1::Patient stays;
  ASSERT_RPC_OK(api_.Call([&](auto* c) { return api_.patients->CreatePatient(c, other, &stays); }));

  prv1::ScreenEligibilityRequest screen;
  screen.set_patient_id(patient.id());
  screen.set_protocol_id(org_.hydralift);
  prv1::ScreenEligibilityResponse screening;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.protocols->ScreenEligibility(c, screen, &screening); }));
  ASSERT_TRUE(screening.eligible()) << screening.DebugString();
  EXPECT_EQ(screening.blocking_reasons_size(), 0);

  // --- Plan the catalog course: 3 weekly sessions at 10:00 Berlin time --------------
  const absl::CivilDay first_day = absl::ToCivilDay(suite_.clock().Now(), berlin_) + 1;
  sv1::PlanCourseRequest plan;
  plan.set_request_id("e2e-course-hydralift");
  plan.set_patient_id(patient.id());
  plan.set_protocol_id(org_.hydralift);
  plan.set_clinic_id(org_.berlin_clinic);
  plan.set_practitioner_id(org_.practitioner);
  plan.add_areas(prv1::TREATMENT_AREA_FACE);
  plan.add_areas(prv1::TREATMENT_AREA_NECK);
  *plan.mutable_first_start_time() =
      common::ToTimestamp(absl::FromCivil(absl::CivilMinute(first_day) + 10 * 60, berlin_));
  sv1::Course course;
  ASSERT_RPC_OK(api_.Call([&](auto* c) { return api_.scheduling->PlanCourse(c, plan, &course); }));
  ASSERT_EQ(course.appointments_size(), 3) << course.DebugString();
  for (int i = 0; i < 3; ++i) {
    const auto local =
        absl::ToCivilMinute(common::ToTime(course.appointments(i).start_time()), berlin_);
    EXPECT_EQ(absl::CivilDay(local), first_day + 7 * i) << "session " << i + 1;
    EXPECT_EQ(local.hour(), 10) << "same local time every week, DST or not";
  }

  // --- Session 1 with bruising: aftercare in German with the arnica advice ---------
  {
    DeliveryWatcher live(api_, patient.id());
    ASSERT_NO_FATAL_FAILURE(RunSession(course.appointments(0), /*bruising=*/true));
    ASSERT_TRUE(
        WaitFor([&] { return !Aftercare(patient.id(), course.appointments(0).id()).empty(); },
                absl::Seconds(20)))
        << "no aftercare delivered for session 1";
    const nv1::Delivery aftercare = Aftercare(patient.id(), course.appointments(0).id())[0];
    EXPECT_TRUE(absl::StartsWith(aftercare.locale(), "de")) << aftercare.locale();
    EXPECT_TRUE(absl::StrContains(aftercare.body(), "Arnika")) << aftercare.body();
    EXPECT_EQ(aftercare.channel(), pv1::CHANNEL_IN_APP);
    // ... and it arrived live on the stream a patient app would hold open.
    EXPECT_TRUE(WaitFor(
        [&] {
          for (const auto& d : live.Received()) {
            if (d.reminder_id() == aftercare.reminder_id()) return true;
          }
          return false;
        },
        absl::Seconds(5)))
        << "aftercare not seen on WatchNotifications";
  }

  // --- Session 2 while the notification service is down (kill -9) ------------------
  suite_.KillNotification();
  ASSERT_NO_FATAL_FAILURE(RunSession(course.appointments(1), /*bruising=*/false));
  suite_.StartNotification();
  api_.Reconnect();
  ASSERT_TRUE(WaitFor([&] { return !Aftercare(patient.id(), course.appointments(1).id()).empty(); },
                      absl::Seconds(30)))
      << "the event of session 2, published while notification was down, was lost";
  EXPECT_EQ(Aftercare(patient.id(), "").size(), 2u)
      << "each aftercare exactly once across the crash";
  const auto session2_aftercare = Aftercare(patient.id(), course.appointments(1).id())[0];
  EXPECT_FALSE(absl::StrContains(session2_aftercare.body(), "Arnika"))
      << "no bruising recorded in session 2: " << session2_aftercare.body();

  // --- Session 3 completes the course: maintenance six months later ------------------
  ASSERT_NO_FATAL_FAILURE(RunSession(course.appointments(2), /*bruising=*/false));
  // Its aftercare, and session 2's 48 h check-in, are due now; they go out
  // before the erasure below, so that "nothing after the erasure" is not
  // about messages due before it.
  const auto delivered = [&](nv1::ReminderKind kind, const std::string& appointment_id) {
    for (const auto& d : Deliveries(api_, patient.id())) {
      if (d.kind() == kind && d.appointment_id() == appointment_id) return true;
    }
    return false;
  };
  ASSERT_TRUE(WaitFor(
      [&] {
        return delivered(nv1::REMINDER_KIND_AFTERCARE, course.appointments(2).id()) &&
               delivered(nv1::REMINDER_KIND_AFTERCARE_CHECK_IN, course.appointments(1).id());
      },
      absl::Seconds(30)))
      << "session 3's aftercare or session 2's check-in not delivered";
  sv1::GetCourseRequest get_course;
  get_course.set_id(course.id());
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.scheduling->GetCourse(c, get_course, &course); }));
  ASSERT_EQ(course.state(), sv1::COURSE_STATE_COMPLETED);
  const absl::CivilDay last_session = first_day + 14;
  const absl::CivilDay due = AddMonths(last_session, 6);
  EXPECT_EQ(course.maintenance_due_date().year(), due.year());
  EXPECT_EQ(course.maintenance_due_date().month(), due.month());
  EXPECT_EQ(course.maintenance_due_date().day(), due.day());

  prv1::GetProtocolRequest get_protocol;
  get_protocol.set_id(org_.hydralift);
  get_protocol.set_version(course.protocol_version());
  prv1::Protocol hydralift;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.protocols->GetProtocol(c, get_protocol, &hydralift); }));
  const int64_t lead_days = hydralift.maintenance().reminder_lead().seconds() / 86400;

  nv1::ListRemindersRequest maintenance_filter;
  maintenance_filter.set_course_id(course.id());
  maintenance_filter.add_kinds(nv1::REMINDER_KIND_MAINTENANCE);
  std::vector<nv1::Reminder> maintenance;
  ASSERT_TRUE(WaitFor(
      [&] {
        maintenance = Reminders(api_, maintenance_filter);
        return !maintenance.empty();
      },
      absl::Seconds(20)))
      << "no maintenance reminder planned";
  ASSERT_EQ(maintenance.size(), 1u);
  EXPECT_EQ(maintenance[0].state(), nv1::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(absl::ToCivilDay(common::ToTime(maintenance[0].original_due_time()), berlin_),
            due - lead_days)
      << "maintenance reminder " << lead_days << " days before the due date " << due
      << " in the clinic's zone";

  // --- Another course: cancelling one of its sessions cancels its reminders -----------
  sv1::PlanCourseRequest plan2;
  plan2.set_request_id("e2e-course-collagen-induction");
  plan2.set_patient_id(patient.id());
  plan2.set_protocol_id(org_.collagen_induction);
  plan2.set_clinic_id(org_.berlin_clinic);
  plan2.set_practitioner_id(org_.practitioner);
  plan2.add_areas(prv1::TREATMENT_AREA_FACE);
  *plan2.mutable_first_start_time() =
      common::ToTimestamp(absl::FromCivil(absl::CivilMinute(last_session + 14) + 11 * 60, berlin_));
  sv1::Course course2;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.scheduling->PlanCourse(c, plan2, &course2); }));
  ASSERT_GE(course2.appointments_size(), 2);
  nv1::ListRemindersRequest of_first, of_second;
  of_first.set_appointment_id(course2.appointments(0).id());
  of_second.set_appointment_id(course2.appointments(1).id());
  ASSERT_TRUE(WaitFor(
      [&] { return !Reminders(api_, of_first).empty() && !Reminders(api_, of_second).empty(); },
      absl::Seconds(20)))
      << "no appointment reminders planned for the second course";

  sv1::CancelAppointmentRequest cancel;
  cancel.set_id(course2.appointments(0).id());
  cancel.set_etag(course2.appointments(0).etag());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_PATIENT_REQUEST);
  sv1::Appointment cancelled;
  ASSERT_RPC_OK(api_.Call(
      [&](auto* c) { return api_.scheduling->CancelAppointment(c, cancel, &cancelled); }));
  EXPECT_TRUE(WaitFor(
      [&] {
        auto reminders = Reminders(api_, of_first);
        return !reminders.empty() &&
               std::all_of(reminders.begin(), reminders.end(), [](const auto& r) {
                 return r.state() == nv1::REMINDER_STATE_CANCELLED;
               });
      },
      absl::Seconds(20)))
      << "reminders of the cancelled appointment are not all cancelled";
  for (const auto& r : Reminders(api_, of_second)) {
    EXPECT_EQ(r.state(), nv1::REMINDER_STATE_SCHEDULED)
        << "session 2 keeps its reminders: " << r.id();
  }

  // --- Erase the patient: nothing more is sent, no personal data remains --------------
  pv1::GetPatientRequest get;
  get.set_id(patient.id());
  ASSERT_RPC_OK(api_.Call([&](auto* c) { return api_.patients->GetPatient(c, get, &patient); }));
  DeliveryWatcher everyone(api_, /*patient_id=*/"");
  pv1::DeletePatientRequest erase;
  erase.set_id(patient.id());
  erase.set_etag(patient.etag());
  erase.set_reason("erasure request by letter");
  google::protobuf::Empty empty;
  ASSERT_RPC_OK(api_.Call([&](auto* c) { return api_.patients->DeletePatient(c, erase, &empty); }));

  nv1::ListRemindersRequest of_patient;
  of_patient.set_patient_id(patient.id());
  EXPECT_TRUE(WaitFor(
      [&] {
        for (const auto& r : Reminders(api_, of_patient)) {
          if (r.state() == nv1::REMINDER_STATE_SCHEDULED ||
              r.state() == nv1::REMINDER_STATE_RETRYING ||
              r.state() == nv1::REMINDER_STATE_IN_FLIGHT) {
            return false;
          }
        }
        return true;
      },
      absl::Seconds(20)))
      << "pending reminders of the erased patient remain";
  // Erasure frees the calendar: scheduling cancels the open course and its
  // session still booked (PATIENT_ERASED), so the slot can go to someone else.
  sv1::GetAppointmentRequest session2;
  session2.set_id(course2.appointments(1).id());
  sv1::Appointment freed;
  EXPECT_TRUE(WaitFor(
      [&] {
        return api_.Call([&](auto* c) {
                     return api_.scheduling->GetAppointment(c, session2, &freed);
                   })
                   .ok() &&
               freed.state() == sv1::APPOINTMENT_STATE_CANCELLED;
      },
      absl::Seconds(20)))
      << "the erased patient's next session still holds its slot";
  EXPECT_EQ(freed.cancellation().reason(), sv1::CANCELLATION_REASON_PATIENT_ERASED);
  sv1::GetCourseRequest get_course2;
  get_course2.set_id(course2.id());
  sv1::Course course2_now;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.scheduling->GetCourse(c, get_course2, &course2_now); }));
  EXPECT_EQ(course2_now.state(), sv1::COURSE_STATE_CANCELLED);

  // Half a year on: past the second course and the maintenance date.
  suite_.clock().AdvanceTo(absl::FromCivil(due + 60, berlin_));
  std::this_thread::sleep_for(std::chrono::seconds(3));  // dispatchers get every chance to send
  for (const auto& d : everyone.Received()) {
    EXPECT_NE(d.patient_id(), patient.id()) << "delivered after erasure: " << d.DebugString();
  }
  EXPECT_TRUE(Deliveries(api_, patient.id()).empty())
      << "delivered messages of an erased patient remain";

  grpc::Status gone =
      api_.Call([&](auto* c) { return api_.patients->GetPatient(c, get, &patient); });
  EXPECT_EQ(gone.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(gone);

  const std::string redis = DumpRedis(suite_);
  EXPECT_TRUE(absl::StrContains(redis, "Quigglesworth"))
      << "the scan does not see patient data at all";
  for (const char* personal : {kGiven, kFamily, kEmail, kPhone}) {
    EXPECT_FALSE(absl::StrContains(redis, personal)) << "'" << personal << "' is still in Redis";
  }
}

}  // namespace
}  // namespace dermaflow::e2e
