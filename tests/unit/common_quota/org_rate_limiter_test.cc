#include "common/quota/org_rate_limiter.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/clock/clock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(OrgRateLimiterTest, EachOrganizationSpendsOnlyItsOwnTokens) {
  FakeClock clock;
  OrgRateLimiter limiter(/*rate=*/1, /*burst=*/2);
  EXPECT_EQ(limiter.Admit("org-a", clock.Now()), std::nullopt);
  EXPECT_EQ(limiter.Admit("org-a", clock.Now()), std::nullopt);
  std::optional<absl::Duration> wait = limiter.Admit("org-a", clock.Now());
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Seconds(1));
  // org-b's burst is untouched by org-a's.
  EXPECT_EQ(limiter.Admit("org-b", clock.Now()), std::nullopt);
  EXPECT_EQ(limiter.Admit("org-b", clock.Now()), std::nullopt);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(limiter.Admit("org-a", clock.Now()), std::nullopt);
}

TEST(OrgRateLimiterTest, DropsTheBucketsOfOrganizationsThatWentQuiet) {
  FakeClock clock;
  OrgRateLimiter limiter(/*rate=*/10, /*burst=*/1);
  for (int i = 0; i < 300; ++i) limiter.Admit(absl::StrCat("org-", i), clock.Now());
  EXPECT_EQ(limiter.TrackedOrganizations(), 300u);
  // Every bucket is full again after 0.1 s; the next new organizations
  // prune them instead of growing the table without bound.
  clock.Advance(absl::Seconds(1));
  for (int i = 300; i < 600; ++i) limiter.Admit(absl::StrCat("org-", i), clock.Now());
  EXPECT_LE(limiter.TrackedOrganizations(), 300u);
  // A pruned organization starts with a full bucket, as it would have had.
  EXPECT_EQ(limiter.Admit("org-0", clock.Now()), std::nullopt);
}

}  // namespace
}  // namespace dermaflow::common
