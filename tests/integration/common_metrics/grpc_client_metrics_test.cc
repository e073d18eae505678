// The client interceptor on a channel made as ServiceRuntime::Connect makes
// it (CreateInstrumentedChannel), calling a real gRPC server on loopback:
// grpc_client_* on /metrics, and one log line per burst of failures.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/metrics/grpc_client_interceptor.h"
#include "common/metrics/metrics_registry.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/captured_stderr.h"
#include "tests/support/fake_health_server.h"
#include "tests/support/http_get.h"

namespace dermaflow::common {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::vector<std::string> MatchingLines(const std::vector<std::string>& lines,
                                       const std::string& part) {
  std::vector<std::string> out;
  for (const std::string& line : lines) {
    if (line.find(part) != std::string::npos) out.push_back(line);
  }
  return out;
}

class GrpcClientMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto metrics = MetricsRegistry::Create("127.0.0.1:0");
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    metrics_ = *std::move(metrics);
    client_metrics_ =
        std::make_unique<GrpcClientMetrics>(metrics_->registry(), absl::Milliseconds(500));

    server_ = std::make_unique<dermaflow::testing::FakeHealthServer>();
    address_ = server_->address();
    stub_ = Health::NewStub(
        CreateInstrumentedChannel(address_, grpc::InsecureChannelCredentials(), *client_metrics_));
  }
  grpc::Status Check(Health::Stub& stub, const std::string& service) {
    return dermaflow::testing::CheckHealth(stub, service);
  }
  grpc::Status Check(const std::string& service) { return Check(*stub_, service); }

  std::vector<std::string> Scrape() {
    std::vector<std::string> lines = dermaflow::testing::ScrapeLines(metrics_->port());
    EXPECT_FALSE(lines.empty());
    return lines;
  }

  std::unique_ptr<MetricsRegistry> metrics_;
  std::unique_ptr<GrpcClientMetrics> client_metrics_;
  std::string address_;
  std::unique_ptr<dermaflow::testing::FakeHealthServer> server_;
  std::unique_ptr<Health::Stub> stub_;
};

constexpr char kCheckLabels[] =
    R"(grpc_method="Check",grpc_service="grpc.health.v1.Health",grpc_type="unary")";

std::string Handled(const std::string& code, int count) {
  return "grpc_client_handled_total{grpc_code=\"" + code + "\"," + kCheckLabels + "} " +
         std::to_string(count);
}

TEST_F(GrpcClientMetricsTest, CountsCallsByTargetMethodAndCode) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Check("").ok());
  ASSERT_EQ(Check("billing").error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_EQ(Check("denied").error_code(), grpc::StatusCode::PERMISSION_DENIED);

  std::vector<std::string> lines = Scrape();
  EXPECT_THAT(lines, Contains(Handled("OK", 3)));
  EXPECT_THAT(lines, Contains(Handled("NotFound", 1)));
  EXPECT_THAT(lines, Contains(Handled("PermissionDenied", 1)));
  // Codes never seen make no series.
  EXPECT_THAT(lines, Not(Contains(HasSubstr("grpc_code=\"Internal\""))));
  EXPECT_THAT(lines,
              Contains(std::string("grpc_client_handling_seconds_count{") + kCheckLabels + "} 5"));
  EXPECT_THAT(lines, Contains(StartsWith(std::string("grpc_client_handling_seconds_bucket{") +
                                         kCheckLabels + ",le=\"0.0005\"}")));
  EXPECT_THAT(lines, Contains(std::string("grpc_client_handling_seconds_bucket{") + kCheckLabels +
                              ",le=\"+Inf\"} 5"));
}

TEST_F(GrpcClientMetricsTest, ChannelsShareOneSetOfSeries) {
  auto second = Health::NewStub(
      CreateInstrumentedChannel(address_, grpc::InsecureChannelCredentials(), *client_metrics_));
  ASSERT_TRUE(Check("").ok());
  ASSERT_TRUE(Check(*second, "").ok());
  EXPECT_THAT(Scrape(), Contains(Handled("OK", 2)));
}

TEST_F(GrpcClientMetricsTest, LogsABurstOfFailuresOnceWithoutRequestData) {
  dermaflow::testing::CapturedStderr capture;
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(Check("denied").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Check("").ok());
  std::vector<std::string> lines = capture.Lines();

  std::vector<std::string> failures = MatchingLines(lines, "call to another service failed");
  ASSERT_EQ(failures.size(), 1u) << ::testing::PrintToString(lines);
  const std::string& line = failures[0];
  EXPECT_THAT(line, HasSubstr(R"("target_service":"grpc.health.v1.Health")"));
  EXPECT_THAT(line, HasSubstr(R"("target_method":"Check")"));
  EXPECT_THAT(line, HasSubstr("\"target\":\"" + address_ + "\""));
  EXPECT_THAT(line, HasSubstr(R"("grpc_code":"PermissionDenied")"));
  EXPECT_THAT(line, HasSubstr(R"("suppressed":"0")"));
  // Neither the request (the service name asked for) nor the server's message.
  EXPECT_THAT(line, Not(HasSubstr("denied\"")));
  EXPECT_THAT(line, Not(HasSubstr("Jane")));
  EXPECT_THAT(Scrape(), Contains(Handled("PermissionDenied", 20)));
}

TEST_F(GrpcClientMetricsTest, AfterTheIntervalLogsAgainWithTheSuppressedCount) {
  dermaflow::testing::CapturedStderr capture;
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Check("billing").ok());
  ASSERT_FALSE(Check("denied").ok());  // another code: its own first line
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  ASSERT_FALSE(Check("billing").ok());
  std::vector<std::string> lines = capture.Lines();

  std::vector<std::string> not_found = MatchingLines(lines, R"("grpc_code":"NotFound")");
  ASSERT_EQ(not_found.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_THAT(not_found[0], HasSubstr(R"("suppressed":"0")"));
  EXPECT_THAT(not_found[1], HasSubstr(R"("suppressed":"3")"));
  EXPECT_EQ(MatchingLines(lines, R"("grpc_code":"PermissionDenied")").size(), 1u);
}

TEST_F(GrpcClientMetricsTest, UnreachableTargetCountsAsUnavailableAndNamesTheAddress) {
  server_.reset();
  dermaflow::testing::CapturedStderr capture;
  auto stub = Health::NewStub(
      CreateInstrumentedChannel(address_, grpc::InsecureChannelCredentials(), *client_metrics_));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Check(*stub, "").error_code(), grpc::StatusCode::UNAVAILABLE);
  std::vector<std::string> failures =
      MatchingLines(capture.Lines(), "call to another service failed");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr(R"("grpc_code":"Unavailable")"));
  EXPECT_THAT(failures[0], HasSubstr("\"target\":\"" + address_ + "\""));
  EXPECT_THAT(Scrape(), Contains(Handled("Unavailable", 3)));
}

}  // namespace
}  // namespace dermaflow::common
