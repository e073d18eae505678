// Booking over real gRPC and Redis with the real patient and protocol
// services: screening (absolute and relative contraindications, overrides),
// idempotency, cancelling, rescheduling, free slots and the events each
// change publishes.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class BookingTest : public ::testing::Test {
 protected:
  BookingTest() : org_(env_.SetUpOrganization("clinic-a")) {}

  v1::BookAppointmentRequest Request(const std::string& patient_id, absl::Time start,
                                     const std::string& request_id) {
    v1::BookAppointmentRequest r;
    r.set_patient_id(patient_id);
    r.set_protocol_id(org_.hydralift_id);
    r.set_clinic_id(org_.clinic_id);
    r.set_practitioner_id(org_.practitioner_id);
    *r.mutable_start_time() = Ts(start);
    r.set_request_id(request_id);
    return r;
  }

  grpc::Status Book(const v1::BookAppointmentRequest& r, v1::Appointment* a,
                    const std::string& token = "") {
    return env_.scheduling().BookAppointment(
        SchedulingEnv::Ctx(token.empty() ? org_.practitioner_token : token).get(), r, a);
  }

  SchedulingEnv env_;
  Organization org_;
};

TEST_F(BookingTest, BooksWithLocalTimesAndPublishesAppointmentBooked) {
  const std::string patient = env_.CreatePatient(org_);
  const absl::Time start = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  v1::Appointment a;
  ASSERT_TRUE(Book(Request(patient, start, "r1"), &a).ok());
  EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(FromTs(a.start_time()), start);
  EXPECT_EQ(FromTs(a.end_time()), start + absl::Minutes(30));
  EXPECT_EQ(a.local_start_time().hours(), 10);
  EXPECT_EQ(a.time_zone(), "Europe/Berlin");
  EXPECT_EQ(a.room_id(), org_.room_ids[0]);  // the first free suitable room
  EXPECT_EQ(a.protocol_category(), protocol::v1::PROTOCOL_CATEGORY_MESOTHERAPY);
  EXPECT_GT(a.protocol_version(), 0);
  EXPECT_FALSE(a.etag().empty());
  EXPECT_EQ(a.created_by(), "dr-weber");

  auto events = env_.Events("clinic-a");
  ASSERT_THAT(events, SizeIs(1));
  ASSERT_TRUE(events[0].has_appointment_booked());
  const auto& info = events[0].appointment_booked().appointment();
  EXPECT_EQ(events[0].organization(), "clinic-a");
  EXPECT_EQ(events[0].producer(), "scheduling");
  EXPECT_EQ(info.appointment_id(), a.id());
  EXPECT_EQ(info.patient_id(), patient);
  EXPECT_EQ(info.protocol_id(), org_.hydralift_id);
  EXPECT_EQ(info.protocol_version(), a.protocol_version());
  EXPECT_EQ(info.clinic_display_name(), "Dermaflow Berlin Mitte");
  EXPECT_EQ(info.clinic_time_zone(), "Europe/Berlin");
  EXPECT_EQ(info.clinic_contact_phone(), "+49301234567");
  EXPECT_EQ(info.practitioner_display_name(), "Dr. Anna Weber");
  EXPECT_EQ(info.local_start_time().hours(), 10);
  EXPECT_EQ(info.state(), v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(env_.BookingsTotal("booked"), 1);
}

TEST_F(BookingTest, SameRequestIdReturnsTheSameAppointment) {
  const std::string patient = env_.CreatePatient(org_);
  const auto request = Request(patient, env_.NextLocal(absl::Weekday::thursday, 11, 0), "same-id");
  v1::Appointment first, second;
  ASSERT_TRUE(Book(request, &first).ok());
  ASSERT_TRUE(Book(request, &second).ok());
  EXPECT_EQ(first.id(), second.id());
  EXPECT_EQ(first.etag(), second.etag());
  EXPECT_THAT(env_.Events("clinic-a"), SizeIs(1));  // booked and announced once

  auto other = request;
  other.set_notes("a different request under the same id");
  v1::Appointment ignored;
  grpc::Status s = Book(other, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(s), std::vector<std::string>{"request_id"});
}

TEST_F(BookingTest, PregnantPatientCannotBeBookedForCollagen) {
  const std::string patient =
      env_.CreatePatient(org_, [](patient::v1::MedicalProfile* m) { m->set_pregnant(true); });
  auto request = Request(patient, env_.NextLocal(absl::Weekday::tuesday, 9, 0), "collagen");
  request.set_protocol_id(org_.collagen_id);
  v1::Appointment a;
  grpc::Status s = Book(request, &a);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  const auto failure = PreconditionFailureOf(s);
  ASSERT_THAT(failure.violations(), SizeIs(1));
  EXPECT_EQ(failure.violations(0).type(), "CONTRAINDICATION");
  EXPECT_THAT(failure.violations(0).subject(), HasSubstr("PREGNANCY"));
  EXPECT_TRUE(env_.Events("clinic-a").empty());  // nothing booked
  EXPECT_EQ(env_.BookingsTotal("contraindicated"), 1);
}

TEST_F(BookingTest, RelativeContraindicationNeedsAPractitionersOverrideWhichIsStored) {
  const std::string patient =
      env_.CreatePatient(org_, [](patient::v1::MedicalProfile* m) { m->set_anticoagulants(true); });
  auto request = Request(patient, env_.NextLocal(absl::Weekday::monday, 14, 0), "override");
  v1::Appointment a;
  grpc::Status s = Book(request, &a);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  ASSERT_THAT(PreconditionFailureOf(s).violations(), SizeIs(1));
  EXPECT_EQ(PreconditionFailureOf(s).violations(0).type(), "OVERRIDE_REQUIRED");
  EXPECT_EQ(PreconditionFailureOf(s).violations(0).subject(),
            "contraindication/CONTRAINDICATION_CODE_ANTICOAGULANTS");

  request.mutable_override()->set_reason("anticoagulant paused for 5 days, agreed with GP");
  s = Book(request, &a);
  EXPECT_EQ(PreconditionFailureOf(s).violations(0).type(), "OVERRIDE_INCOMPLETE");

  request.mutable_override()->add_acknowledged_codes(
      protocol::v1::CONTRAINDICATION_CODE_ANTICOAGULANTS);
  s = Book(request, &a, org_.reception_token);  // reception cannot override
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  const absl::Time before = env_.clock().Now();
  ASSERT_TRUE(Book(request, &a).ok());
  EXPECT_EQ(a.override().practitioner_id(), org_.practitioner_id);
  EXPECT_EQ(a.override().reason(), "anticoagulant paused for 5 days, agreed with GP");
  EXPECT_EQ(FromTs(a.override().override_time()), before);
  ASSERT_THAT(a.override().findings(), SizeIs(1));
  EXPECT_EQ(a.override().findings(0).code(), protocol::v1::CONTRAINDICATION_CODE_ANTICOAGULANTS);

  v1::GetAppointmentRequest get;
  get.set_id(a.id());
  v1::Appointment stored;
  ASSERT_TRUE(env_.scheduling()
                  .GetAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), get, &stored)
                  .ok());
  EXPECT_EQ(stored.override().practitioner_id(), org_.practitioner_id);
}

