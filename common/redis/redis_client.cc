#include "common/redis/redis_client.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/redis/durability.h"
#include "common/redis/internal/command_route.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

std::vector<std::string> EvalArgv(std::string_view command, std::string_view script_or_sha,
                                  std::vector<std::string>& keys, std::vector<std::string>& args) {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.emplace_back(command);
  argv.emplace_back(script_or_sha);
  argv.push_back(absl::StrCat(keys.size()));
  for (std::string& key : keys) argv.push_back(std::move(key));
  for (std::string& arg : args) argv.push_back(std::move(arg));
  return argv;
}

absl::Status NotPrimaryError(const RedisReply& reply) {
  return absl::UnavailableError(absl::StrCat("redis: not the primary (", reply.str(), ")"));
}

// An error reply's status; a refusal as not the primary (a fail-over under
// way) as UNAVAILABLE, which is what tells callers to retry.
absl::Status StatusOf(const RedisReply& reply) {
  if (redis_internal::RefusedAsNotPrimary(reply)) return NotPrimaryError(reply);
  return reply.ToStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(RedisOptions options,
                                                                 RedisMetrics* metrics) {
  DF_RETURN_IF_ERROR(ValidateRedisOptions(options));
  return std::make_unique<RedisClient>(std::move(options), metrics);
}

RedisClient::RedisClient(RedisOptions options, RedisMetrics* metrics)
    : options_(std::move(options)),
      metrics_(metrics),
      transport_(redis_internal::MakeTransport(options_, metrics)) {}

RedisClient::~RedisClient() = default;

absl::StatusOr<std::vector<RedisReply>> RedisClient::Run(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  return transport_->Execute(commands, timeout);
}

void RedisClient::Record(std::string_view command, absl::Time start, absl::StatusCode code) {
  if (metrics_ == nullptr) return;
  metrics_->OnCommand(command, absl::Now() - start, code);
}

absl::StatusOr<RedisReply> RedisClient::Command(std::vector<std::string> argv) {
  return Command(std::move(argv), options().command_timeout);
}

absl::StatusOr<RedisReply> RedisClient::Command(std::vector<std::string> argv,
                                                absl::Duration timeout) {
  if (argv.empty()) return absl::InvalidArgumentError("redis: empty command");
  const absl::Time start = absl::Now();
  std::string name = absl::AsciiStrToUpper(argv[0]);
  std::vector<std::vector<std::string>> commands;
  commands.push_back(std::move(argv));
  absl::StatusOr<std::vector<RedisReply>> replies = Run(commands, timeout);
  absl::Status status = replies.ok() ? StatusOf(replies->front()) : replies.status();
  Record(name, start, status.code());
  if (!status.ok()) return status;
  return std::move(replies->front());
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (commands.empty()) return std::vector<RedisReply>();
  for (const std::vector<std::string>& command : commands) {
    if (command.empty()) return absl::InvalidArgumentError("redis: empty command in pipeline");
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<RedisReply>> replies = Run(commands, options().command_timeout);
  if (replies.ok()) {
    for (const RedisReply& reply : *replies) {
      if (redis_internal::RefusedAsNotPrimary(reply)) {
        replies = NotPrimaryError(reply);
        break;
      }
    }
  }
  Record("PIPELINE", start, replies.status().code());
  return replies;
}

absl::StatusOr<RedisReply> RedisClient::Eval(const LuaScript& script, std::vector<std::string> keys,
                                             std::vector<std::string> args, Durability durability) {
  const absl::Time start = absl::Now();
  const std::string metric = absl::StrCat("EVAL:", script.name());
  const int replicas = durability == Durability::kReplicated ? options().durable_replicas : 0;
  // In the script's slot (a Cluster node's), read before the keys move away.
  const std::string probe = replicas > 0 && !keys.empty() ? ReplicationProbeKey(keys.front()) : "";
  std::vector<std::vector<std::string>> commands;
  commands.push_back(EvalArgv("EVALSHA", script.sha1(), keys, args));
  if (!probe.empty()) AppendReplicationWait(probe, replicas, commands);
  const absl::Duration timeout = options().command_timeout +
                                 (probe.empty() ? absl::ZeroDuration() : options().durable_timeout);
  auto run = [&] {
    return probe.empty() ? Run(commands, timeout) : transport_->ExecuteTogether(commands, timeout);
  };
  absl::StatusOr<std::vector<RedisReply>> replies = run();
  if (replies.ok() && replies->front().is_error() &&
      absl::StartsWith(replies->front().str(), "NOSCRIPT")) {
    // Redis lost its script cache. EVAL runs the script and caches it again,
    // so the next call is back to EVALSHA; the argv is reused as is.
    std::vector<std::string>& argv = commands.front();
    argv[0] = "EVAL";
    argv[1] = script.source();
    replies = run();
  }
  absl::Status status = replies.ok() ? StatusOf(replies->front()) : replies.status();
  if (status.ok() && !probe.empty()) {
    // A probe refused (its slot moving away mid-call) leaves WAIT covering
    // only this connection's writes: confirm everything again.
    status = (*replies)[1].is_error() ? ConfirmReplicated(probe)
                                      : CheckReplicated(replies->back(), replicas);
  }
  Record(metric, start, status.code());
  if (!status.ok()) return status;
  return std::move(replies->front());
}

absl::Status RedisClient::ConfirmReplicated(const std::string& key) {
  const int replicas = options().durable_replicas;
  if (replicas <= 0) return absl::OkStatus();
  std::vector<std::vector<std::string>> commands;
  AppendReplicationWait(ReplicationProbeKey(key), replicas, commands);
  absl::StatusOr<std::vector<RedisReply>> replies =
      transport_->ExecuteTogether(commands, options().command_timeout + options().durable_timeout);
  if (!replies.ok()) return replies.status();
  if (absl::Status probe = StatusOf(replies->front()); !probe.ok()) return probe;
  return CheckReplicated(replies->back(), replicas);
}

void RedisClient::AppendReplicationWait(const std::string& probe, int replicas,
                                        std::vector<std::vector<std::string>>& commands) const {
  // WAIT confirms the writes made on its own connection up to now. A write of
  // its own first makes that "everything the primary had written by then"
  // (the replication stream is ordered), so it also covers what an earlier
  // call wrote on another connection and this one only found (a replayed
  // request, a repeated erasure).
  commands.push_back({"INCR", probe});
  commands.push_back({"WAIT", absl::StrCat(replicas),
                      absl::StrCat(absl::ToInt64Milliseconds(options().durable_timeout))});
}

absl::Status RedisClient::CheckReplicated(const RedisReply& wait, int replicas) {
  if (wait.is_error()) {
    // Not a shortfall (e.g. an ACL without +wait): say what Redis said.
    return absl::InternalError(absl::StrCat("redis: WAIT refused: ", wait.str()));
  }
  const bool acknowledged = wait.type() == RedisReply::Type::kInteger && wait.integer() >= replicas;
  if (metrics_ != nullptr) metrics_->OnDurableWrite(acknowledged);
  if (acknowledged) return absl::OkStatus();
  // The primary may be cut off from replicas that went on without it.
  transport_->Suspect();
  return NotReplicatedError(absl::StrCat("redis: the write ran on the primary but reached ",
                                         wait.integer(), " of ", replicas, " replicas within ",
                                         absl::FormatDuration(options().durable_timeout),
                                         "; a fail-over now could lose it"));
}

absl::Status RedisClient::CheckKeyless(const std::vector<std::string>& argv) {
  DF_ASSIGN_OR_RETURN(redis_internal::CommandRoute route, redis_internal::RouteCommand(argv));
  if (route.target == redis_internal::CommandRoute::Target::kSlot ||
      route.target == redis_internal::CommandRoute::Target::kScan) {
    return absl::InvalidArgumentError(absl::StrCat(
        "redis: ", argv[0], " has keys; it runs on the node owning them, not per node"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RedisNodeReply>> RedisClient::RunOnEveryPrimary(
    std::vector<std::string> argv) {
  DF_RETURN_IF_ERROR(CheckKeyless(argv));
  const absl::Time start = absl::Now();
  const std::string name = absl::AsciiStrToUpper(argv[0]);
  absl::StatusOr<std::vector<RedisNodeReply>> replies =
      transport_->ExecuteOnEveryPrimary(argv, options().command_timeout);
  if (!replies.ok()) {
    Record(name, start, replies.status().code());
    return replies.status();
  }
  for (RedisNodeReply& reply : *replies) {
    if (reply.reply.ok() && reply.reply->is_error()) reply.reply = StatusOf(*reply.reply);
    Record(name, start, reply.reply.status().code());
  }
  return replies;
}

absl::StatusOr<RedisReply> RedisClient::RunOnPrimary(const std::string& node,
                                                     std::vector<std::string> argv) {
  DF_RETURN_IF_ERROR(CheckKeyless(argv));
  const absl::Time start = absl::Now();
  absl::StatusOr<RedisReply> reply =
      transport_->ExecuteOnPrimary(node, argv, options().command_timeout);
  if (reply.ok() && reply->is_error()) reply = StatusOf(*reply);
  Record(absl::AsciiStrToUpper(argv[0]), start, reply.status().code());
  return reply;
}

absl::Status RedisClient::Ping() {
  // A demoted primary still answers PING; with Sentinel health must say the
  // writes fail, so it asks ROLE.
  const bool sentinel = options().mode == RedisMode::kSentinel;
  absl::StatusOr<std::vector<RedisNodeReply>> replies =
      RunOnEveryPrimary({sentinel ? "ROLE" : "PING"});
  std::vector<RedisNodeHealth> health;
  absl::Status first_error = replies.status();
  for (const RedisNodeReply& reply : replies.ok() ? *replies : std::vector<RedisNodeReply>()) {
    absl::Status status = reply.reply.status();
    if (status.ok() && sentinel &&
        (reply.reply->elements().empty() || reply.reply->elements()[0].str() != "master")) {
      transport_->Suspect();
      status = absl::UnavailableError(
          absl::StrCat("redis ", reply.node, ": the node in use is no longer the primary"));
    }
    if (status.ok() && !sentinel &&
        (reply.reply->type() != RedisReply::Type::kStatus || reply.reply->str() != "PONG")) {
      status = absl::UnavailableError(absl::StrCat("redis ", reply.node, ": unexpected PING reply ",
                                                   reply.reply->DebugString()));
    }
    health.push_back(RedisNodeHealth{.node = reply.node, .up = status.ok()});
    if (first_error.ok()) first_error = status;
  }
  // No primary known at all (no slot map, no primary named yet): none to show.
  if (metrics_ != nullptr) metrics_->OnPrimariesChecked(health);
  return first_error;
}

}  // namespace dermaflow::common
