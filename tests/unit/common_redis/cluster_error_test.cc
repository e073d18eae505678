// The error replies by which a cluster node says it did not run a command.
#include "common/redis/internal/cluster_error.h"

#include "gtest/gtest.h"

namespace dermaflow::common::redis_internal {
namespace {

using Kind = ClusterError::Kind;

TEST(ClusterErrorTest, MovedAndAskNameSlotAndNode) {
  ClusterError moved = ClassifyClusterError(RedisReply::Error("MOVED 3999 127.0.0.1:6381"));
  EXPECT_EQ(moved.kind, Kind::kMoved);
  EXPECT_EQ(moved.slot, 3999);
  EXPECT_EQ(moved.node, (RedisNodeAddress{"127.0.0.1", 6381}));
  ClusterError ask = ClassifyClusterError(RedisReply::Error("ASK 12182 redis-2.internal:7000"));
  EXPECT_EQ(ask.kind, Kind::kAsk);
  EXPECT_EQ(ask.slot, 12182);
  EXPECT_EQ(ask.node, (RedisNodeAddress{"redis-2.internal", 7000}));
}

TEST(ClusterErrorTest, Ipv6AndUnknownEndpoints) {
  EXPECT_EQ(ClassifyClusterError(RedisReply::Error("MOVED 1 ::1:7000")).node,
            (RedisNodeAddress{"::1", 7000}));
  EXPECT_EQ(ClassifyClusterError(RedisReply::Error("MOVED 1 [::1]:7000")).node,
            (RedisNodeAddress{"::1", 7000}));
  // Redis 7 with an unknown endpoint: the caller fills in the host it asked.
  ClusterError unknown = ClassifyClusterError(RedisReply::Error("MOVED 1 :7000"));
  EXPECT_EQ(unknown.kind, Kind::kMoved);
  EXPECT_EQ(unknown.node, (RedisNodeAddress{"", 7000}));
}

TEST(ClusterErrorTest, TryAgainAndClusterDown) {
  EXPECT_EQ(ClassifyClusterError(
                RedisReply::Error("TRYAGAIN Multiple keys request during rehashing of slot"))
                .kind,
            Kind::kTryAgain);
  EXPECT_EQ(ClassifyClusterError(RedisReply::Error("CLUSTERDOWN The cluster is down")).kind,
            Kind::kClusterDown);
  EXPECT_EQ(ClassifyClusterError(RedisReply::Error("CLUSTERDOWN Hash slot not served")).kind,
            Kind::kClusterDown);
  EXPECT_EQ(ClusterErrorLabel(Kind::kTryAgain), "tryagain");
  EXPECT_EQ(ClusterErrorLabel(Kind::kMoved), "moved");
}

TEST(ClusterErrorTest, EverythingElseIsTheCommandsOwnAnswer) {
  for (const RedisReply& reply :
       {RedisReply::String("MOVED 1 h:1"), RedisReply::Error("ERR wrong number of arguments"),
        RedisReply::Error("CONFLICT slot taken"), RedisReply::Error("MOVED x h:1"),
        RedisReply::Error("MOVED 99999 h:1"), RedisReply::Error("MOVED 1 nohostport"),
        RedisReply::Error("ASK 1 h:0"), RedisReply::Error("MOVEDX 1 h:1")}) {
    EXPECT_EQ(ClassifyClusterError(reply).kind, Kind::kNone) << reply.DebugString();
  }
}

}  // namespace
}  // namespace dermaflow::common::redis_internal
