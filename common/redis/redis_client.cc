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
  absl::Status status = replies.ok() ? replies->front().ToStatus() : replies.status();
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
                                             std::vector<std::string> args) {
  const absl::Time start = absl::Now();
  const std::string metric = absl::StrCat("EVAL:", script.name());
  std::vector<std::vector<std::string>> commands;
  commands.push_back(EvalArgv("EVALSHA", script.sha1(), keys, args));
  absl::StatusOr<std::vector<RedisReply>> replies = Run(commands, options().command_timeout);
  if (replies.ok() && replies->front().is_error() &&
      absl::StartsWith(replies->front().str(), "NOSCRIPT")) {
    // Redis lost its script cache. EVAL runs the script and caches it again,
    // so the next call is back to EVALSHA; the argv is reused as is.
    std::vector<std::string>& argv = commands.front();
    argv[0] = "EVAL";
    argv[1] = script.source();
    replies = Run(commands, options().command_timeout);
  }
  absl::Status status = replies.ok() ? replies->front().ToStatus() : replies.status();
  Record(metric, start, status.code());
  if (!status.ok()) return status;
  return std::move(replies->front());
}

absl::Status RedisClient::Ping() {
  DF_ASSIGN_OR_RETURN(RedisReply reply, Command({"PING"}));
  if (reply.type() != RedisReply::Type::kStatus || reply.str() != "PONG") {
    return absl::UnavailableError(absl::StrCat("redis ", RedisEndpoint(options()),
                                               ": unexpected PING reply ", reply.DebugString()));
  }
  return absl::OkStatus();
}

}  // namespace dermaflow::common
