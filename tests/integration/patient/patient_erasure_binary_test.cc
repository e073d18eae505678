// The dermaflow-patient binary wires the erasure rewriter: with a short
// --erasure_rewrite_within, an erasure leaves Redis's append-only file and
// /metrics shows the pending erasure gauge back at 0; bad flags exit 2.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"
#include "tests/support/wait_for.h"
#include "tests/unit/patient/invalid_patient_cases.h"

namespace dermaflow::patient {
namespace {

namespace fs = std::filesystem;
using grpc::health::v1::HealthCheckResponse;

std::unique_ptr<grpc::ClientContext> WithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

std::string AofBytes(const std::string& dir) {
  std::string all;
  for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(dir) / "appendonlydir")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    all += bytes.str();
  }
  return all;
}

// The value of an unlabelled series in a /metrics scrape; -1 if absent.
double MetricValue(int port, const std::string& name) {
  for (const std::string& line : dermaflow::testing::ScrapeLines(port)) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

using dermaflow::testing::WaitFor;

TEST(PatientErasureBinaryTest, ErasureLeavesTheAppendOnlyFileWithinTheBound) {
  dermaflow::testing::RedisServer redis;
  dermaflow::testing::ServiceProcess service(
      "patient", redis.url(),
      {"--dev_organization=demo-clinic", "--erasure_rewrite_within=3s",
       "--erasure_rewrite_min_interval=200ms"});
  ASSERT_TRUE(service.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)))
      << service.process().ReadLog();
  EXPECT_EQ(MetricValue(service.metrics_port(), "dermaflow_erasure_rewrite_within_seconds"), 3);
  auto stub = v1::PatientService::NewStub(service.channel());

  v1::CreatePatientRequest create;
  *create.mutable_patient() = testing::ValidPatient();
  create.mutable_patient()->set_family_name("Xylophonerased");
  create.mutable_patient()->mutable_contact()->set_email("xylo.erased@example.org");
  create.set_request_id("erase-binary-1");
  v1::Patient created;
  ASSERT_TRUE(stub->CreatePatient(WithDeadline().get(), create, &created).ok());
  ASSERT_NE(AofBytes(redis.dir()).find("xylo.erased@example.org"), std::string::npos);

  v1::DeletePatientRequest erase;
  erase.set_id(created.id());
  erase.set_etag(created.etag());
  erase.set_reason("erasure request by letter");
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub->DeletePatient(WithDeadline().get(), erase, &empty).ok());

  EXPECT_TRUE(WaitFor(
      [&] {
        return MetricValue(service.metrics_port(), "dermaflow_erasure_rewrites_total") >= 1 &&
               MetricValue(service.metrics_port(), "dermaflow_erasure_pending") == 0;
      },
      std::chrono::seconds(15)))
      << service.process().ReadLog();
  EXPECT_EQ(MetricValue(service.metrics_port(), "dermaflow_erasure_pending_oldest_seconds"), 0);
  EXPECT_TRUE(WaitFor(
      [&] {
        const std::string aof = AofBytes(redis.dir());
        return aof.find("xylo.erased@example.org") == std::string::npos &&
               aof.find("Xylophonerased") == std::string::npos;
      },
      std::chrono::seconds(5)));
  const std::string log = service.process().ReadLog();
  EXPECT_NE(log.find("erasure rewrite done"), std::string::npos) << log;
  EXPECT_EQ(log.find("xylo.erased"), std::string::npos);
}

TEST(PatientErasureBinaryTest, MinIntervalAboveHalfTheBoundIsAConfigurationError) {
  dermaflow::testing::RedisServer redis;
  dermaflow::testing::TempDir dir;
  dermaflow::testing::ChildProcess patient(
      {std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-patient", "--listen=127.0.0.1:0",
       "--metrics_listen=127.0.0.1:0", "--redis=" + redis.url(), "--auth=none",
       "--erasure_rewrite_within=1m", "--erasure_rewrite_min_interval=45s"},
      dir.path() + "/patient.log");
  EXPECT_EQ(patient.Wait(std::chrono::seconds(10)), 2) << patient.ReadLog();
  EXPECT_NE(patient.ReadLog().find("erasure_rewrite_min_interval"), std::string::npos);
}

}  // namespace
}  // namespace dermaflow::patient
