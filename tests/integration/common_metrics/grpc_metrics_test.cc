// /metrics of a real gRPC server with the metrics interceptor (and the Redis
// hooks), scraped over HTTP on loopback as Prometheus would.
#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "common/metrics/grpc_metrics_interceptor.h"
#include "common/metrics/metrics_registry.h"
#include "common/metrics/redis_prometheus_metrics.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
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

class GrpcMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto metrics = MetricsRegistry::Create("127.0.0.1:0");
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    metrics_ = *std::move(metrics);
    ASSERT_GT(metrics_->port(), 0);

    dermaflow::testing::ServerInterceptorFactories factories;
    factories.push_back(MakeGrpcMetricsInterceptorFactory(*metrics_));
    server_ = std::make_unique<dermaflow::testing::FakeHealthServer>(std::move(factories));
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    stub_ = Health::NewStub(channel_);
  }

  grpc::Status Check(const std::string& service) {
    return dermaflow::testing::CheckHealth(*stub_, service);
  }

  std::vector<std::string> Scrape() {
    std::vector<std::string> lines = dermaflow::testing::ScrapeLines(metrics_->port());
    EXPECT_FALSE(lines.empty());
    return lines;
  }

  std::unique_ptr<MetricsRegistry> metrics_;
  std::unique_ptr<dermaflow::testing::FakeHealthServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Health::Stub> stub_;
};

constexpr char kCheckLabels[] =
    R"(grpc_method="Check",grpc_service="grpc.health.v1.Health",grpc_type="unary")";

TEST_F(GrpcMetricsTest, CountsHandledCallsByMethodAndCode) {
  ASSERT_TRUE(Check("").ok());
  ASSERT_EQ(Check("billing").error_code(), grpc::StatusCode::NOT_FOUND);
  std::vector<std::string> lines = Scrape();
  EXPECT_THAT(lines, Contains(std::string("grpc_server_handled_total{grpc_code=\"OK\",") +
                              kCheckLabels + "} 1"));
  EXPECT_THAT(lines, Contains(std::string("grpc_server_handled_total{grpc_code=\"NotFound\",") +
                              kCheckLabels + "} 1"));
  EXPECT_THAT(lines, Contains(std::string("grpc_server_started_total{") + kCheckLabels + "} 2"));
  EXPECT_THAT(lines,
              Contains(std::string("grpc_server_msg_received_total{") + kCheckLabels + "} 2"));
  EXPECT_THAT(lines, Contains(std::string("grpc_server_msg_sent_total{") + kCheckLabels + "} 1"));
}

TEST_F(GrpcMetricsTest, TimesEveryCallInTheHistogram) {
  ASSERT_TRUE(Check("").ok());
  ASSERT_FALSE(Check("billing").ok());
  std::vector<std::string> lines = Scrape();
  EXPECT_THAT(lines,
              Contains(std::string("grpc_server_handling_seconds_count{") + kCheckLabels + "} 2"));
  EXPECT_THAT(lines, Contains(std::string("grpc_server_handling_seconds_bucket{") + kCheckLabels +
                              ",le=\"+Inf\"} 2"));
  EXPECT_THAT(lines, Contains(StartsWith(std::string("grpc_server_handling_seconds_bucket{") +
                                         kCheckLabels + ",le=\"0.0005\"}")));
  EXPECT_THAT(lines, Contains(StartsWith(std::string("grpc_server_handling_seconds_bucket{") +
                                         kCheckLabels + ",le=\"10\"}")));
}

TEST_F(GrpcMetricsTest, LabelsServerStreamingCalls) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto reader = stub_->Watch(&ctx, HealthCheckRequest());
  HealthCheckResponse resp;
  while (reader->Read(&resp)) {
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_THAT(Scrape(),
              Contains("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Watch\","
                       "grpc_service=\"grpc.health.v1.Health\",grpc_type=\"server_stream\"} 1"));
}

