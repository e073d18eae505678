// The dermaflow-scheduling binary as it runs locally: --auth=none (the dev
// caller acts with every role), wired to the real patient and protocol
// binaries by --patient_addr/--protocol_addr, serving health and /metrics.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/scheduling/scheduling_test_env.h"
#include "tests/support/http_get.h"

namespace dermaflow::scheduling::testing {
namespace {

using dermaflow::testing::RedisServer;
using dermaflow::testing::ServiceProcess;
using grpc::health::v1::HealthCheckResponse;

TEST(SchedulingBinaryTest, ServesWithAuthNoneAndReportsMetrics) {
  RedisServer redis;
  ServiceProcess patient("patient", redis.url());
  ServiceProcess protocol("protocol", redis.url(), {"--patient_addr=" + patient.address()});
  ServiceProcess scheduling(
      "scheduling", redis.url(),
      {"--patient_addr=" + patient.address(), "--protocol_addr=" + protocol.address()});
  ASSERT_TRUE(scheduling.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(15)))
      << scheduling.process().ReadLog();
  auto stub = v1::SchedulingService::NewStub(scheduling.channel());

  v1::CreateClinicRequest create;
  create.set_request_id("dev-clinic");
  create.mutable_clinic()->set_display_name("Demo clinic");
  create.mutable_clinic()->set_time_zone("Europe/Berlin");
  v1::Clinic clinic;
  grpc::Status s = stub->CreateClinic(SchedulingEnv::Ctx("").get(), create, &clinic);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ListClinicsResponse clinics;
  ASSERT_TRUE(stub->ListClinics(SchedulingEnv::Ctx("").get(), {}, &clinics).ok());
  ASSERT_EQ(clinics.clinics_size(), 1);
  EXPECT_EQ(clinics.clinics(0).id(), clinic.id());

  v1::CreatePractitionerRequest add;
  add.set_request_id("dev-practitioner");
  add.mutable_practitioner()->set_display_name("Dr. Dev");
  add.mutable_practitioner()->add_clinic_ids(clinic.id());
  v1::Practitioner practitioner;
  ASSERT_TRUE(stub->CreatePractitioner(SchedulingEnv::Ctx("").get(), add, &practitioner).ok());

  // A booking asks the protocol service (--protocol_addr), which does not
  // know the protocol.
  v1::BookAppointmentRequest book;
  book.set_patient_id("pa_unknown");
  book.set_protocol_id("pt_unknown");
  book.set_clinic_id(clinic.id());
  book.set_practitioner_id(practitioner.id());
  book.mutable_start_time()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(48)) / 60 *
                                         60);
  book.set_request_id("dev-book");
  v1::Appointment appointment;
  s = stub->BookAppointment(SchedulingEnv::Ctx("").get(), book, &appointment);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ResourceInfoOf(s).resource_type(), "dermaflow.protocol.v1.Protocol")
      << s.error_message();

  const std::string metrics = dermaflow::testing::HttpGet(scheduling.metrics_port(), "/metrics");
  EXPECT_THAT(metrics, ::testing::HasSubstr("dermaflow_bookings_total{result=\"invalid\"} 1"));
  EXPECT_THAT(metrics, ::testing::HasSubstr("grpc_server_handled_total"));
}

}  // namespace
}  // namespace dermaflow::scheduling::testing