TEST_F(BookingTest, CancellingFreesTheSlot) {
  const std::string p1 = env_.CreatePatient(org_);
  const std::string p2 = env_.CreatePatient(org_);
  const absl::Time start = env_.NextLocal(absl::Weekday::friday, 15, 0);
  auto request = Request(p1, start, "first");
  request.set_room_id(org_.room_ids[0]);
  v1::Appointment a;
  ASSERT_TRUE(Book(request, &a).ok());

  auto second = Request(p2, start + absl::Minutes(15), "second");  // overlaps, same practitioner
  v1::Appointment b;
  grpc::Status s = Book(second, &b);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ErrorReasonOf(s), "SLOT_CONFLICT");
  EXPECT_EQ(ResourceInfoOf(s).resource_type(), "dermaflow.scheduling.v1.Practitioner");
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), org_.practitioner_id);
  // Times read as reception reads them: in the clinic's zone, with its abbreviation.
  const std::string local =
      absl::FormatTime("%Y-%m-%d %H:%M %Z (Europe/Berlin)", start + absl::Minutes(15), Berlin());
  EXPECT_THAT(s.error_message(), HasSubstr(absl::StrCat("(session 1 at ", local, ")")));
  EXPECT_THAT(
      ResourceInfoOf(s).description(),
      HasSubstr(absl::FormatTime("from %Y-%m-%d %H:%M %Z (Europe/Berlin)", start, Berlin())));

  v1::CancelAppointmentRequest cancel;
  cancel.set_id(a.id());
  cancel.set_etag("stale");
  cancel.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_PATIENT_REQUEST);
  cancel.mutable_cancellation()->set_note("patient is ill");
  v1::Appointment cancelled;
  s = env_.scheduling().CancelAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), cancel,
                                          &cancelled);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReasonOf(s), "ETAG_MISMATCH");
  cancel.set_etag(a.etag());
  ASSERT_TRUE(
      env_.scheduling()
          .CancelAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), cancel, &cancelled)
          .ok());
  EXPECT_EQ(cancelled.state(), v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancellation().cancelled_by(), "desk-1");

  second.set_request_id("second-again");
  ASSERT_TRUE(Book(second, &b).ok());
  EXPECT_EQ(b.room_id(), org_.room_ids[0]);  // the room is free again too

  auto events = env_.Events("clinic-a");
  ASSERT_THAT(events, SizeIs(3));
  ASSERT_TRUE(events[1].has_appointment_cancelled());
  EXPECT_EQ(events[1].appointment_cancelled().reason(), v1::CANCELLATION_REASON_PATIENT_REQUEST);
  EXPECT_EQ(events[1].appointment_cancelled().appointment().appointment_id(), a.id());
  EXPECT_EQ(events[1].appointment_cancelled().appointment().state(),
            v1::APPOINTMENT_STATE_CANCELLED);
}

