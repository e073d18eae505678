// A confirmation end to end, across the four service processes: an
// appointment booked for tomorrow (inside the clinic's default 48 h lead) is
// asked at once — the scheduling sweeper publishes
// appointment.confirmation_requested and notification delivers a
// CONFIRMATION_REQUEST message — then reception records the patient's phone
// answer and the appointment reads CONFIRMED, in GetAppointment and in the
// ListAppointments confirmation filter; the delivered request ends nothing
// else (the appointment reminder stays planned).
#include "absl/time/civil_time.h"
#include "common/time/proto_time.h"
#include "gtest/gtest.h"
#include "tests/e2e/support/flows.h"

namespace dermaflow::e2e {
namespace {

namespace nv1 = ::dermaflow::notification::v1;
namespace pv1 = ::dermaflow::patient::v1;
namespace sv1 = ::dermaflow::scheduling::v1;

class ConfirmationE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin_));
    ASSERT_NO_FATAL_FAILURE(SetUpOrganization(api_, &org_));
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << suite_.Logs();
  }

  std::vector<std::string> Listed(const absl::Time day, sv1::ConfirmationState state) {
    sv1::ListAppointmentsRequest list;
    list.set_clinic_id(org_.berlin_clinic);
    *list.mutable_time_range()->mutable_start_time() = common::ToTimestamp(day);
    *list.mutable_time_range()->mutable_end_time() = common::ToTimestamp(day + absl::Hours(24));
    list.add_confirmation_states(state);
    sv1::ListAppointmentsResponse listed;
    EXPECT_TRUE(
        api_.Call([&](auto* c) { return api_.scheduling->ListAppointments(c, list, &listed); })
            .ok());
    std::vector<std::string> ids;
    for (const auto& a : listed.appointments()) ids.push_back(a.id());
    return ids;
  }

  Suite suite_;
  Stubs api_{suite_};
  Organization org_;
  absl::TimeZone berlin_;
};

TEST_F(ConfirmationE2eTest, BookedForTomorrowIsAskedThenConfirmedByReception) {
  pv1::CreatePatientRequest create;
  create.set_request_id("e2e-confirm-patient");
  *create.mutable_patient() =
      NewPatient("Henrike", "Voss", "de", "henrike.voss@example.org", "+4915199900555");
  pv1::Patient patient;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.patients->CreatePatient(c, create, &patient); }));

  const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), berlin_) + 1;
  const absl::Time day = absl::FromCivil(tomorrow, berlin_);
  sv1::Appointment booked;
  ASSERT_RPC_OK(BookSession(api_, org_, "e2e-confirm-book", patient.id(), org_.hydralift,
                            absl::FromCivil(absl::CivilHour(tomorrow) + 11, berlin_), &booked));
  ASSERT_TRUE(booked.confirmation().has_request_time()) << booked.DebugString();

  // The sweeper asks at once; notification delivers the request (in-app: no quiet hours).
  auto request_delivered = [&] {
    for (const nv1::Delivery& d : Deliveries(api_, patient.id())) {
      if (d.kind() == nv1::REMINDER_KIND_CONFIRMATION_REQUEST &&
          d.appointment_id() == booked.id()) {
        return true;
      }
    }
    return false;
  };
  ASSERT_TRUE(WaitFor(request_delivered, absl::Seconds(30)));
  sv1::GetAppointmentRequest get;
  get.set_id(booked.id());
  sv1::Appointment asked;
  ASSERT_RPC_OK(
      api_.Call([&](auto* c) { return api_.scheduling->GetAppointment(c, get, &asked); }));
  EXPECT_EQ(asked.confirmation().state(), sv1::CONFIRMATION_STATE_REQUESTED);
  EXPECT_EQ(Listed(day, sv1::CONFIRMATION_STATE_REQUESTED), std::vector<std::string>{booked.id()});

  sv1::ConfirmAppointmentRequest confirm;
  confirm.set_id(booked.id());
  confirm.set_answer(sv1::CONFIRMATION_STATE_CONFIRMED);
  confirm.set_etag(asked.etag());
  sv1::Appointment confirmed;
  ASSERT_RPC_OK(api_.Call(
      [&](auto* c) { return api_.scheduling->ConfirmAppointment(c, confirm, &confirmed); }));
  sv1::Appointment read;
  ASSERT_RPC_OK(api_.Call([&](auto* c) { return api_.scheduling->GetAppointment(c, get, &read); }));
  EXPECT_EQ(read.confirmation().state(), sv1::CONFIRMATION_STATE_CONFIRMED);
  EXPECT_EQ(read.confirmation().answered_via(), sv1::CONFIRMATION_CHANNEL_STAFF);
  EXPECT_EQ(Listed(day, sv1::CONFIRMATION_STATE_CONFIRMED), std::vector<std::string>{booked.id()});
  EXPECT_TRUE(Listed(day, sv1::CONFIRMATION_STATE_NO_ANSWER).empty());

  // The appointment reminder is still planned: confirming ends only the request.
  nv1::ListRemindersRequest filter;
  filter.set_patient_id(patient.id());
  filter.add_kinds(nv1::REMINDER_KIND_APPOINTMENT);
  EXPECT_TRUE(WaitFor(
      [&] {
        for (const auto& r : Reminders(api_, filter)) {
          if (r.appointment_id() == booked.id() && r.state() != nv1::REMINDER_STATE_CANCELLED) {
            return true;
          }
        }
        return false;
      },
      absl::Seconds(10)));
}

}  // namespace
}  // namespace dermaflow::e2e
