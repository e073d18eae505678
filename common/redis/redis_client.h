// The thread-safe Redis client every store uses: a pool of hiredis
// connections with connect and command timeouts that heals itself after Redis
// restarts. Arguments are binary-safe (protobuf bytes go in as they are).
// With a `redis+cluster://` URL the same calls run over a Redis Cluster:
// one pool per primary, each command routed by its keys' hash slot
// (internal/cluster_transport.h says how MOVED, ASK, TRYAGAIN and
// CLUSTERDOWN are followed). With `redis+sentinel://` it asks Redis
// Sentinel for the primary and follows fail-overs: commands fail
// (UNAVAILABLE; a demoted primary's READONLY is UNAVAILABLE too) while one
// happens and go to the new primary once Sentinel names it
// (internal/sentinel_primary.h).
//
//   DF_ASSIGN_OR_RETURN(RedisOptions options, ParseRedisUrl(flag_redis_url));
//   DF_ASSIGN_OR_RETURN(std::unique_ptr<RedisClient> redis, RedisClient::Create(options));
//   DF_RETURN_IF_ERROR(redis->Command({"SET", key, bytes}).status());
//   DF_ASSIGN_OR_RETURN(RedisReply r, redis->Eval(BookScript(), {key}, {arg}));
//
// Errors: UNAVAILABLE when Redis cannot be reached, a connection breaks or a
// command times out (the command may or may not have run; nothing is retried
// here, so callers decide what is safe to repeat); INTERNAL with the server's
// exact text for an error reply (IsRedisError in redis_reply.h tells them
// apart and matches prefixes such as a script's "CONFLICT").
//
// In cluster mode only the answers that mean a command did NOT run (MOVED,
// ASK, TRYAGAIN, CLUSTERDOWN) are retried, within the command's timeout; if
// they persist the error reply is UNAVAILABLE. A multi-key command (or Eval)
// whose keys are in different hash slots, and a command without a routing
// rule (internal/command_route.cc), are INVALID_ARGUMENT and never sent;
// cross-slot also fails an assert in debug builds. Keyless commands go to
// any node (TIME, INFO, CONFIG GET) or to every primary (PING, SCRIPT,
// FLUSHALL, BGREWRITEAOF, CONFIG SET: the reply is the first error, else
// the first node's). SCAN walks every primary in turn behind one cursor.
// Work that is per node (rewriting each node's files, a health check that
// names the node that fails) uses RunOnEveryPrimary and RunOnPrimary, which
// keep each primary's reply apart, in every mode.
//
// The first connect sets SIGPIPE to SIG_IGN if it is still SIG_DFL: hiredis
// 0.14 writes with write(2), and a reset connection must not kill the process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/internal/transport.h"
#include "common/redis/lua_script.h"
#include "common/redis/node_reply.h"
#include "common/redis/redis_metrics.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_reply.h"

namespace dermaflow::common {

// Whether a write must reach replicas before it counts as done: bookings,
// erasures, consent changes and reminder outcomes, which must survive a
// fail-over (RedisOptions::durable_replicas sets how many; 0: none).
enum class Durability { kPrimary, kReplicated };

class RedisClient {
 public:
  // Checks the options (INVALID_ARGUMENT naming the bad one), then as the
  // constructor. For startup code that turns bad flags into an exit.
  static absl::StatusOr<std::unique_ptr<RedisClient>> Create(RedisOptions options,
                                                             RedisMetrics* metrics = nullptr);

  // Connects lazily: construction never blocks or fails, the first command
  // does (so a service can start, report NOT_SERVING and recover). `metrics`
  // may be null and must outlive the client. Options are used as given.
  explicit RedisClient(RedisOptions options, RedisMetrics* metrics = nullptr);

  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command, e.g. {"HSET", key, "field", value}. An error reply becomes
  // an INTERNAL status (see the top of this file).
  absl::StatusOr<RedisReply> Command(std::vector<std::string> argv);
  // For blocking commands (XREADGROUP BLOCK, BLPOP): `timeout` replaces
  // command_timeout as the socket timeout and must exceed the server-side wait.
  absl::StatusOr<RedisReply> Command(std::vector<std::string> argv, absl::Duration timeout);

