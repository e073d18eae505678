#include "common/logging/library_logs.h"

#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "tests/support/captured_stderr.h"

namespace dermaflow::common {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(LogRateLimiterTest, WritesAFewPerSecondAndCountsTheRest) {
  LogRateLimiter limiter(2);
  int64_t suppressed = -1;
  EXPECT_TRUE(limiter.Allow(100, &suppressed));
  EXPECT_EQ(suppressed, 0);
  EXPECT_TRUE(limiter.Allow(100, &suppressed));
  EXPECT_FALSE(limiter.Allow(100, &suppressed));
  EXPECT_FALSE(limiter.Allow(100, &suppressed));
  EXPECT_TRUE(limiter.Allow(101, &suppressed));
  EXPECT_EQ(suppressed, 2);  // said once, on the next line written
  EXPECT_TRUE(limiter.Allow(101, &suppressed));
  EXPECT_EQ(suppressed, 0);
}

// What a request with invalid UTF-8 in a string field makes protobuf log.
TEST(LibraryLogsTest, ProtobufLinesBecomeRateLimitedJson) {
  RouteLibraryLogs();
  google::protobuf::BytesValue bytes;
  bytes.set_value("\xff\xfe not UTF-8");
  const std::string wire = bytes.SerializeAsString();

  testing::CapturedStderr captured;
  for (int i = 0; i < 200; ++i) {
    google::protobuf::StringValue text;
    ASSERT_FALSE(text.ParseFromString(wire));
  }
  const std::vector<std::string> lines = captured.Lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_LE(lines.size(), 2u * kLibraryLogLinesPerSecond);  // the loop may straddle a second
  for (const std::string& line : lines) {
    EXPECT_THAT(line, HasSubstr(R"("source":"protobuf")"));
    EXPECT_THAT(line, HasSubstr("invalid UTF-8"));
    EXPECT_THAT(line, Not(HasSubstr("[libprotobuf")));
    EXPECT_EQ(line.front(), '{');
  }
}

}  // namespace
}  // namespace dermaflow::common