TEST_F(GrpcMetricsTest, UnknownMethodsNeverBecomeLabels) {
  grpc::GenericStub generic(channel_);
  for (const std::string& path :
       {std::string("/no.such.Service/Method"), std::string("/patient-42/jane.doe@example.com")}) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    grpc::Status status;
    generic.UnaryCall(&ctx, path, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
      std::lock_guard<std::mutex> lock(mu);
      status = s;
      done = true;
      done_cv.notify_one();
    });
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return done; });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  std::vector<std::string> lines = Scrape();
  // They are counted as one series, whatever path the client made up.
  EXPECT_THAT(lines, Contains(StartsWith("grpc_server_handled_total{grpc_code=\"Unimplemented\","
                                         "grpc_method=\"unknown\",grpc_service=\"unknown\"")));
  for (const std::string& line : lines) {
    EXPECT_THAT(line, Not(HasSubstr("no.such.Service")));
    EXPECT_THAT(line, Not(HasSubstr("jane.doe")));
  }
}

TEST_F(GrpcMetricsTest, ExportsProcessMetrics) {
  std::vector<std::string> lines = Scrape();
  for (const char* name : {"process_start_time_seconds ", "process_cpu_seconds_total ",
                           "process_resident_memory_bytes ", "process_virtual_memory_bytes ",
                           "process_open_fds ", "process_max_fds "}) {
    SCOPED_TRACE(name);
    auto line = std::find_if(lines.begin(), lines.end(),
                             [&](const std::string& l) { return l.rfind(name, 0) == 0; });
    ASSERT_NE(line, lines.end());
    double value = std::stod(line->substr(std::string(name).size()));
    EXPECT_GE(value, 0);
    if (std::string(name) != "process_cpu_seconds_total ") EXPECT_GT(value, 0);
  }
  auto start = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.rfind("process_start_time_seconds ", 0) == 0;
  });
  double start_time = std::stod(start->substr(std::string("process_start_time_seconds ").size()));
  double now = static_cast<double>(time(nullptr));
  EXPECT_LE(start_time, now + 1);
  EXPECT_GT(start_time, now - 3600);
}