TEST_F(BookingTest, PatientCannotBeInTwoPlacesAndRoomsAreChosenOrNamed) {
  const std::string patient = env_.CreatePatient(org_);
  const std::string other_practitioner = env_.AddPractitioner(org_, "Dr. Ben Roth");
  const absl::Time start = env_.NextLocal(absl::Weekday::tuesday, 12, 0);
  v1::Appointment a, b;
  ASSERT_TRUE(Book(Request(patient, start, "p1"), &a).ok());
  auto request = Request(patient, start, "p2");
  request.set_practitioner_id(other_practitioner);
  grpc::Status s = Book(request, &b);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ResourceInfoOf(s).resource_type(), "dermaflow.patient.v1.Patient");
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), patient);

  // Another patient with the other practitioner gets the other room.
  request.set_patient_id(env_.CreatePatient(org_));
  request.set_request_id("p3");
  ASSERT_TRUE(Book(request, &b).ok());
  EXPECT_EQ(b.room_id(), org_.room_ids[1]);
  // Asking for the busy room names it.
  auto third = Request(env_.CreatePatient(org_), start, "p4");
  third.set_practitioner_id(env_.AddPractitioner(org_, "Dr. Cem Kaya"));
  third.set_room_id(org_.room_ids[0]);
  s = Book(third, &b);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ResourceInfoOf(s).resource_type(), "dermaflow.scheduling.v1.Room");
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), org_.room_ids[0]);
  EXPECT_EQ(env_.BookingsTotal("conflict"), 2);
}

