#include "common/redis/durability.h"

#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(DurabilityTest, TheProbeKeyIsInTheKeysHashSlot) {
  EXPECT_EQ(ReplicationProbeKey("df:{acme}:appt:1"), "df:{acme}:replication_probe");
  EXPECT_EQ(ReplicationProbeKey("df:pending_erasures"), "{df:pending_erasures}:replication_probe");
}

TEST(DurabilityTest, NotReplicatedIsUnavailableAndTellsItself) {
  const absl::Status s = NotReplicatedError("reached 0 of 1 replicas");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(IsNotReplicated(s));
  EXPECT_FALSE(IsNotReplicated(absl::UnavailableError("connection refused")));
  EXPECT_FALSE(IsNotReplicated(absl::OkStatus()));
}

}  // namespace
}  // namespace dermaflow::common
