#include "common/redis/internal/transport.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/redis/internal/cluster_transport.h"

namespace dermaflow::common::redis_internal {
namespace {

// One command's reply on `pool`, as RedisNodeReply wants it.
RedisNodeReply OneReply(ConnectionPool& pool, absl::StatusOr<std::vector<RedisReply>> replies) {
  RedisNodeReply reply{.node = pool.node(), .reply = absl::UnknownError("no reply")};
  if (!replies.ok()) {
    reply.reply = replies.status();
  } else {
    reply.reply = std::move(replies->front());
  }
  return reply;
}

}  // namespace

bool RefusedAsNotPrimary(const RedisReply& reply) {
  return reply.is_error() && (absl::StrContains(reply.str(), "READONLY") ||
                              absl::StartsWith(reply.str(), "NOREPLICAS"));
}

absl::Status NotAPrimaryInUse(const std::string& node) {
  return absl::FailedPreconditionError(
      absl::StrCat("redis ", node, ": not a primary in use (any more)"));
}

absl::StatusOr<std::vector<RedisNodeReply>> SingleNodeTransport::ExecuteOnEveryPrimary(
    const std::vector<std::string>& command, absl::Duration timeout) {
  std::vector<RedisNodeReply> replies;
  replies.push_back(OneReply(pool_, Execute({command}, timeout)));
  return replies;
}

absl::StatusOr<RedisReply> SingleNodeTransport::ExecuteOnPrimary(
    const std::string& node, const std::vector<std::string>& command, absl::Duration timeout) {
  if (node != pool_.node()) return NotAPrimaryInUse(node);
  return OneReply(pool_, Execute({command}, timeout)).reply;
}

absl::StatusOr<std::vector<RedisReply>> SentinelTransport::Execute(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  absl::StatusOr<std::shared_ptr<ConnectionPool>> pool = primary_.Pool();
  if (!pool.ok()) return pool.status();
  return ExecuteOn(**pool, commands, timeout);
}

absl::StatusOr<std::vector<RedisReply>> SentinelTransport::ExecuteOn(
    ConnectionPool& pool, const std::vector<std::vector<std::string>>& commands,
    absl::Duration timeout) {
  absl::StatusOr<std::vector<RedisReply>> replies;
  if (absl::StatusOr<ConnectionPool::Lease> connection = pool.Acquire(); connection.ok()) {
    replies = (*connection)->Execute(commands, timeout);
  } else {
    replies = connection.status();
  }
  bool refused = !replies.ok();
  for (size_t i = 0; !refused && i < replies->size(); ++i)
    refused = RefusedAsNotPrimary((*replies)[i]);
  if (refused) primary_.Suspect();
  return replies;
}

absl::StatusOr<std::vector<RedisNodeReply>> SentinelTransport::ExecuteOnEveryPrimary(
    const std::vector<std::string>& command, absl::Duration timeout) {
  // The primary in use: named even while it does not answer, until the
  // sentinels name another.
  absl::StatusOr<std::shared_ptr<ConnectionPool>> pool = primary_.Pool();
  if (!pool.ok()) return pool.status();
  std::vector<RedisNodeReply> replies;
  replies.push_back(OneReply(**pool, ExecuteOn(**pool, {command}, timeout)));
  return replies;
}

absl::StatusOr<RedisReply> SentinelTransport::ExecuteOnPrimary(
    const std::string& node, const std::vector<std::string>& command, absl::Duration timeout) {
  absl::StatusOr<std::shared_ptr<ConnectionPool>> pool = primary_.Pool();
  if (!pool.ok()) return pool.status();
  if (node != (*pool)->node()) return NotAPrimaryInUse(node);
  return OneReply(**pool, ExecuteOn(**pool, {command}, timeout)).reply;
}

std::unique_ptr<Transport> MakeTransport(RedisOptions options, RedisMetrics* metrics) {
  if (options.mode == RedisMode::kCluster) {
    return std::make_unique<ClusterTransport>(std::move(options), metrics);
  }
  if (options.mode == RedisMode::kSentinel) {
    return std::make_unique<SentinelTransport>(options, metrics);
  }
  return std::make_unique<SingleNodeTransport>(std::move(options), metrics);
}

}  // namespace dermaflow::common::redis_internal
