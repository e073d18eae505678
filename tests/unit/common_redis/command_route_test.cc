// The cluster routing table: where each command's keys are, which commands
// go anywhere or everywhere, and what is refused before sending.
#include "common/redis/internal/command_route.h"

#include "common/redis/hash_slot.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::common::redis_internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Target = CommandRoute::Target;

CommandRoute Route(const std::vector<std::string>& argv) {
  absl::StatusOr<CommandRoute> route = RouteCommand(argv);
  EXPECT_TRUE(route.ok()) << route.status();
  return route.value_or(CommandRoute{});
}

std::string Refusal(const std::vector<std::string>& argv) {
  absl::StatusOr<CommandRoute> route = RouteCommand(argv);
  EXPECT_FALSE(route.ok());
  EXPECT_EQ(route.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(route.status().message());
}

const std::string kA1 = "df:{a}:x";
const std::string kA2 = "df:{a}:y";
const std::string kB = "df:{b}:x";

TEST(CommandRouteTest, SingleKeyCommandsGoToTheKeysSlotWhateverTheCase) {
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{{"GET", kA1},
                                             {"hget", kA1, "pb"},
                                             {"ZRANGEBYSCORE", kA1, "-inf", "+inf"},
                                             {"XADD", kA1, "*", "e", "v"},
                                             {"SET", kA1, "v", "NX", "PX", "100"}}) {
    CommandRoute route = Route(argv);
    EXPECT_EQ(route.target, Target::kSlot) << argv[0];
    EXPECT_EQ(route.slot, KeyHashSlot("a")) << argv[0];
  }
}

TEST(CommandRouteTest, MultiKeyCommandsInOneSlotAreRouted) {
  EXPECT_EQ(Route({"DEL", kA1, kA2}).slot, KeyHashSlot("a"));
  EXPECT_EQ(Route({"MSET", kA1, "1", kA2, "2"}).slot, KeyHashSlot("a"));
  EXPECT_EQ(Route({"BLPOP", kA1, kA2, "5"}).slot, KeyHashSlot("a"));
  EXPECT_EQ(Route({"RENAME", kA1, kA2}).slot, KeyHashSlot("a"));
}

TEST(CommandRouteTest, CrossSlotIsRefusedNamingPositionsAndSlotsNotKeys) {
  const std::string message = Refusal({"DEL", kA1, kB});
  EXPECT_THAT(message, HasSubstr("DEL"));
  EXPECT_THAT(message, HasSubstr("arguments 1 and 2"));
  EXPECT_THAT(message, HasSubstr("different hash slots"));
  EXPECT_THAT(message, Not(HasSubstr(kA1)));
  EXPECT_THAT(message, Not(HasSubstr(kB)));
  EXPECT_TRUE(IsCrossSlotRefusal(RouteCommand({"DEL", kA1, kB}).status()));
  // MSET's values are not keys; its second key is.
  EXPECT_TRUE(RouteCommand({"MSET", kA1, kB, kA2, kB}).ok());
  EXPECT_FALSE(RouteCommand({"MSET", kA1, "1", kB, "2"}).ok());
  EXPECT_FALSE(RouteCommand({"BLPOP", kA1, kB, "5"}).ok());
}

TEST(CommandRouteTest, EvalKeysComeFromNumkeys) {
  EXPECT_EQ(Route({"EVALSHA", "sha", "2", kA1, kA2, kB, "arg"}).slot, KeyHashSlot("a"));
  EXPECT_EQ(Route({"EVAL", "return 1", "0", kB}).target, Target::kAnyNode);
  EXPECT_THAT(Refusal({"EVALSHA", "sha", "2", kA1, kB}), HasSubstr("different hash slots"));
  EXPECT_THAT(Refusal({"EVAL", "s", "3", kA1}), HasSubstr("numkeys"));
  EXPECT_THAT(Refusal({"EVAL", "s", "x", kA1}), HasSubstr("numkeys"));
  EXPECT_THAT(Refusal({"EVAL", "s", "-1"}), HasSubstr("numkeys"));
}

TEST(CommandRouteTest, StreamReadsTakeTheKeysAfterStreams) {
  EXPECT_EQ(Route({"XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "BLOCK", "5", "STREAMS", kA1,
                   kA2, ">", ">"})
                .slot,
            KeyHashSlot("a"));
  EXPECT_EQ(Route({"XREAD", "streams", kB, "0"}).slot, KeyHashSlot("b"));
  // The notification intake's read of every tenant at once (issue 15 part 4).
  EXPECT_THAT(Refusal({"XREADGROUP", "GROUP", "g", "c", "STREAMS", kA1, kB, ">", ">"}),
              HasSubstr("different hash slots"));
  EXPECT_THAT(Refusal({"XREAD", "COUNT", "1", kA1}), HasSubstr("STREAMS"));
  EXPECT_THAT(Refusal({"XREAD", "STREAMS", kA1, kA2, "0"}), HasSubstr("STREAMS"));
}