  // Sends all commands in one round trip on one connection (not atomic: use
  // a Lua script for that). Returns one reply per command; a command that
  // Redis rejects yields an error reply in its place rather than failing the
  // rest. Only connection problems fail the whole call. In cluster mode the
  // commands are split by node (one connection per node, written to all
  // before any reply is read): order is kept only among commands for one
  // node, and a refused command (cross-slot, unknown) fails the whole call
  // before anything is sent.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // EVALSHA, falling back to EVAL when Redis does not have the script cached
  // (NOSCRIPT after a restart, fail-over or SCRIPT FLUSH); EVAL caches it
  // again (in cluster mode on the node that owns the keys, so each node
  // caches what it runs). Keys must share the tenant's hash tag (keys.h).
  // kReplicated (with options().durable_replicas > 0): then, on the same
  // connection, a write to the tenant's replication probe key and WAIT for
  // that many replicas; too few within durable_timeout is UNAVAILABLE
  // ("... of N replicas", IsNotReplicated in durability.h) though the
  // script did run.
  absl::StatusOr<RedisReply> Eval(const LuaScript& script, std::vector<std::string> keys,
                                  std::vector<std::string> args,
                                  Durability durability = Durability::kPrimary);

  // With options().durable_replicas > 0: OK once that many replicas have
  // everything the primary has written so far, in `key`'s slot — for an
  // answer found rather than written (a replayed request), whose write may
  // not have reached them. A probe write and WAIT; nothing when 0.
  absl::Status ConfirmReplicated(const std::string& key);

  // A keyless command on each primary separately: every primary of a
  // Cluster's slot map, else the one server or the primary Sentinel names.
  // One entry per primary (in the map's order), each with the node's reply
  // or its error as Command would give it (UNAVAILABLE: not reached or no
  // reply in time; INTERNAL: its error reply). The call as a whole fails
  // only when no primary is known (UNAVAILABLE) or the command has keys or
  // no routing rule (INVALID_ARGUMENT, internal/command_route.cc).
  //   for (RedisNodeReply& r : *redis.RunOnEveryPrimary({"INFO", "persistence"})) ...
  absl::StatusOr<std::vector<RedisNodeReply>> RunOnEveryPrimary(std::vector<std::string> argv);

  // A keyless command on the one primary RunOnEveryPrimary named `node`;
  // FAILED_PRECONDITION when that node is no longer a primary in use (a
  // fail-over or resharding since). Errors otherwise as Command's.
  absl::StatusOr<RedisReply> RunOnPrimary(const std::string& node, std::vector<std::string> argv);

  // OK iff Redis answered PING (in cluster mode: every primary did; in
  // Sentinel mode: the node in use says, by ROLE, it is the primary), for
  // health checks. Each primary's answer goes to
  // RedisMetrics::OnPrimariesChecked; the error names the first that failed.
  absl::Status Ping();

  const RedisOptions& options() const { return options_; }

 private:
  absl::StatusOr<std::vector<RedisReply>> Run(const std::vector<std::vector<std::string>>& commands,
                                              absl::Duration timeout);
  void Record(std::string_view command, absl::Time start, absl::StatusCode code);
  // INVALID_ARGUMENT unless `argv` is keyless and has a routing rule.
  static absl::Status CheckKeyless(const std::vector<std::string>& argv);
  // The probe write and WAIT that make a durable write (see Eval).
  void AppendReplicationWait(const std::string& probe, int replicas,
                             std::vector<std::vector<std::string>>& commands) const;
  // OK iff WAIT's reply counts at least `replicas`; reported to metrics.
  absl::Status CheckReplicated(const RedisReply& wait, int replicas);

  const RedisOptions options_;
  RedisMetrics* const metrics_;
  std::unique_ptr<redis_internal::Transport> transport_;
};

}  // namespace dermaflow::common
