// GrpcPatientClient and GrpcProtocolClient against fake patient and protocol
// services on loopback, over channels made as ServiceRuntime::Connect makes
// them (CreateInstrumentedChannel with RetryingChannelArguments).
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/auth/service_token_source.h"
#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/clients/retry_policy.h"
#include "common/clock/clock.h"
#include "common/metrics/grpc_client_interceptor.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "tests/support/test_server.h"

namespace dermaflow::common {
namespace {

// Answers UNAVAILABLE `failures` times, then the patient (or NOT_FOUND for
// id "missing"); remembers what each call carried.
class FakePatientService final : public patient::v1::PatientService::Service {
 public:
  std::atomic<int> failures{0};
  std::atomic<int> calls{0};

  grpc::Status GetPatient(grpc::ServerContext* ctx, const patient::v1::GetPatientRequest* request,
                          patient::v1::Patient* response) override {
    ++calls;
    {
      absl::MutexLock lock(&mu_);
      auto auth = ctx->client_metadata().find("authorization");
      auto via = ctx->client_metadata().find("x-dermaflow-via-service");
      last_authorization_ = auth == ctx->client_metadata().end()
                                ? ""
                                : std::string(auth->second.data(), auth->second.size());
      last_via_ = via == ctx->client_metadata().end()
                      ? ""
                      : std::string(via->second.data(), via->second.size());
      last_deadline_ = ctx->deadline();
    }
    if (failures-- > 0) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
    if (request->id() == "missing")
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such patient");
    response->set_id(request->id());
    response->set_given_name("Ada");
    return grpc::Status::OK;
  }

  std::string last_authorization() {
    absl::MutexLock lock(&mu_);
    return last_authorization_;
  }
  std::string last_via() {
    absl::MutexLock lock(&mu_);
    return last_via_;
  }
  std::chrono::system_clock::time_point last_deadline() {
    absl::MutexLock lock(&mu_);
    return last_deadline_;
  }

 private:
  absl::Mutex mu_;
  std::string last_authorization_ ABSL_GUARDED_BY(mu_);
  std::string last_via_ ABSL_GUARDED_BY(mu_);
  std::chrono::system_clock::time_point last_deadline_ ABSL_GUARDED_BY(mu_);
};

// A protocol service whose ScreenEligibility reads the patient through a
// GrpcPatientClient on the caller's behalf, as the real one does.
class ForwardingProtocolService final : public protocol::v1::ProtocolService::Service {
 public:
  explicit ForwardingProtocolService(PatientClient& patients) : patients_(patients) {}

  grpc::Status ScreenEligibility(grpc::ServerContext* ctx,
                                 const protocol::v1::ScreenEligibilityRequest* request,
                                 protocol::v1::ScreenEligibilityResponse* response) override {
    Caller caller{.organization = "clinic-a"};
    auto patient = patients_.GetPatient(CallOrigin::ForCaller(caller, ctx), request->patient_id(),
                                        patient::v1::PATIENT_VIEW_FULL);
    response->set_eligible(patient.ok());
    return grpc::Status::OK;
  }

 private:
  PatientClient& patients_;
};

class ClientsTest : public ::testing::Test {
 protected:
  std::shared_ptr<grpc::Channel> Connect(const std::string& address, bool retries = true) {
    return CreateInstrumentedChannel(
        address, grpc::InsecureChannelCredentials(), metrics_,
        retries ? RetryingChannelArguments() : grpc::ChannelArguments());
  }

