// The tenant limits on a real gRPC server over loopback, wired as
// ServiceRuntime wires them: StartGrpcServer installs the admission
// interceptor, handlers go through HandleRpc with an AdmittingAuthenticator.
// The limits run on a FakeClock, so a bucket refills only when a test says.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/auth/handle_rpc.h"
#include "common/clock/clock.h"
#include "common/quota/admitting_authenticator.h"
#include "common/quota/call_admission.h"
#include "common/quota/tenant_limits.h"
#include "common/server/grpc_server.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace dermaflow::common {
namespace {

using patient::v1::GetPatientRequest;
using patient::v1::ListPatientsRequest;
using patient::v1::ListPatientsResponse;
using patient::v1::Patient;
using patient::v1::PatientService;
using ::testing::HasSubstr;

constexpr char kOrgHeader[] = "x-test-org";
constexpr char kListPatients[] = "/dermaflow.patient.v1.PatientService/ListPatients";

// The organization is whatever the call's x-test-org header says: these
// tests are about the limits, not about tokens.
class HeaderAuthenticator : public Authenticator {
 public:
  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& ctx) const override {
    auto it = ctx.client_metadata().find(kOrgHeader);
    if (it == ctx.client_metadata().end()) return absl::UnauthenticatedError("no org");
    return Caller{.organization = std::string(it->second.data(), it->second.size()),
                  .subject = "u1"};
  }
};

// GetPatient answers at once; ListPatients with page_token "block" waits
// until Release() (and counts how many are waiting).
class FakePatients : public PatientService::Service {
 public:
  explicit FakePatients(const Authenticator& auth) : auth_(auth) {}

  grpc::Status GetPatient(grpc::ServerContext* ctx, const GetPatientRequest* req,
                          Patient* resp) override {
    return HandleRpc(ctx, auth_, *req, [&](const Caller&) {
      resp->set_id(req->id());
      return absl::OkStatus();
    });
  }

  grpc::Status ListPatients(grpc::ServerContext* ctx, const ListPatientsRequest* req,
                            ListPatientsResponse*) override {
    return HandleRpc(ctx, auth_, *req, [&](const Caller&) {
      if (req->page_token() == "block") {
        {
          absl::MutexLock lock(&mu_);
          ++blocked_;
        }
        release_.WaitForNotification();
      }
      return absl::OkStatus();
    });
  }

  void WaitUntilBlocked(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return blocked_ >= n; };
    mu_.Await(absl::Condition(&enough));
  }
  void Release() {
    if (!release_.HasBeenNotified()) release_.Notify();
  }

 private:
  const Authenticator& auth_;
  absl::Mutex mu_;
  int blocked_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Notification release_;
};

class TenantLimitsGrpcTest : public ::testing::Test {
 protected:
  void Start(TenantLimitOptions options) {
    limits_ = std::make_unique<TenantLimits>(std::move(options), clock_, registry_);
    admission_ = std::make_unique<CallAdmission>(*limits_);
    auth_ = std::make_unique<AdmittingAuthenticator>(std::make_unique<HeaderAuthenticator>(),
                                                     *admission_);
    service_ = std::make_unique<FakePatients>(*auth_);
    absl::StatusOr<StartedGrpcServer> started =
        StartGrpcServer({.admission = admission_.get()}, {service_.get()}, registry_);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started->server);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(started->port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (service_) service_->Release();
    if (server_) server_->Shutdown();
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& org) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata(kOrgHeader, org);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  grpc::Status Get(const std::string& org) {
    GetPatientRequest req;
    req.set_id("pa_1");
    Patient resp;
    return PatientService::NewStub(channel_)->GetPatient(Ctx(org).get(), req, &resp);
  }

  grpc::Status List(const std::string& org, const std::string& page_token = "") {
    ListPatientsRequest req;
    req.set_page_token(page_token);
    ListPatientsResponse resp;
    return PatientService::NewStub(channel_)->ListPatients(Ctx(org).get(), req, &resp);
  }

  double Refusals(const std::string& limit, const std::string& method) {
    for (const auto& family : registry_.Collect()) {
      if (family.name != "dermaflow_org_limit_refusals_total") continue;
      for (const auto& metric : family.metric) {
        std::map<std::string, std::string> labels;
        for (const auto& label : metric.label) labels[label.name] = label.value;
        if (labels["limit"] == limit && labels["grpc_method"] == method) {
          return metric.counter.value;
        }
      }
    }
    return 0;
  }

