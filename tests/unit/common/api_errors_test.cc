#include "common/status/api_errors.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "common/status/errors.h"

namespace dermaflow::common {
namespace {

constexpr char kDomain[] = "dermaflow.test.v1";
constexpr char kClinic[] = "dermaflow.scheduling.v1.Clinic";

TEST(ApiErrorsTest, NotFoundAlwaysNamesTheResourceWithOneReason) {
  absl::Status s = NotFoundError(kDomain, kClinic, "c-1");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "Clinic \"c-1\" not found");
  ASSERT_TRUE(GetResourceInfo(s).has_value());
  EXPECT_EQ(GetResourceInfo(s)->resource_type(), kClinic);
  EXPECT_EQ(GetResourceInfo(s)->resource_name(), "c-1");
  ASSERT_TRUE(GetErrorInfo(s).has_value());
  EXPECT_EQ(GetErrorInfo(s)->reason(), "NOT_FOUND");
  EXPECT_EQ(GetErrorInfo(s)->domain(), kDomain);
}

TEST(ApiErrorsTest, AbortedReasonsCarryResourceAndMetadata) {
  absl::Status etag = EtagMismatchError(kDomain, kClinic, "c-1", {{"latest_version", "3"}});
  EXPECT_EQ(etag.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorInfoReason(etag), "ETAG_MISMATCH");
  EXPECT_EQ(GetErrorInfo(etag)->metadata().at("latest_version"), "3");
  EXPECT_EQ(GetResourceInfo(etag)->resource_name(), "c-1");
  absl::Status race = ConcurrentModificationError(kDomain, kClinic, "c-1");
  EXPECT_EQ(race.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorInfoReason(race), "CONCURRENT_MODIFICATION");
}

TEST(ApiErrorsTest, TimesReadInTheResourcesZone) {
  absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2027, 1, 4, 9, 0), utc);
  EXPECT_EQ(LocalTimeText(t, "Europe/Berlin"), "2027-01-04 10:00 CET (Europe/Berlin)");
  EXPECT_EQ(LocalTimeText(t + absl::Hours(24 * 180), "Europe/Berlin"),
            "2027-07-03 11:00 CEST (Europe/Berlin)");
  EXPECT_EQ(LocalTimeText(t, ""), "2027-01-04 09:00 UTC");
  EXPECT_EQ(LocalTimeText(t, "Not/AZone"), "2027-01-04 09:00 UTC");
  EXPECT_EQ(ShortTypeName(kClinic), "Clinic");
}

}  // namespace
}  // namespace dermaflow::common
