// A started service binary exports dermaflow_build_info with the version and
// git revision it was built from, and logs the same two when it starts
// serving.
#include <regex>
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
  // The revision is the binary's own (it may have been linked after this
  // test, at a newer commit); the version is the project's.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      metrics, m,
      std::regex(
          R"re(dermaflow_build_info\{revision="([0-9a-f]{7,40}|unknown)",service="scheduling",)re"
          R"re(version="([^"]+)"\} 1)re")))
      << metrics;
  EXPECT_EQ(m[2].str(), std::string(info.version));
  EXPECT_THAT(service.process().ReadLog(), HasSubstr("\"revision\":\"" + m[1].str() + "\""));
}

}  // namespace
}  // namespace dermaflow::testing
