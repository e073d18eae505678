// HomeReplica (common/replicas/tenant_share.h): rendezvous hashing of
// organizations over replicas -- even, stable, and moving only the share of
// a replica that comes or goes. TenantShare itself runs on Redis
// (tests/integration/common_events/shared_consumers_test.cc).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/replicas/tenant_share.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

std::vector<std::string> Orgs(int n) {
  std::vector<std::string> orgs;
  for (int i = 0; i < n; ++i) orgs.push_back(absl::StrCat("clinic-chain-", i));
  return orgs;
}

TEST(HomeReplicaTest, SpreadsOrganizationsEvenly) {
  const std::vector<std::string> replicas = {"notification-7f01-12", "notification-7f02-12",
                                             "notification-7f03-12"};
  std::map<std::string, int> homes;
  for (const std::string& org : Orgs(3000)) ++homes[HomeReplica(org, replicas)];
  ASSERT_EQ(homes.size(), 3u);
  for (const auto& [replica, count] : homes) {
    EXPECT_GT(count, 900) << replica;  // 1000 each, within 10 %
    EXPECT_LT(count, 1100) << replica;
  }
}

TEST(HomeReplicaTest, DoesNotDependOnTheOrderOfTheReplicas) {
  const std::vector<std::string> a = {"r1", "r2", "r3"};
  const std::vector<std::string> b = {"r3", "r1", "r2"};
  for (const std::string& org : Orgs(200)) EXPECT_EQ(HomeReplica(org, a), HomeReplica(org, b));
}

TEST(HomeReplicaTest, AReplicaLeavingMovesOnlyItsOwnOrganizations) {
  const std::vector<std::string> three = {"r1", "r2", "r3"};
  const std::vector<std::string> two = {"r1", "r3"};
  int moved = 0;
  for (const std::string& org : Orgs(1000)) {
    const std::string before = HomeReplica(org, three);
    const std::string after = HomeReplica(org, two);
    if (before != "r2") {
      EXPECT_EQ(after, before) << org << " moved though its home stayed";
    } else {
      ++moved;
      EXPECT_NE(after, "r2");
    }
  }
  EXPECT_GT(moved, 250);
  EXPECT_LT(moved, 420);
}

TEST(HomeReplicaTest, IsStableAcrossBuilds) {
  // Replicas of different versions must agree during a rolling update: the
  // hash is fixed (FNV-1a + splitmix64), not std::hash.
  const std::vector<std::string> replicas = {"a", "b", "c", "d"};
  std::string homes;
  for (const std::string& org : {"demo", "clinic-1", "clinic-2", "clinic-3", "berlin-mitte"}) {
    homes += HomeReplica(org, replicas);
  }
  EXPECT_EQ(homes, "baccc");  // also computed apart, in Python
}

TEST(HomeReplicaTest, NoReplicasNoHome) { EXPECT_EQ(HomeReplica("demo", {}), ""); }

}  // namespace
}  // namespace dermaflow::common
