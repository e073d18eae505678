// A started service binary exports dermaflow_build_info with the version and
// git revision it was built from, and logs them when it starts serving.
#include <string>

#include "common/server/build_info.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"

namespace dermaflow::testing {
namespace {

using grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(BuildInfoBinaryTest, MetricsNameVersionRevisionAndService) {
  const common::BuildInfo& info = common::GetBuildInfo();
  EXPECT_THAT(std::string(info.version), MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+.*"));
  EXPECT_THAT(std::string(info.revision), MatchesRegex("[0-9a-f]{7,40}|unknown"));

  RedisServer redis;
  ServiceProcess service("scheduling", redis.url());
  ASSERT_TRUE(service.WaitForHealth(HealthCheckResponse::SERVING, std::chrono::seconds(10)))
      << service.process().ReadLog();
  std::string metrics = HttpGet(service.metrics_port(), "/metrics");
  // The binary and this test link the same generated build_info_values.cc.
  EXPECT_THAT(metrics, HasSubstr("dermaflow_build_info{revision=\"" + std::string(info.revision) +
                                 "\",service=\"scheduling\",version=\"" +
                                 std::string(info.version) + "\"} 1"));
  EXPECT_THAT(service.process().ReadLog(),
              HasSubstr("\"revision\":\"" + std::string(info.revision) + "\""));
}

}  // namespace
}  // namespace dermaflow::testing
