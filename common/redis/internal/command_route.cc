#include "common/redis/internal/command_route.h"

#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/hash_slot.h"

namespace dermaflow::common::redis_internal {
namespace {

// Where a command's keys are in its argv.
enum class KeyRule {
  kFirst,         // argv[1]: GET key, HSET key f v
  kFirstTwo,      // argv[1], argv[2]: RENAME src dst, LMOVE src dst ...
  kAll,           // argv[1..]: DEL k1 k2, MGET
  kPairs,         // argv[1], argv[3], ...: MSET k1 v1 k2 v2
  kAllButLast,    // argv[1..n-1], then a timeout: BLPOP k1 k2 5
  kEval,          // EVAL script numkeys k1.. args..: numkeys keys after argv[2]
  kStreams,       // XREAD(GROUP) ... STREAMS k1 k2 id1 id2: first half after STREAMS
  kSubcommand,    // argv[2] after a subcommand: XINFO GROUPS key; none without it
  kConfig,        // CONFIG GET reads any node; SET/REWRITE/RESETSTAT change every one
  kAnyNode,       // keyless, same answer on any node
  kEveryPrimary,  // keyless, acts on (or checks) each node
  kScan,          // SCAN cursor ...: each primary in turn
};

const absl::flat_hash_map<std::string, KeyRule>& Rules() {
  static const auto* const kRules = [] {
    auto* map = new absl::flat_hash_map<std::string, KeyRule>();
    auto add = [map](KeyRule rule, std::initializer_list<const char*> names) {
      for (const char* name : names) map->emplace(name, rule);
    };
    add(KeyRule::kFirst,
        {// strings and key expiry
         "GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX", "APPEND", "STRLEN",
         "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY", "GETRANGE", "SETRANGE", "EXPIRE",
         "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "TTL", "PTTL", "TYPE", "DUMP", "RESTORE",
         "SETBIT", "GETBIT", "BITCOUNT", "PFADD",
         // hashes
         "HGET", "HSET", "HSETNX", "HMGET", "HMSET", "HDEL", "HGETALL", "HKEYS", "HVALS", "HLEN",
         "HEXISTS", "HINCRBY", "HINCRBYFLOAT", "HSTRLEN", "HSCAN", "HRANDFIELD",
         // sets
         "SADD", "SREM", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SPOP", "SRANDMEMBER",
         "SSCAN",
         // sorted sets
         "ZADD", "ZREM", "ZSCORE", "ZMSCORE", "ZINCRBY", "ZCARD", "ZCOUNT", "ZLEXCOUNT", "ZRANGE",
         "ZREVRANGE", "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZRANK",
         "ZREVRANK", "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX",
         "ZRANDMEMBER", "ZSCAN",
         // lists
         "LPUSH", "RPUSH", "LPOP", "RPOP", "LRANGE", "LLEN", "LINDEX", "LSET", "LREM", "LTRIM",
         "LPOS",
         // streams
         "XADD", "XACK", "XRANGE", "XREVRANGE", "XLEN", "XDEL", "XTRIM", "XPENDING", "XCLAIM",
         "XAUTOCLAIM", "XSETID"});
    add(KeyRule::kFirstTwo, {"RENAME", "RENAMENX", "COPY", "SMOVE", "LMOVE", "RPOPLPUSH", "BLMOVE",
                             "BRPOPLPUSH", "ZRANGESTORE"});
    add(KeyRule::kAll, {"DEL", "UNLINK", "EXISTS", "TOUCH", "MGET", "SINTER", "SUNION", "SDIFF",
                        "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "PFCOUNT", "PFMERGE"});
    add(KeyRule::kPairs, {"MSET", "MSETNX"});
    add(KeyRule::kAllButLast, {"BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX"});
    add(KeyRule::kEval, {"EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"});
    add(KeyRule::kStreams, {"XREAD", "XREADGROUP"});
    add(KeyRule::kSubcommand, {"XINFO", "XGROUP", "OBJECT", "MEMORY"});
    add(KeyRule::kConfig, {"CONFIG"});
    add(KeyRule::kAnyNode, {"TIME", "INFO", "ECHO", "LASTSAVE", "CLUSTER", "COMMAND"});
    add(KeyRule::kEveryPrimary, {"PING", "ROLE", "SCRIPT", "FUNCTION", "FLUSHALL", "FLUSHDB",
                                 "BGSAVE", "BGREWRITEAOF", "SAVE"});
    add(KeyRule::kScan, {"SCAN"});
    return map;
  }();
  return *kRules;
}

absl::Status Refuse(std::string_view command, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(
      "redis cluster: ", absl::string_view(command.data(), command.size()), ": ", problem));
}

constexpr absl::string_view kCrossSlot = "are in different hash slots";

// Indices in argv of the keys, per the rule; an error names what is missing.
absl::Status KeyIndices(KeyRule rule, const std::string& name, const std::vector<std::string>& argv,
                        std::vector<int>& keys) {
  const int argc = static_cast<int>(argv.size());
  switch (rule) {
    case KeyRule::kFirst:
      if (argc > 1) keys.push_back(1);
      break;
    case KeyRule::kFirstTwo:
      for (int i = 1; i < argc && i <= 2; ++i) keys.push_back(i);
      break;
    case KeyRule::kAll:
      for (int i = 1; i < argc; ++i) keys.push_back(i);
      break;
    case KeyRule::kPairs:
      for (int i = 1; i < argc; i += 2) keys.push_back(i);
      break;
    case KeyRule::kAllButLast:
      for (int i = 1; i + 1 < argc; ++i) keys.push_back(i);
      break;
    case KeyRule::kEval: {
      int numkeys = -1;
      if (argc < 3 || !absl::SimpleAtoi(argv[2], &numkeys) || numkeys < 0 || numkeys > argc - 3) {
        return Refuse(name, "numkeys (argument 2) is not a number of keys that follow it");
      }
      for (int i = 0; i < numkeys; ++i) keys.push_back(3 + i);
      break;
    }
    case KeyRule::kStreams: {
      int streams = -1;
      for (int i = 1; i < argc; ++i) {
        if (absl::EqualsIgnoreCase(argv[i], "STREAMS")) {
          streams = i;
          break;
        }
      }
      const int rest = streams < 0 ? 0 : argc - streams - 1;
      if (streams < 0 || rest == 0 || rest % 2 != 0) {
        return Refuse(name, "needs STREAMS followed by as many keys as ids");
      }
      for (int i = 0; i < rest / 2; ++i) keys.push_back(streams + 1 + i);
      break;
    }
    case KeyRule::kSubcommand:
      if (argc > 2) keys.push_back(2);
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CommandRoute> RouteCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) return absl::InvalidArgumentError("redis: empty command");
  const std::string name = absl::AsciiStrToUpper(argv[0]);
  auto rule = Rules().find(name);
  if (rule == Rules().end()) {
    return Refuse(name,
                  "no cluster routing rule for this command (add it to "
                  "common/redis/internal/command_route.cc)");
  }
  CommandRoute route;
  switch (rule->second) {
    case KeyRule::kAnyNode:
      return route;
    case KeyRule::kEveryPrimary:
      route.target = CommandRoute::Target::kEveryPrimary;
      return route;
    case KeyRule::kConfig:
      route.target = argv.size() > 1 && absl::EqualsIgnoreCase(argv[1], "GET")
                         ? CommandRoute::Target::kAnyNode
                         : CommandRoute::Target::kEveryPrimary;
      return route;
    case KeyRule::kScan:
      route.target = CommandRoute::Target::kScan;
      return route;
    default:
      break;
  }
  std::vector<int> keys;
  if (absl::Status status = KeyIndices(rule->second, name, argv, keys); !status.ok()) {
    return status;
  }
  // Keyless forms of keyed commands (XINFO HELP, EVAL with 0 keys) run anywhere.
  if (keys.empty()) return route;
  route.target = CommandRoute::Target::kSlot;
  route.first_key = keys.front();
  route.slot = KeyHashSlot(argv[keys.front()]);
  for (size_t i = 1; i < keys.size(); ++i) {
    const int slot = KeyHashSlot(argv[keys[i]]);
    if (slot != route.slot) {
      return Refuse(name, absl::StrCat("keys at arguments ", keys.front(), " and ", keys[i], " ",
                                       kCrossSlot, " (", route.slot, " and ", slot,
                                       "); a multi-key command or script must stay in one "
                                       "tenant's slot (df:{org}:...)"));
    }
  }
  return route;
}

bool IsCrossSlotRefusal(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument &&
         absl::StrContains(status.message(), kCrossSlot);
}

}  // namespace dermaflow::common::redis_internal