TEST_F(GrpcMetricsTest, CreateFailsWhenThePortIsTaken) {
  absl::StatusOr<std::unique_ptr<MetricsRegistry>> second =
      MetricsRegistry::Create("127.0.0.1:" + std::to_string(metrics_->port()));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(GrpcMetricsTest, ExportsRedisCommandMetrics) {
  RedisPrometheusMetrics redis(metrics_->registry());
  redis.OnCommand("GET", absl::Microseconds(300), absl::StatusCode::kOk);
  redis.OnCommand("GET", absl::Milliseconds(2), absl::StatusCode::kOk);
  redis.OnCommand("EVAL:book_appointment", absl::Milliseconds(1), absl::StatusCode::kUnavailable);
  redis.OnConnect(absl::StatusCode::kOk);
  std::vector<std::string> lines = Scrape();
  EXPECT_THAT(lines, Contains("dermaflow_redis_commands_total{command=\"GET\",result=\"OK\"} 2"));
  EXPECT_THAT(lines, Contains("dermaflow_redis_commands_total{command=\"EVAL:book_appointment\","
                              "result=\"UNAVAILABLE\"} 1"));
  EXPECT_THAT(lines, Contains("dermaflow_redis_command_duration_seconds_count{command=\"GET\"} 2"));
  EXPECT_THAT(
      lines,
      Contains("dermaflow_redis_command_duration_seconds_bucket{command=\"GET\",le=\"0.0005\"} 1"));
  EXPECT_THAT(lines, Contains("dermaflow_redis_connects_total{result=\"OK\"} 1"));
}

TEST_F(GrpcMetricsTest, ExportsRedisClusterRedirectionsByKindOnly) {
  RedisPrometheusMetrics redis(metrics_->registry());
  redis.OnClusterRedirection("moved");
  redis.OnClusterRedirection("moved");
  redis.OnClusterRedirection("tryagain");
  redis.OnClusterMapRefresh(absl::StatusCode::kOk);
  redis.OnClusterMapRefresh(absl::StatusCode::kUnavailable);
  std::vector<std::string> lines = Scrape();
  EXPECT_THAT(lines, Contains("dermaflow_redis_cluster_redirections_total{kind=\"moved\"} 2"));
  EXPECT_THAT(lines, Contains("dermaflow_redis_cluster_redirections_total{kind=\"tryagain\"} 1"));
  EXPECT_THAT(lines, Contains("dermaflow_redis_cluster_map_refreshes_total{result=\"OK\"} 1"));
  EXPECT_THAT(lines,
              Contains("dermaflow_redis_cluster_map_refreshes_total{result=\"UNAVAILABLE\"} 1"));
}

TEST_F(GrpcMetricsTest, ExportsRedisNodeSeriesOnlyForThePrimariesInUse) {
  RedisPrometheusMetrics redis(metrics_->registry());
  redis.OnClusterPrimaries(3);
  redis.OnPrimariesChecked({{"10.0.0.1:6379", true}, {"10.0.0.2:6379", false}});
  redis.OnNodeError("10.0.0.2:6379", "connect");
  redis.OnNodeError("10.0.0.2:6379", "connect");
  redis.OnNodeError("10.0.0.2:6379", "not-a-kind");  // ignored: the kinds are a fixed set
  std::vector<std::string> lines = Scrape();
  EXPECT_THAT(lines, Contains("dermaflow_redis_cluster_nodes{role=\"primary\"} 3"));
  EXPECT_THAT(lines, Contains("dermaflow_redis_node_up{node=\"10.0.0.1:6379\"} 1"));
  EXPECT_THAT(lines, Contains("dermaflow_redis_node_up{node=\"10.0.0.2:6379\"} 0"));
  EXPECT_THAT(
      lines,
      Contains("dermaflow_redis_node_errors_total{kind=\"connect\",node=\"10.0.0.2:6379\"} 2"));
  EXPECT_THAT(
      lines,
      Contains("dermaflow_redis_node_errors_total{kind=\"timeout\",node=\"10.0.0.1:6379\"} 0"))
      << "every kind from a node's first sight";
  EXPECT_THAT(lines, Not(Contains(HasSubstr("not-a-kind"))));

  // 10.0.0.2 failed over to 10.0.0.3: the old node's series go.
  redis.OnPrimariesChecked({{"10.0.0.1:6379", true}, {"10.0.0.3:6379", true}});
  lines = Scrape();
  EXPECT_THAT(lines, Contains("dermaflow_redis_node_up{node=\"10.0.0.3:6379\"} 1"));
  EXPECT_THAT(lines, Not(Contains(HasSubstr("10.0.0.2:6379"))));
  // No primary known at all (no map): no node series.
  redis.OnPrimariesChecked({});
  EXPECT_THAT(Scrape(), Not(Contains(HasSubstr("dermaflow_redis_node_up{"))));
}

TEST(GrpcMethodLabelsTest, SplitsThePathAndRefusesAnythingElse) {
  GrpcMethodLabels labels = SplitGrpcMethod("/dermaflow.patient.v1.PatientService/GetPatient");
  EXPECT_EQ(labels.service, "dermaflow.patient.v1.PatientService");
  EXPECT_EQ(labels.method, "GetPatient");
  for (const char* path :
       {"", "/", "GetPatient", "/svc", "/svc/", "//m", "/svc/a/b", "/s v/m", "/svc/m\"}"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(SplitGrpcMethod(path).service, "unknown");
    EXPECT_EQ(SplitGrpcMethod(path).method, "unknown");
  }
}

TEST(GrpcMethodLabelsTest, NamesCodesAsGoGrpcPrometheusDoes) {
  EXPECT_EQ(GrpcCodeName(0), "OK");
  EXPECT_EQ(GrpcCodeName(1), "Canceled");
  EXPECT_EQ(GrpcCodeName(3), "InvalidArgument");
  EXPECT_EQ(GrpcCodeName(4), "DeadlineExceeded");
  EXPECT_EQ(GrpcCodeName(9), "FailedPrecondition");
  EXPECT_EQ(GrpcCodeName(16), "Unauthenticated");
  EXPECT_EQ(GrpcCodeName(99), "Unknown");
}

}  // namespace
}  // namespace dermaflow::common