TEST(CommandRouteTest, SubcommandsTakeTheirKeySecond) {
  EXPECT_EQ(Route({"XINFO", "GROUPS", kA1}).slot, KeyHashSlot("a"));
  EXPECT_EQ(Route({"XGROUP", "CREATE", kB, "g", "0", "MKSTREAM"}).slot, KeyHashSlot("b"));
  EXPECT_EQ(Route({"XINFO", "HELP"}).target, Target::kAnyNode);
}

TEST(CommandRouteTest, KeylessCommandsGoAnywhereOrEverywhere) {
  EXPECT_EQ(Route({"TIME"}).target, Target::kAnyNode);
  EXPECT_EQ(Route({"INFO", "persistence"}).target, Target::kAnyNode);
  EXPECT_EQ(Route({"CONFIG", "GET", "save"}).target, Target::kAnyNode);
  EXPECT_EQ(Route({"CONFIG", "SET", "save", ""}).target, Target::kEveryPrimary);
  EXPECT_EQ(Route({"PING"}).target, Target::kEveryPrimary);
  EXPECT_EQ(Route({"ROLE"}).target, Target::kEveryPrimary);
  EXPECT_EQ(Route({"SCRIPT", "FLUSH"}).target, Target::kEveryPrimary);
  EXPECT_EQ(Route({"BGREWRITEAOF"}).target, Target::kEveryPrimary);
  EXPECT_EQ(Route({"FLUSHALL"}).target, Target::kEveryPrimary);
  EXPECT_EQ(Route({"SCAN", "0", "MATCH", "df:*"}).target, Target::kScan);
}

TEST(CommandRouteTest, CommandsWithoutARuleAreRefusedNotGuessed) {
  EXPECT_THAT(Refusal({"MULTI"}), HasSubstr("no cluster routing rule"));
  EXPECT_THAT(Refusal({"SELECT", "1"}), HasSubstr("SELECT"));
  EXPECT_THAT(Refusal({"WAIT", "1", "100"}), HasSubstr("no cluster routing rule"));
  EXPECT_EQ(RouteCommand({}).status().code(), absl::StatusCode::kInvalidArgument);
}

// Every command the stores send (grep of Command/Pipeline/Eval call sites
// in common/ and services/), so a store never meets a missing rule.
TEST(CommandRouteTest, EveryCommandTheCodeBaseSendsHasARule) {
  const std::vector<std::vector<std::string>> used = {
      {"GET", kA1},
      {"SET", kA1, "v"},
      {"DEL", kA1},
      {"EXISTS", kA1},
      {"HGET", kA1, "f"},
      {"HSET", kA1, "f", "v"},
      {"HMGET", kA1, "f"},
      {"HGETALL", kA1},
      {"HKEYS", kA1},
      {"SADD", kA1, "m"},
      {"SMEMBERS", kA1},
      {"SISMEMBER", kA1, "m"},
      {"ZADD", kA1, "1", "m"},
      {"ZRANGE", kA1, "0", "-1"},
      {"ZREVRANGE", kA1, "0", "-1"},
      {"ZRANGEBYSCORE", kA1, "-inf", "+inf"},
      {"ZRANGEBYLEX", kA1, "-", "+"},
      {"ZREM", kA1, "m"},
      {"ZREMRANGEBYSCORE", kA1, "-inf", "1"},
      {"ZCARD", kA1},
      {"ZCOUNT", kA1, "-inf", "+inf"},
      {"ZMSCORE", kA1, "m"},
      {"XADD", kA1, "*", "f", "v"},
      {"XACK", kA1, "g", "0-1"},
      {"XRANGE", kA1, "-", "+"},
      {"XREVRANGE", kA1, "+", "-"},
      {"XPENDING", kA1, "g"},
      {"XINFO", "GROUPS", kA1},
      {"XGROUP", "CREATE", kA1, "g", "0"},
      {"XAUTOCLAIM", kA1, "g", "c", "0", "0"},
      {"XREADGROUP", "GROUP", "g", "c", "STREAMS", kA1, ">"},
      {"XREAD", "STREAMS", kA1, "$"},
      {"PEXPIRE", kA1, "1"},
      {"PEXPIREAT", kA1, "1"},
      {"EVALSHA", "s", "1", kA1},
      {"EVAL", "s", "1", kA1},
      {"SCAN", "0"},
      {"TIME"},
      {"INFO", "persistence"},
      {"CONFIG", "GET", "save"},
      {"BGSAVE"},
      {"BGREWRITEAOF"},
      {"PING"},
      {"ROLE"},
      {"SCRIPT", "LOAD", "return 1"}};
  for (const std::vector<std::string>& argv : used) {
    EXPECT_TRUE(RouteCommand(argv).ok()) << argv[0] << ": " << RouteCommand(argv).status();
  }
}

}  // namespace
}  // namespace dermaflow::common::redis_internal