  prometheus::Registry registry_;
  GrpcClientMetrics metrics_{registry_};
  FakePatientService patient_service_;
  testing::TestServer patient_server_{{&patient_service_}};
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  ServiceTokenSource no_key_tokens_{{.service = "notification"}, clock_};
};

TEST_F(ClientsTest, RetriesUnavailableReadsFromTheServiceConfig) {
  GrpcPatientClient patients(Connect(patient_server_.address()),
                             {.via_service = "test", .service_tokens = &no_key_tokens_});
  patient_service_.failures = 2;
  auto patient = patients.GetPatient(CallOrigin::ForService("clinic-a"), "p1",
                                     patient::v1::PATIENT_VIEW_BASIC);
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(patient->given_name(), "Ada");
  EXPECT_EQ(patient_service_.calls, 3);
}

TEST_F(ClientsTest, GivesUpAfterThreeAttempts) {
  GrpcPatientClient patients(Connect(patient_server_.address()),
                             {.via_service = "test", .service_tokens = &no_key_tokens_});
  patient_service_.failures = 10;
  auto patient = patients.GetPatient(CallOrigin::ForService("clinic-a"), "p1",
                                     patient::v1::PATIENT_VIEW_BASIC);
  EXPECT_EQ(patient.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(patient_service_.calls, 3);
}

TEST_F(ClientsTest, WithoutTheServiceConfigNothingIsRetried) {
  GrpcPatientClient patients(Connect(patient_server_.address(), /*retries=*/false),
                             {.via_service = "test", .service_tokens = &no_key_tokens_});
  patient_service_.failures = 1;
  auto patient = patients.GetPatient(CallOrigin::ForService("clinic-a"), "p1",
                                     patient::v1::PATIENT_VIEW_BASIC);
  EXPECT_EQ(patient.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(patient_service_.calls, 1);
}

TEST_F(ClientsTest, NotFoundIsNotRetriedAndNamesThePatient) {
  GrpcPatientClient patients(Connect(patient_server_.address()),
                             {.via_service = "test", .service_tokens = &no_key_tokens_});
  auto patient = patients.GetPatient(CallOrigin::ForService("clinic-a"), "missing",
                                     patient::v1::PATIENT_VIEW_BASIC);
  ASSERT_EQ(patient.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(patient_service_.calls, 1);
  auto payload = patient.status().GetPayload("type.googleapis.com/google.rpc.ResourceInfo");
  ASSERT_TRUE(payload.has_value());
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(info.ParseFromString(std::string(*payload)));
  EXPECT_EQ(info.resource_type(), "dermaflow.patient.v1.Patient");
  EXPECT_EQ(info.resource_name(), "missing");
}

TEST_F(ClientsTest, AServiceCallNeedsServiceTokens) {
  GrpcPatientClient patients(Connect(patient_server_.address()), {.via_service = "test"});
  auto patient = patients.GetPatient(CallOrigin::ForService("clinic-a"), "p1",
                                     patient::v1::PATIENT_VIEW_BASIC);
  EXPECT_EQ(patient.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(patient_service_.calls, 0);
}

TEST_F(ClientsTest, ACallerCallForwardsTheTokenAndKeepsTheCallersDeadline) {
  GrpcPatientClient patients(Connect(patient_server_.address()),
                             {.via_service = "protocol", .timeout = absl::Seconds(30)});
  ForwardingProtocolService protocol_service(patients);
  testing::TestServer protocol_server({&protocol_service});
  auto stub = protocol::v1::ProtocolService::NewStub(protocol_server.channel());

  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer person-token");
  const auto caller_deadline = std::chrono::system_clock::now() + std::chrono::seconds(5);
  ctx.set_deadline(caller_deadline);
  protocol::v1::ScreenEligibilityRequest request;
  request.set_patient_id("p1");
  protocol::v1::ScreenEligibilityResponse response;
  ASSERT_TRUE(stub->ScreenEligibility(&ctx, request, &response).ok());
  EXPECT_TRUE(response.eligible());
  EXPECT_EQ(patient_service_.last_authorization(), "Bearer person-token");
  EXPECT_EQ(patient_service_.last_via(), "protocol");
  // The 30 s timeout would end later: the caller's 5 s deadline wins.
  EXPECT_LE(patient_service_.last_deadline(), caller_deadline + std::chrono::milliseconds(50));
}

TEST_F(ClientsTest, ATimeoutBoundsTheCall) {
  GrpcPatientClient patients(
      Connect(patient_server_.address()),
      {.via_service = "test", .timeout = absl::Seconds(2), .service_tokens = &no_key_tokens_});
  const auto before = std::chrono::system_clock::now();
  ASSERT_TRUE(
      patients.GetPatient(CallOrigin::ForService("clinic-a"), "p1", patient::v1::PATIENT_VIEW_BASIC)
          .ok());
  EXPECT_LE(patient_service_.last_deadline(), before + std::chrono::milliseconds(2050));
  EXPECT_EQ(patient_service_.last_authorization(), "");  // no key: nothing sent
}

}  // namespace
}  // namespace dermaflow::common
