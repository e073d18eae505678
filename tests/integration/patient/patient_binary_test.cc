// The dermaflow-patient binary as a real process with --auth=none: it
// serves PatientService (create, read in both views, list) against a real
// redis-server, in the dev organization.
#include "common/status/grpc_status.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient {
namespace {

using grpc::health::v1::HealthCheckResponse;

std::unique_ptr<grpc::ClientContext> WithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

TEST(PatientBinaryTest, ServesPatientsWithAuthNone) {
  dermaflow::testing::RedisServer redis;
  dermaflow::testing::ServiceProcess service("patient", redis.url(),
                                             {"--dev_organization=demo-clinic"});
  ASSERT_TRUE(service.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)))
      << service.process().ReadLog();
  auto stub = v1::PatientService::NewStub(service.channel());

  v1::CreatePatientRequest create;
  *create.mutable_patient() = testing::ValidPatient();
  create.set_request_id("binary-req-1");
  v1::Patient created;
  ASSERT_TRUE(stub->CreatePatient(WithDeadline().get(), create, &created).ok())
      << service.process().ReadLog();
  EXPECT_FALSE(created.id().empty());

  v1::GetPatientRequest get;
  get.set_id(created.id());
  get.set_view(v1::PATIENT_VIEW_FULL);
  v1::Patient full;
  ASSERT_TRUE(stub->GetPatient(WithDeadline().get(), get, &full).ok());
  EXPECT_EQ(full.medical_profile().allergies(0).substance(), v1::ALLERGY_SUBSTANCE_LIDOCAINE);
  EXPECT_EQ(full.medical_profile().updated_by(), "dev");

  v1::ListPatientsRequest list;
  v1::ListPatientsResponse listed;
  ASSERT_TRUE(stub->ListPatients(WithDeadline().get(), list, &listed).ok());
  ASSERT_EQ(listed.patients_size(), 1);
  EXPECT_EQ(listed.patients(0).id(), created.id());

  // Stored under the dev organization's hash tag.
  v1::GetPatientRequest missing;
  missing.set_id("0123456789abcdef0123456789abcdef");
  v1::Patient none;
  EXPECT_EQ(stub->GetPatient(WithDeadline().get(), missing, &none).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const std::string log = service.process().ReadLog();
  EXPECT_NE(log.find("\"patient_id\":\"" + created.id() + "\""), std::string::npos) << log;
  EXPECT_EQ(log.find("Müller"), std::string::npos);
  EXPECT_EQ(log.find("+4915112345678"), std::string::npos);
}

}  // namespace
}  // namespace dermaflow::patient