  FakeClock clock_;
  prometheus::Registry registry_;
  std::unique_ptr<TenantLimits> limits_;
  std::unique_ptr<CallAdmission> admission_;
  std::unique_ptr<AdmittingAuthenticator> auth_;
  std::unique_ptr<FakePatients> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

google::rpc::QuotaFailure QuotaFailureOf(const grpc::Status& status) {
  google::rpc::Status details;
  google::rpc::QuotaFailure quota;
  if (!details.ParseFromString(status.error_details())) return quota;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::QuotaFailure>()) any.UnpackTo(&quota);
  }
  return quota;
}

TEST_F(TenantLimitsGrpcTest, ABurstOfOneOrganizationIsRefusedWhileAnotherIsServed) {
  // The clock stands still: exactly the burst of 10 is admitted per org.
  Start({.request_rate = 1, .request_burst = 10});
  std::atomic<int> a_ok{0}, a_refused{0}, a_other{0}, b_ok{0}, b_other{0};
  std::string a_refusal_description;
  absl::Mutex mu;
  std::vector<std::thread> callers;
  callers.reserve(16);
  // Org A fires 40 calls from 8 threads while org B makes 8 at the same time.
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        grpc::Status s = Get("org-a");
        if (s.ok()) {
          ++a_ok;
        } else if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
          ++a_refused;
          google::rpc::QuotaFailure quota = QuotaFailureOf(s);
          absl::MutexLock lock(&mu);
          if (quota.violations_size() == 1 &&
              quota.violations(0).subject() == "organization:org-a") {
            a_refusal_description = quota.violations(0).description();
          }
        } else {
          ++a_other;
        }
      }
    });
  }
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&] { (Get("org-b").ok() ? b_ok : b_other)++; });
  }
  for (std::thread& t : callers) t.join();

  EXPECT_EQ(a_ok, 10);
  EXPECT_EQ(a_refused, 30);
  EXPECT_EQ(a_other, 0);
  EXPECT_EQ(b_ok, 8);
  EXPECT_EQ(b_other, 0);
  EXPECT_THAT(a_refusal_description, HasSubstr("--org_request_rate"));
  EXPECT_THAT(a_refusal_description, HasSubstr("retry after 1s"));
  EXPECT_EQ(Refusals("org_request_rate", "GetPatient"), 30);

  // Once tokens have come back, A is served again.
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(Get("org-a").ok());
}

TEST_F(TenantLimitsGrpcTest, ExpensiveCallsInFlightAreCappedPerOrganization) {
  Start({.expensive_in_flight = 2, .expensive_methods = {kListPatients}});
  std::vector<grpc::Status> blocked(2);
  std::vector<std::thread> running;
  running.reserve(2);
  for (int i = 0; i < 2; ++i) {
    running.emplace_back([&, i] { blocked[i] = List("org-a", "block"); });
  }
  service_->WaitUntilBlocked(2);

  grpc::Status third = List("org-a");
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  google::rpc::QuotaFailure quota = QuotaFailureOf(third);
  ASSERT_EQ(quota.violations_size(), 1);
  EXPECT_EQ(quota.violations(0).subject(), "organization:org-a");
  EXPECT_THAT(quota.violations(0).description(), HasSubstr("--org_expensive_in_flight"));
  EXPECT_EQ(Refusals("org_expensive_in_flight", "ListPatients"), 1);
  // Meanwhile A's cheap calls and B's expensive ones go through.
  EXPECT_TRUE(Get("org-a").ok());
  EXPECT_TRUE(List("org-b").ok());

  service_->Release();
  for (std::thread& t : running) t.join();
  EXPECT_TRUE(blocked[0].ok()) << blocked[0].error_message();
  EXPECT_TRUE(blocked[1].ok()) << blocked[1].error_message();
  // Their slots were given back as their answers went out.
  EXPECT_TRUE(List("org-a").ok());
  EXPECT_TRUE(List("org-a").ok());
}

TEST_F(TenantLimitsGrpcTest, AnUnknownCallerIsUnauthenticatedAndSpendsNoTokens) {
  Start({.request_rate = 1, .request_burst = 1});
  GetPatientRequest req;
  Patient resp;
  grpc::ClientContext anonymous;
  EXPECT_EQ(PatientService::NewStub(channel_)->GetPatient(&anonymous, req, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Get("org-a").ok());
}

}  // namespace
}  // namespace dermaflow::common