TEST_F(BookingTest, BookingRulesAreFailedPreconditionsNamingEachRule) {
  const std::string patient = env_.CreatePatient(org_);
  v1::Appointment a;
  // Saturday: the clinic is closed and Dr. Weber does not work.
  grpc::Status s =
      Book(Request(patient, env_.NextLocal(absl::Weekday::saturday, 10, 0), "sat"), &a);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  std::vector<std::string> types;
  const auto failure = PreconditionFailureOf(s);
  for (const auto& v : failure.violations()) types.push_back(v.type());
  EXPECT_EQ(types, (std::vector<std::string>{"OUTSIDE_OPENING_HOURS", "OUTSIDE_WORKING_HOURS"}));
  // 18:30 + 30 min + 10 min buffer ends after the 19:00 close.
  s = Book(Request(patient, env_.NextLocal(absl::Weekday::monday, 18, 30), "late"), &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Bad input names its field.
  auto bad = Request(patient, env_.clock().Now() - absl::Hours(1), "past");
  bad.clear_practitioner_id();
  s = Book(bad, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(s), std::vector<std::string>{"practitioner_id"});
  s = Book(Request(patient, env_.clock().Now() - absl::Hours(1), "past"), &a);
  EXPECT_EQ(BadFieldsOf(s), std::vector<std::string>{"start_time"});
  auto areas = Request(patient, env_.NextLocal(absl::Weekday::monday, 10, 0), "areas");
  areas.add_areas(protocol::v1::TREATMENT_AREA_THIGHS);
  s = Book(areas, &a);
  EXPECT_EQ(BadFieldsOf(s), std::vector<std::string>{"areas[0]"});
  auto unknown = Request(patient, env_.NextLocal(absl::Weekday::monday, 10, 0), "unknown");
  unknown.set_clinic_id("cl_nope");
  s = Book(unknown, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), "cl_nope");
  // Clinic, practitioner and room are read in one round trip; the errors keep
  // their order (clinic, practitioner, room), also for ids no key can hold.
  unknown.set_practitioner_id("pr_nope");
  s = Book(unknown, &a);
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), "cl_nope");
  unknown.set_clinic_id(org_.clinic_id);
  unknown.set_room_id("ro_nope");
  s = Book(unknown, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), "pr_nope");
  unknown.set_practitioner_id(org_.practitioner_id);
  s = Book(unknown, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), "ro_nope");
  unknown.set_room_id("ro:nope");  // no id has this shape: refused before any read
  s = Book(unknown, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(s), std::vector<std::string>{"room_id"});
  unknown.set_room_id(org_.room_ids[0]);
  unknown.set_clinic_id("cl_nope");
  s = Book(unknown, &a);
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), "cl_nope");
  EXPECT_TRUE(env_.Events("clinic-a").empty());
}

