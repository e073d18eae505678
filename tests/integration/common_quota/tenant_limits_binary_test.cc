// The tenant limits in the real dermaflow-patient binary, set by its flags,
// with JWT auth so two organizations call at once: a burst from one is
// refused (RESOURCE_EXHAUSTED, QuotaFailure), the other is served, /metrics
// counts the refusal per limit and method, and the log names the tenant.
#include <fstream>
#include <string>

#include "common/auth/jwt_minter.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace dermaflow::testing {
namespace {

using patient::v1::GetPatientRequest;
using patient::v1::Patient;
using patient::v1::PatientService;
using ::testing::HasSubstr;

constexpr char kSecret[] = "tenant-limits-test-secret-of-32-bytes-or-more";

std::string Token(const std::string& org) {
  absl::StatusOr<std::string> token = common::MintJwt({.organization = org,
                                                       .subject = "u1",
                                                       .roles = {"reception"},
                                                       .expires_at = absl::Now() + absl::Hours(1)},
                                                      common::JwtAlgorithm::kHs256, kSecret);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.value_or("");
}

grpc::Status GetPatient(PatientService::Stub& stub, const std::string& token) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  GetPatientRequest req;
  req.set_id("pa_unknown");
  Patient resp;
  return stub.GetPatient(&ctx, req, &resp);
}

TEST(TenantLimitsBinaryTest, RefusesOneOrganizationsBurstAndServesTheOther) {
  TempDir dir;
  const std::string key_file = dir.path() + "/hs256.key";
  std::ofstream(key_file) << kSecret;
  RedisServer redis;
  // 0.001 calls per second refills nothing during the test: the burst is all.
  ServiceProcess patient("patient", redis.url(),
                         {"--auth=jwt", "--jwt_hs256_key_file=" + key_file,
                          "--org_request_rate=0.001", "--org_request_burst=3"});
  auto stub = PatientService::NewStub(patient.channel());
  const std::string a = Token("org-a"), b = Token("org-b");

  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(GetPatient(*stub, a).error_code(), grpc::StatusCode::NOT_FOUND);  // admitted
  }
  grpc::Status refused = GetPatient(*stub, a);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(GetPatient(*stub, b).error_code(), grpc::StatusCode::NOT_FOUND);
  }

  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  google::rpc::QuotaFailure quota;
  google::rpc::RetryInfo retry;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::QuotaFailure>()) any.UnpackTo(&quota);
    if (any.Is<google::rpc::RetryInfo>()) any.UnpackTo(&retry);
  }
  ASSERT_EQ(quota.violations_size(), 1);
  EXPECT_EQ(quota.violations(0).subject(), "organization:org-a");
  EXPECT_THAT(quota.violations(0).description(), HasSubstr("--org_request_rate"));
  EXPECT_GT(retry.retry_delay().seconds(), 0);

  const std::string metrics = HttpGet(patient.metrics_port(), "/metrics");
  EXPECT_THAT(metrics, HasSubstr("dermaflow_org_limit_refusals_total{grpc_method=\"GetPatient\","
                                 "limit=\"org_request_rate\"} 1"));
  EXPECT_THAT(metrics, ::testing::Not(HasSubstr("org-a")));
  const std::string log = patient.process().ReadLog();
  EXPECT_THAT(log, HasSubstr("\"request refused: organization over its limit\""));
  EXPECT_THAT(log, HasSubstr("\"org\":\"org-a\""));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("\"org\":\"org-b\"")));
}

TEST(TenantLimitsBinaryTest, ABadLimitIsAConfigurationError) {
  TempDir dir;
  ChildProcess p(
      {std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-patient", "--auth=none",
       "--org_request_rate=100", "--org_request_burst=0.5", "--metrics_listen=127.0.0.1:0"},
      dir.path() + "/log");
  EXPECT_EQ(p.Wait(std::chrono::seconds(10)), 2);
  EXPECT_THAT(p.ReadLog(), HasSubstr("--org_request_burst")) << p.ReadLog();
}

}  // namespace
}  // namespace dermaflow::testing
