// TenantFocus: which organizations a replica's loop looks at on a pass.
#include "common/replicas/tenant_focus.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

const absl::Time kT = absl::FromUnixSeconds(1'800'000'000);
const std::vector<std::string> kOrgs = {"a", "b", "c", "d"};

TenantFocus HomeOf(std::set<std::string> home) {
  return TenantFocus([home](const std::string& org) { return home.contains(org); },
                     absl::Milliseconds(250));
}

TEST(TenantFocusTest, WithoutAHomeTestEverythingIsLookedAtEveryPass) {
  TenantFocus focus(nullptr, absl::Seconds(1));
  EXPECT_EQ(focus.Pick(kOrgs, kT), kOrgs);
  EXPECT_EQ(focus.Pick(kOrgs, kT + absl::Milliseconds(1)), kOrgs);
  EXPECT_TRUE(focus.IsHome("c"));
  EXPECT_EQ(focus.UntilLookAround(kT), absl::InfiniteDuration());
}

TEST(TenantFocusTest, HomeEveryPassEverythingOnceALookAround) {
  TenantFocus focus = HomeOf({"b", "d"});
  EXPECT_EQ(focus.Pick(kOrgs, kT), kOrgs) << "the first pass looks around";
  EXPECT_EQ(focus.UntilLookAround(kT + absl::Milliseconds(100)), absl::Milliseconds(150));
  EXPECT_EQ(focus.Pick(kOrgs, kT + absl::Milliseconds(100)), (std::vector<std::string>{"b", "d"}));
  EXPECT_EQ(focus.Pick(kOrgs, kT + absl::Milliseconds(250)), kOrgs);
  EXPECT_EQ(focus.UntilLookAround(kT + absl::Seconds(9)), absl::ZeroDuration());
}

TEST(TenantFocusTest, AnOrganizationThatNeedsHelpIsLookedAtEveryPassUntilItNoLongerDoes) {
  TenantFocus focus = HomeOf({"b"});
  focus.Pick(kOrgs, kT);
  EXPECT_TRUE(focus.Help("c", true));
  EXPECT_EQ(focus.Pick(kOrgs, kT + absl::Milliseconds(10)), (std::vector<std::string>{"b", "c"}));
  EXPECT_FALSE(focus.Help("c", false));
  EXPECT_EQ(focus.Pick(kOrgs, kT + absl::Milliseconds(20)), std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace dermaflow::common
