// The error replies that count against a node (it cannot serve now) and
// those that are the command's own business.
#include "common/redis/internal/node_error.h"

#include <algorithm>

#include "common/redis/redis_metrics.h"
#include "gtest/gtest.h"

namespace dermaflow::common::redis_internal {
namespace {

TEST(NodeErrorTest, RepliesOfASickNodeHaveTheirKind) {
  EXPECT_EQ(
      NodeErrorKindOfReply(RedisReply::Error("LOADING Redis is loading the dataset in memory")),
      "loading");
  EXPECT_EQ(NodeErrorKindOfReply(RedisReply::Error(
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL")),
            "busy");
  EXPECT_EQ(NodeErrorKindOfReply(
                RedisReply::Error("OOM command not allowed when used memory > 'maxmemory'.")),
            "oom");
  EXPECT_EQ(NodeErrorKindOfReply(RedisReply::Error(
                "MISCONF Redis is configured to save RDB snapshots, but it's currently unable")),
            "misconf");
  EXPECT_EQ(NodeErrorKindOfReply(
                RedisReply::Error("READONLY You can't write against a read only replica.")),
            "readonly");
  EXPECT_EQ(NodeErrorKindOfReply(RedisReply::Error(
                "ERR Error running script (call to f_1): @user_script:3: READONLY You can't")),
            "readonly");
  EXPECT_EQ(NodeErrorKindOfReply(RedisReply::Error("NOREPLICAS Not enough good replicas")),
            "readonly");
}

TEST(NodeErrorTest, TheCommandsOwnErrorsAndAnswersAreNotTheNodes) {
  for (const char* text :
       {"CONFLICT slot taken", "WRONGTYPE Operation against a key holding the wrong kind",
        "NOPERM this user has no permissions to run the 'bgrewriteaof' command",
        "BUSYKEY Target key name already exists.", "BUSYGROUP Consumer Group name already exists",
        "MOVED 3999 127.0.0.1:6381", "TRYAGAIN Multiple keys request during rehashing of slot",
        "NOSCRIPT No matching script", "ERR unknown command 'BGREWRITEAOF'"}) {
    EXPECT_EQ(NodeErrorKindOfReply(RedisReply::Error(text)), "") << text;
  }
  EXPECT_EQ(NodeErrorKindOfReply(RedisReply::Status("LOADING")), "") << "not an error";
  EXPECT_EQ(NodeErrorKindOfReply(RedisReply::String("OOM")), "");
}

TEST(NodeErrorTest, EveryKindIsOneTheMetricsKnow) {
  for (const char* text : {"LOADING x", "BUSY x", "OOM x", "MISCONF x", "READONLY x"}) {
    const std::string_view kind = NodeErrorKindOfReply(RedisReply::Error(text));
    EXPECT_NE(std::find(kRedisNodeErrorKinds.begin(), kRedisNodeErrorKinds.end(), kind),
              kRedisNodeErrorKinds.end())
        << kind;
  }
}

}  // namespace
}  // namespace dermaflow::common::redis_internal
