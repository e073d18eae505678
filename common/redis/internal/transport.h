// How RedisClient gets commands to Redis and replies back: to one server
// through one pool, or routed over a Redis Cluster (cluster_transport.h).
// RedisClient adds metrics and the script cache fallback on top, the same
// for both.
//
//   std::unique_ptr<Transport> transport = MakeTransport(options, metrics);
//   DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
//                       transport->Execute({{"GET", key}}, options.command_timeout));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/internal/connection_pool.h"
#include "common/redis/internal/sentinel_primary.h"
#include "common/redis/node_reply.h"
#include "common/redis/redis_metrics.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_reply.h"

namespace dermaflow::common::redis_internal {

class Transport {
 public:
  virtual ~Transport() = default;

  // One reply per command, in the callers' order; an error reply stands in
  // the place of its command. A status instead only when the replies cannot
  // be trusted or were never asked for: connection trouble (UNAVAILABLE)
  // or a command refused before sending (INVALID_ARGUMENT).
  virtual absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) = 0;

  // As Execute, but all on one connection, for commands whose meaning
  // depends on it (WAIT after a write): in cluster mode on the node owning
  // the first command's keys, sent again whole when that node redirects.
  virtual absl::StatusOr<std::vector<RedisReply>> ExecuteTogether(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
    return Execute(commands, timeout);
  }

  // `command` (keyless) on every primary in use, each on its own
  // connection, all written before any reply is read; one entry per
  // primary, its error reply kept as a reply, a node that cannot be reached
  // as its status. A status for the whole call only when no primary is known.
  virtual absl::StatusOr<std::vector<RedisNodeReply>> ExecuteOnEveryPrimary(
      const std::vector<std::string>& command, absl::Duration timeout) = 0;

  // `command` on the primary named `node` (as ExecuteOnEveryPrimary names
  // it); FAILED_PRECONDITION when no primary of that name is in use.
  virtual absl::StatusOr<RedisReply> ExecuteOnPrimary(const std::string& node,
                                                      const std::vector<std::string>& command,
                                                      absl::Duration timeout) = 0;

  // A command failed the way a moved primary makes it fail (Sentinel mode
  // asks the sentinels again; others ignore it).
  virtual void Suspect() {}
};

// FAILED_PRECONDITION naming a node that is not (or no longer) a primary.
absl::Status NotAPrimaryInUse(const std::string& node);

// One server through one pool: what RedisClient always did.
class SingleNodeTransport : public Transport {
 public:
  SingleNodeTransport(RedisOptions options, RedisMetrics* metrics)
      : pool_(std::move(options), metrics) {}

  absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) override {
    absl::StatusOr<ConnectionPool::Lease> connection = pool_.Acquire();
    if (!connection.ok()) return connection.status();
    return (*connection)->Execute(commands, timeout);
  }
  absl::StatusOr<std::vector<RedisNodeReply>> ExecuteOnEveryPrimary(
      const std::vector<std::string>& command, absl::Duration timeout) override;
  absl::StatusOr<RedisReply> ExecuteOnPrimary(const std::string& node,
                                              const std::vector<std::string>& command,
                                              absl::Duration timeout) override;

 private:
  ConnectionPool pool_;
};

// The primary Redis Sentinel names, followed across fail-overs
// (sentinel_primary.h): a refusal as not the primary, or a connection
// failure, has the sentinels asked again.
class SentinelTransport : public Transport {
 public:
  SentinelTransport(const RedisOptions& options, RedisMetrics* metrics)
      : primary_(options, metrics) {}

  absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) override;
  absl::StatusOr<std::vector<RedisNodeReply>> ExecuteOnEveryPrimary(
      const std::vector<std::string>& command, absl::Duration timeout) override;
  absl::StatusOr<RedisReply> ExecuteOnPrimary(const std::string& node,
                                              const std::vector<std::string>& command,
                                              absl::Duration timeout) override;
  void Suspect() override { primary_.Suspect(); }

 private:
  // Execute on `pool` (the primary's when it was asked for), suspecting it
  // when a reply says it is not the primary any more.
  absl::StatusOr<std::vector<RedisReply>> ExecuteOn(
      ConnectionPool& pool, const std::vector<std::vector<std::string>>& commands,
      absl::Duration timeout);

  SentinelPrimary primary_;
};

// True for a reply by which a node refuses a write as not (or no longer)
// the primary: READONLY (inside a script too), NOREPLICAS
// (min-replicas-to-write). The command did not run.
bool RefusedAsNotPrimary(const RedisReply& reply);

// SingleNodeTransport, ClusterTransport or SentinelTransport, as
// options.mode says.
std::unique_ptr<Transport> MakeTransport(RedisOptions options, RedisMetrics* metrics);

}  // namespace dermaflow::common::redis_internal
