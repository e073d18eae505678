// Each of the four binaries, as a real process against a real redis-server:
// answers grpc.health.v1, serves /metrics with gRPC RED metrics, follows
// Redis in its health status, and exits 0 on SIGTERM.
#include <signal.h>

#include <string>

#include "gmock/gmock.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace dermaflow::testing {
namespace {

using grpc::health::v1::HealthCheckResponse;

class ServiceBinaryTest : public ::testing::TestWithParam<std::string> {};

// The service names a server lists through grpc.reflection.v1alpha.
std::vector<std::string> ReflectedServices(ServiceProcess& service) {
  using grpc::reflection::v1alpha::ServerReflection;
  using grpc::reflection::v1alpha::ServerReflectionRequest;
  using grpc::reflection::v1alpha::ServerReflectionResponse;
  auto stub = ServerReflection::NewStub(service.channel());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto stream = stub->ServerReflectionInfo(&ctx);
  ServerReflectionRequest request;
  request.set_list_services("");
  stream->Write(request);
  stream->WritesDone();
  ServerReflectionResponse response;
  std::vector<std::string> names;
  while (stream->Read(&response)) {
    for (const auto& s : response.list_services_response().service()) names.push_back(s.name());
  }
  stream->Finish();
  return names;
}

std::string CapitalizedName(const std::string& name) {
  std::string out = name;
  out[0] = static_cast<char>(std::toupper(out[0]));
  return out;
}

TEST_P(ServiceBinaryTest, AnswersHealthAndMetricsAndStopsCleanly) {
  RedisServer redis;
  ServiceProcess service(GetParam(), redis.url());

  ASSERT_TRUE(service.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)))
      << service.process().ReadLog();

  std::vector<std::string> services = ReflectedServices(service);
  std::string own = "dermaflow." + GetParam() + ".v1." + CapitalizedName(GetParam()) + "Service";
  EXPECT_THAT(services, ::testing::Contains(own));
  EXPECT_THAT(services, ::testing::Contains("grpc.health.v1.Health"));

  std::string metrics = HttpGet(service.metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("grpc_server_handled_total{"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("grpc_method=\"Check\""), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("grpc_server_handling_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.find("process_resident_memory_bytes"), std::string::npos);

  service.process().Signal(SIGTERM);
  EXPECT_EQ(service.process().Wait(std::chrono::seconds(15)), 0) << service.process().ReadLog();
  std::string log = service.process().ReadLog();
  EXPECT_NE(log.find("\"message\":\"stopped\""), std::string::npos) << log;
}

INSTANTIATE_TEST_SUITE_P(AllServices, ServiceBinaryTest,
                         ::testing::Values("patient", "protocol", "scheduling", "notification"));

TEST(ServiceHealthTest, FollowsRedisReachability) {
  RedisServer redis;
  ServiceProcess service("patient", redis.url());
  ASSERT_TRUE(service.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)));

  redis.Stop();
  EXPECT_TRUE(service.WaitForHealth(HealthCheckResponse::NOT_SERVING, std::chrono::seconds(10)))
      << service.process().ReadLog();
  // Liveness does not follow Redis: kubelet must not restart the pod.
  EXPECT_EQ(service.Health("liveness"), HealthCheckResponse::SERVING);

  redis.Start();
  EXPECT_TRUE(service.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)))
      << service.process().ReadLog();
}

TEST(ServiceConfigTest, RejectsBadFlagWithClearMessageAndExitCode2) {
  TempDir dir;
  ChildProcess p(
      {std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-patient", "--redis=http://nope",
       "--auth=none", "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0"},
      dir.path() + "/log");
  EXPECT_EQ(p.Wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(p.ReadLog().find("invalid configuration"), std::string::npos) << p.ReadLog();
}

TEST(ServiceConfigTest, BadEnvironmentValueNamesTheVariable) {
  TempDir dir;
  ChildProcess p({std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-scheduling"},
                 dir.path() + "/log", {{"DERMAFLOW_EVENT_STREAM_MAX_LEN", "lots"}});
  EXPECT_EQ(p.Wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(p.ReadLog().find("DERMAFLOW_EVENT_STREAM_MAX_LEN"), std::string::npos) << p.ReadLog();
}

TEST(ServiceConfigTest, NonPositiveStreamLengthIsRejected) {
  TempDir dir;
  ChildProcess p({std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-patient",
                  "--event_stream_max_len=0", "--auth=none", "--metrics_listen=127.0.0.1:0"},
                 dir.path() + "/log");
  EXPECT_EQ(p.Wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(p.ReadLog().find("event_stream_max_len"), std::string::npos) << p.ReadLog();
}

TEST(ServiceConfigTest, EnvironmentFallbackSetsFlags) {
  RedisServer redis;
  int port = PickFreePort();
  TempDir dir;
  ChildProcess p({std::string(DERMAFLOW_BINARY_DIR) + "/bin/dermaflow-protocol"},
                 dir.path() + "/log",
                 {{"DERMAFLOW_LISTEN", "127.0.0.1:" + std::to_string(port)},
                  {"DERMAFLOW_METRICS_LISTEN", "127.0.0.1:0"},
                  {"DERMAFLOW_REDIS", redis.url()},
                  {"DERMAFLOW_AUTH", "none"}});
  EXPECT_TRUE(WaitForPort(port, std::chrono::seconds(10))) << p.ReadLog();
  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(), 0);
}

}  // namespace
}  // namespace dermaflow::testing
