#include "services/patient/store/audit_retention.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::patient {
namespace {

TEST(AuditCutoffTest, IsTheStreamMillisecondOfNowMinusTheRetention) {
  const absl::Time now = absl::FromUnixMillis(1'800'000'000'123);
  EXPECT_EQ(AuditCutoff(now, absl::Hours(24)), "1799913600123");
  EXPECT_EQ(AuditCutoff(now, kDefaultAuditRetention),
            std::to_string(1'800'000'000'123 - int64_t{1096} * 24 * 3600 * 1000));
}

TEST(AuditCutoffTest, ZeroRetentionTrimsNothing) {
  EXPECT_EQ(AuditCutoff(absl::Now(), absl::ZeroDuration()), "0");
  // Nor does a retention reaching back before 1970.
  EXPECT_EQ(AuditCutoff(absl::FromUnixSeconds(10), absl::Hours(24)), "0");
}

TEST(AuditRetentionTest, IsZeroOrAtLeastADay) {
  EXPECT_TRUE(ValidateAuditRetention(absl::ZeroDuration()).ok());
  EXPECT_TRUE(ValidateAuditRetention(absl::Hours(24)).ok());
  EXPECT_TRUE(ValidateAuditRetention(kDefaultAuditRetention).ok());
  EXPECT_THAT(ValidateAuditRetention(absl::Hours(23)).message(),
              ::testing::HasSubstr("--audit_retention"));
  EXPECT_FALSE(ValidateAuditRetention(-absl::Hours(48)).ok());
}

}  // namespace
}  // namespace dermaflow::patient
