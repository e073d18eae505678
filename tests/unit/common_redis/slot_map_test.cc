// CLUSTER SLOTS replies as Redis 7 sends them, and the map built from them.
#include "common/redis/internal/slot_map.h"

#include "gtest/gtest.h"

namespace dermaflow::common::redis_internal {
namespace {

RedisReply Node(RedisReply host, int port, const std::string& id) {
  return RedisReply::Array(
      {std::move(host), RedisReply::Integer(port), RedisReply::String(id), RedisReply::Array({})});
}

RedisReply Range(int start, int end, RedisReply primary, std::vector<RedisReply> replicas = {}) {
  std::vector<RedisReply> fields = {RedisReply::Integer(start), RedisReply::Integer(end),
                                    std::move(primary)};
  for (RedisReply& replica : replicas) fields.push_back(std::move(replica));
  return RedisReply::Array(std::move(fields));
}

TEST(SlotMapTest, ThreePrimariesWithReplicasOrderedByFirstSlot) {
  // Ranges out of order, and one primary with two ranges.
  const RedisReply reply = RedisReply::Array({
      Range(5461, 10922, Node(RedisReply::String("10.0.0.2"), 7001, "b"),
            {Node(RedisReply::String("10.0.0.5"), 7004, "e")}),
      Range(0, 5000, Node(RedisReply::String("10.0.0.1"), 7000, "a")),
      Range(10923, 16383, Node(RedisReply::String("10.0.0.3"), 7002, "c")),
      Range(5001, 5460, Node(RedisReply::String("10.0.0.3"), 7002, "c")),
  });
  absl::StatusOr<SlotMap> map = ParseClusterSlots(reply, "seed");
  ASSERT_TRUE(map.ok()) << map.status();
  ASSERT_EQ(map->primaries().size(), 3u);
  EXPECT_EQ(map->primaries()[0], (RedisNodeAddress{"10.0.0.1", 7000}));
  EXPECT_EQ(map->primaries()[1], (RedisNodeAddress{"10.0.0.3", 7002}));
  EXPECT_EQ(map->primaries()[2], (RedisNodeAddress{"10.0.0.2", 7001}));
  EXPECT_EQ(map->FirstSlotOf(1), 5001);
  EXPECT_EQ(*map->OwnerOf(0), (RedisNodeAddress{"10.0.0.1", 7000}));
  EXPECT_EQ(*map->OwnerOf(5000), (RedisNodeAddress{"10.0.0.1", 7000}));
  EXPECT_EQ(*map->OwnerOf(5001), (RedisNodeAddress{"10.0.0.3", 7002}));
  EXPECT_EQ(*map->OwnerOf(12182), (RedisNodeAddress{"10.0.0.3", 7002}));
  EXPECT_EQ(*map->OwnerOf(6000), (RedisNodeAddress{"10.0.0.2", 7001}));
  EXPECT_EQ(map->OwnerIndexOf(16383), 1);
}

TEST(SlotMapTest, UncoveredSlotsHaveNoOwner) {
  const RedisReply reply = RedisReply::Array({Range(0, 99, Node(RedisReply::String("h"), 1, "a"))});
  absl::StatusOr<SlotMap> map = ParseClusterSlots(reply, "seed");
  ASSERT_TRUE(map.ok());
  EXPECT_NE(map->OwnerOf(99), nullptr);
  EXPECT_EQ(map->OwnerOf(100), nullptr);
  EXPECT_EQ(map->OwnerIndexOf(100), -1);
  EXPECT_TRUE(ParseClusterSlots(RedisReply::Array({}), "seed")->primaries().empty());
}

TEST(SlotMapTest, UnknownEndpointMeansTheHostThatAnswered) {
  // cluster-preferred-endpoint-type unknown-endpoint: nil, "" or "?".
  for (RedisReply host : {RedisReply::Nil(), RedisReply::String(""), RedisReply::String("?")}) {
    const RedisReply reply = RedisReply::Array({Range(0, 16383, Node(host, 6380, "a"))});
    absl::StatusOr<SlotMap> map = ParseClusterSlots(reply, "redis.example");
    ASSERT_TRUE(map.ok());
    EXPECT_EQ(*map->OwnerOf(1), (RedisNodeAddress{"redis.example", 6380}));
  }
}

TEST(SlotMapTest, AssignAfterMovedAddsANewPrimary) {
  absl::StatusOr<SlotMap> map = ParseClusterSlots(
      RedisReply::Array({Range(0, 16383, Node(RedisReply::String("h"), 1, "a"))}), "seed");
  ASSERT_TRUE(map.ok());
  map->Assign(42, RedisNodeAddress{"h", 2});
  EXPECT_EQ(*map->OwnerOf(42), (RedisNodeAddress{"h", 2}));
  EXPECT_EQ(*map->OwnerOf(41), (RedisNodeAddress{"h", 1}));
  EXPECT_EQ(map->primaries().size(), 2u);
  EXPECT_EQ(map->FirstSlotOf(1), 42);
}

TEST(SlotMapTest, MalformedRepliesAreInternalErrors) {
  const std::vector<RedisReply> bad = {
      RedisReply::String("nope"),
      RedisReply::Array({RedisReply::Integer(1)}),
      RedisReply::Array({Range(10, 5, Node(RedisReply::String("h"), 1, "a"))}),
      RedisReply::Array({Range(0, 16384, Node(RedisReply::String("h"), 1, "a"))}),
      RedisReply::Array({Range(0, 1, Node(RedisReply::String("h"), 0, "a"))}),
      RedisReply::Array({Range(0, 1, RedisReply::String("h"))}),
  };
  for (const RedisReply& reply : bad) {
    absl::StatusOr<SlotMap> map = ParseClusterSlots(reply, "seed");
    EXPECT_EQ(map.status().code(), absl::StatusCode::kInternal) << reply.DebugString();
  }
}

}  // namespace
}  // namespace dermaflow::common::redis_internal
