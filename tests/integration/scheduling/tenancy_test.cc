// Tenant isolation with real JWTs: two organizations on one Redis never see
// or touch each other's clinics, appointments or events, and calls without a
// valid token are refused.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/scheduling/scheduling_test_env.h"

namespace dermaflow::scheduling::testing {
namespace {

TEST(TenancyTest, OrganizationsAreIsolated) {
  SchedulingEnv env;
  Organization a = env.SetUpOrganization("clinic-a");
  Organization b = env.SetUpOrganization("clinic-b");
  const std::string patient = env.CreatePatient(a);

  v1::BookAppointmentRequest book;
  book.set_patient_id(patient);
  book.set_protocol_id(a.hydralift_id);
  book.set_clinic_id(a.clinic_id);
  book.set_practitioner_id(a.practitioner_id);
  *book.mutable_start_time() = Ts(env.NextLocal(absl::Weekday::wednesday, 10, 0));
  book.set_request_id("r1");
  v1::Appointment appointment;
  ASSERT_TRUE(
      env.scheduling()
          .BookAppointment(SchedulingEnv::Ctx(a.practitioner_token).get(), book, &appointment)
          .ok());

  // B sees none of A's resources: unknown ids behave like missing ones.
  v1::GetClinicRequest get_clinic;
  get_clinic.set_id(a.clinic_id);
  v1::Clinic clinic;
  EXPECT_EQ(env.scheduling()
                .GetClinic(SchedulingEnv::Ctx(b.reception_token).get(), get_clinic, &clinic)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListClinicsResponse clinics;
  ASSERT_TRUE(
      env.scheduling().ListClinics(SchedulingEnv::Ctx(b.reception_token).get(), {}, &clinics).ok());
  ASSERT_EQ(clinics.clinics_size(), 1);
  EXPECT_EQ(clinics.clinics(0).id(), b.clinic_id);
  v1::GetAppointmentRequest get;
  get.set_id(appointment.id());
  v1::Appointment seen;
  EXPECT_EQ(env.scheduling()
                .GetAppointment(SchedulingEnv::Ctx(b.reception_token).get(), get, &seen)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListAppointmentsRequest list;
  list.set_patient_id(patient);
  v1::ListAppointmentsResponse listed;
  ASSERT_TRUE(env.scheduling()
                  .ListAppointments(SchedulingEnv::Ctx(b.reception_token).get(), list, &listed)
                  .ok());
  EXPECT_EQ(listed.appointments_size(), 0);
  ASSERT_TRUE(env.scheduling()
                  .ListAppointments(SchedulingEnv::Ctx(a.reception_token).get(), list, &listed)
                  .ok());
  EXPECT_EQ(listed.appointments_size(), 1);

  // B cannot cancel A's appointment or book into A's clinic.
  v1::CancelAppointmentRequest cancel;
  cancel.set_id(appointment.id());
  cancel.set_etag(appointment.etag());
  cancel.mutable_cancellation()->set_reason(v1::CANCELLATION_REASON_OTHER);
  v1::Appointment cancelled;
  EXPECT_EQ(env.scheduling()
                .CancelAppointment(SchedulingEnv::Ctx(b.reception_token).get(), cancel, &cancelled)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  book.set_request_id("r2");
  EXPECT_EQ(env.scheduling()
                .BookAppointment(SchedulingEnv::Ctx(b.practitioner_token).get(), book, &seen)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Events stay in their organization's stream.
  EXPECT_EQ(env.Events("clinic-a").size(), 1u);
  EXPECT_TRUE(env.Events("clinic-b").empty());

  // No token, a bad token, or a token without the needed role.
  EXPECT_EQ(env.scheduling().ListClinics(SchedulingEnv::Ctx("").get(), {}, &clinics).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(env.scheduling()
                .ListClinics(SchedulingEnv::Ctx("not-a-jwt").get(), {}, &clinics)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::CreateClinicRequest create;
  create.set_request_id("x");
  create.mutable_clinic()->set_display_name("X");
  create.mutable_clinic()->set_time_zone("Europe/Berlin");
  EXPECT_EQ(env.scheduling()
                .CreateClinic(SchedulingEnv::Ctx(a.reception_token).get(), create, &clinic)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