TEST_F(BookingTest, RescheduleKeepsTheConflictGuaranteesAndMovesTheSlot) {
  const absl::Time ten = env_.NextLocal(absl::Weekday::wednesday, 10, 0);
  v1::Appointment a, b;
  ASSERT_TRUE(Book(Request(env_.CreatePatient(org_), ten, "a"), &a).ok());
  ASSERT_TRUE(Book(Request(env_.CreatePatient(org_), ten + absl::Hours(1), "b"), &b).ok());

  v1::RescheduleAppointmentRequest move;
  move.set_id(b.id());
  move.set_etag(b.etag());
  *move.mutable_start_time() = Ts(ten + absl::Minutes(15));
  v1::Appointment moved;
  grpc::Status s = env_.scheduling().RescheduleAppointment(
      SchedulingEnv::Ctx(org_.reception_token).get(), move, &moved);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_EQ(ResourceInfoOf(s).resource_name(), org_.practitioner_id);
  // 10:40 is right after a's 10:30 end + 10 min buffer; b may also overlap
  // its own old time (11:00).
  *move.mutable_start_time() = Ts(ten + absl::Minutes(40));
  ASSERT_TRUE(
      env_.scheduling()
          .RescheduleAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), move, &moved)
          .ok());
  EXPECT_EQ(FromTs(moved.start_time()), ten + absl::Minutes(40));
  EXPECT_NE(moved.etag(), b.etag());
  // The stale etag is refused.
  *move.mutable_start_time() = Ts(ten + absl::Hours(4));
  grpc::Status stale = env_.scheduling().RescheduleAppointment(
      SchedulingEnv::Ctx(org_.reception_token).get(), move, &moved);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReasonOf(stale), "ETAG_MISMATCH");
  // Moved away to 14:00, b frees 10:40-11:20: another booking at 11:00 fits.
  move.set_etag(moved.etag());
  ASSERT_TRUE(
      env_.scheduling()
          .RescheduleAppointment(SchedulingEnv::Ctx(org_.reception_token).get(), move, &moved)
          .ok());
  v1::Appointment c;
  ASSERT_TRUE(Book(Request(env_.CreatePatient(org_), ten + absl::Hours(1), "c"), &c).ok());

  auto events = env_.Events("clinic-a");
  ASSERT_THAT(events, SizeIs(5));
  ASSERT_TRUE(events[2].has_appointment_rescheduled());
  EXPECT_EQ(FromTs(events[2].appointment_rescheduled().previous_start_time()),
            ten + absl::Hours(1));
  EXPECT_EQ(FromTs(events[2].appointment_rescheduled().appointment().start_time()),
            ten + absl::Minutes(40));
  EXPECT_EQ(FromTs(events[3].appointment_rescheduled().previous_start_time()),
            ten + absl::Minutes(40));
  EXPECT_TRUE(events[4].has_appointment_booked());
}

TEST_F(BookingTest, FindAvailableSlotsLeavesOutBookedTimes) {
  const absl::Time day = env_.NextLocal(absl::Weekday::thursday, 0, 0);
  v1::FindAvailableSlotsRequest find;
  find.set_clinic_id(org_.clinic_id);
  find.set_protocol_id(org_.hydralift_id);
  *find.mutable_time_range()->mutable_start_time() = Ts(day);
  *find.mutable_time_range()->mutable_end_time() = Ts(day + absl::Hours(24));
  find.set_page_size(500);
  v1::FindAvailableSlotsResponse before;
  ASSERT_TRUE(env_.scheduling()
                  .FindAvailableSlots(SchedulingEnv::Ctx(org_.reception_token).get(), find, &before)
                  .ok());
  // 08:00..18:20 every 15 min (18:20 + 40 min = 19:00) x 2 rooms.
  EXPECT_THAT(before.slots(), SizeIs(42 * 2));
  EXPECT_EQ(before.slots(0).local_start_time().hours(), 8);

  v1::Appointment a;
  ASSERT_TRUE(
      Book(Request(env_.CreatePatient(org_), day + absl::Hours(9) + absl::Minutes(0), "x"), &a)
          .ok());
  v1::FindAvailableSlotsResponse after;
  ASSERT_TRUE(env_.scheduling()
                  .FindAvailableSlots(SchedulingEnv::Ctx(org_.reception_token).get(), find, &after)
                  .ok());
  // The only practitioner is busy 09:00-09:40: starts 08:30..09:30 go.
  EXPECT_THAT(after.slots(), SizeIs((42 - 5) * 2));
  for (const auto& slot : after.slots()) {
    const absl::Time t = FromTs(slot.start_time());
    EXPECT_TRUE(t + absl::Minutes(40) <= FromTs(a.start_time()) ||
                t >= FromTs(a.end_time()) + absl::Minutes(10));
  }
  // Pages follow each other without gaps.
  find.set_page_size(10);
  int total = 0;
  std::string token;
  do {
    find.set_page_token(token);
    v1::FindAvailableSlotsResponse page;
    ASSERT_TRUE(env_.scheduling()
                    .FindAvailableSlots(SchedulingEnv::Ctx(org_.reception_token).get(), find, &page)
                    .ok());
    total += page.slots_size();
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(total, after.slots_size());
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
