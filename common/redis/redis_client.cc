#include "common/redis/redis_client.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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

absl::StatusOr<std::vector<RedisReply>> RunOn(redis_internal::ConnectionPool& pool,
                                              const std::vector<std::vector<std::string>>& commands,
                                              absl::Duration timeout) {
  DF_ASSIGN_OR_RETURN(redis_internal::ConnectionPool::Lease connection, pool.Acquire());
  return connection->Execute(commands, timeout);
}

// A primary demoted by a fail-over answers writes with READONLY: the
// command did not run, and Sentinel knows where the primary went.
bool IsReadOnly(const RedisReply& reply) {
  return reply.is_error() && absl::StartsWith(reply.str(), "READONLY");
}

bool AnyReadOnly(const std::vector<RedisReply>& replies) {
  for (const RedisReply& reply : replies) {
    if (IsReadOnly(reply)) return true;
  }
  return false;
}

// An error reply's status, READONLY as UNAVAILABLE: like a connection that
// broke before sending, it did not run and a retry after the fail-over can
// succeed, which is what UNAVAILABLE tells callers.
absl::Status StatusOf(const RedisReply& reply) {
  if (IsReadOnly(reply)) {
    return absl::UnavailableError(absl::StrCat("redis: not the primary (", reply.str(), ")"));
  }
  return reply.ToStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Create(RedisOptions options,
                                                                 RedisMetrics* metrics) {
  DF_RETURN_IF_ERROR(ValidateRedisOptions(options));
  return std::make_unique<RedisClient>(std::move(options), metrics);
}

RedisClient::RedisClient(RedisOptions options, RedisMetrics* metrics)
    : metrics_(metrics), pool_(options, metrics) {
  if (!options.sentinels.empty()) {
    sentinel_ = std::make_unique<redis_internal::SentinelPrimary>(options, metrics);
  }
}

RedisClient::~RedisClient() = default;

absl::StatusOr<std::vector<RedisReply>> RedisClient::Run(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  if (sentinel_ == nullptr) return RunOn(pool_, commands, timeout);
  DF_ASSIGN_OR_RETURN(std::shared_ptr<redis_internal::ConnectionPool> pool, sentinel_->Pool());
  absl::StatusOr<std::vector<RedisReply>> replies = RunOn(*pool, commands, timeout);
  if (!replies.ok() || AnyReadOnly(*replies)) sentinel_->Suspect();
  return replies;
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
  Record("PIPELINE", start, replies.status().code());
  return replies;
}

absl::StatusOr<RedisReply> RedisClient::Eval(const LuaScript& script, std::vector<std::string> keys,
                                             std::vector<std::string> args, Durability durability) {
  const absl::Time start = absl::Now();
  const std::string metric = absl::StrCat("EVAL:", script.name());
  const int replicas = durability == Durability::kReplicated ? options().durable_replicas : 0;
  absl::Duration timeout = options().command_timeout;
  std::vector<std::vector<std::string>> commands;
  commands.push_back(EvalArgv("EVALSHA", script.sha1(), keys, args));
  if (replicas > 0) {
    // WAIT counts the writes made earlier on its own connection, so it
    // travels in the same round trip as the script.
    commands.push_back({"WAIT", absl::StrCat(replicas),
                        absl::StrCat(absl::ToInt64Milliseconds(options().durable_timeout))});
    timeout += options().durable_timeout;
  }
  absl::StatusOr<std::vector<RedisReply>> replies = Run(commands, timeout);
  if (replies.ok() && replies->front().is_error() &&
      absl::StartsWith(replies->front().str(), "NOSCRIPT")) {
    // Redis lost its script cache. EVAL runs the script and caches it again,
    // so the next call is back to EVALSHA; the argv is reused as is.
    std::vector<std::string>& argv = commands.front();
    argv[0] = "EVAL";
    argv[1] = script.source();
    replies = Run(commands, timeout);
  }
  absl::Status status = replies.ok() ? StatusOf(replies->front()) : replies.status();
  if (status.ok() && replies->size() == 2) status = CheckReplicated(replies->back(), replicas);
  Record(metric, start, status.code());
  if (!status.ok()) return status;
  return std::move(replies->front());
}

absl::Status RedisClient::CheckReplicated(const RedisReply& wait, int replicas) {
  const bool acknowledged = wait.type() == RedisReply::Type::kInteger && wait.integer() >= replicas;
  if (metrics_ != nullptr) metrics_->OnDurableWrite(acknowledged);
  if (acknowledged) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(
      "redis: the write ran on the primary but reached ",
      wait.type() == RedisReply::Type::kInteger ? absl::StrCat(wait.integer()) : "no", " of ",
      replicas, " replicas within ", absl::FormatDuration(options().durable_timeout),
      "; a fail-over now could lose it"));
}

absl::Status RedisClient::Ping() {
  if (sentinel_ != nullptr) {
    // A demoted primary still answers PING; health must say the writes fail.
    DF_ASSIGN_OR_RETURN(RedisReply role, Command({"ROLE"}));
    if (role.elements().empty() || role.elements()[0].str() != "master") {
      sentinel_->Suspect();
      return absl::UnavailableError(absl::StrCat("redis ", RedisEndpoint(options()),
                                                 ": the node in use is no longer the primary"));
    }
    return absl::OkStatus();
  }
  DF_ASSIGN_OR_RETURN(RedisReply reply, Command({"PING"}));
  if (reply.type() != RedisReply::Type::kStatus || reply.str() != "PONG") {
    return absl::UnavailableError(absl::StrCat("redis ", RedisEndpoint(options()),
                                               ": unexpected PING reply ", reply.DebugString()));
  }
  return absl::OkStatus();
}

}  // namespace dermaflow::common
