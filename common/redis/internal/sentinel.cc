#include "common/redis/internal/sentinel.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "common/redis/internal/connection.h"
#include "common/status/macros.h"

namespace dermaflow::common::redis_internal {
namespace {

std::string Address(const RedisNodeAddress& node) {
  return absl::StrCat(node.host, ":", node.port);
}

// How long the watch waits for a message before checking whether to stop,
// and before trying the next sentinel after one failed.
constexpr absl::Duration kPollInterval = absl::Milliseconds(200);
constexpr absl::Duration kRetryAfter = absl::Milliseconds(500);
// Re-asked even when nothing failed: a subscription can be half-open (the
// sentinel gone without a FIN) long before TCP keepalive notices.
constexpr absl::Duration kRelocateEvery = absl::Seconds(10);

}  // namespace

SentinelLocator::SentinelLocator(std::vector<RedisNodeAddress> sentinels, std::string master_name,
                                 RedisOptions node)
    : master_name_(std::move(master_name)),
      node_(std::move(node)),
      sentinels_(std::move(sentinels)) {}

RedisOptions SentinelLocator::OptionsFor(const RedisNodeAddress& node) const {
  RedisOptions options = node_;
  options.host = node.host;
  options.port = node.port;
  options.mode = RedisMode::kSingle;  // one server: errors then name its address
  options.sentinels.clear();
  options.sentinel_master.clear();
  return options;
}

std::vector<RedisNodeAddress> SentinelLocator::Sentinels() {
  absl::MutexLock lock(&mu_);
  return sentinels_;
}

absl::StatusOr<RedisNodeAddress> SentinelLocator::AskSentinel(const RedisNodeAddress& sentinel) {
  RedisOptions options = OptionsFor(sentinel);
  options.db = 0;  // sentinels have no databases
  DF_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connection::Open(options));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
                      connection->Execute({{"SENTINEL", "get-master-addr-by-name", master_name_}},
                                          node_.command_timeout));
  const RedisReply& reply = replies.front();
  int port = 0;
  if (reply.is_error() || reply.elements().size() != 2 ||
      !absl::SimpleAtoi(reply.elements()[1].str(), &port)) {
    return absl::UnavailableError(
        absl::StrCat("sentinel ", Address(sentinel), " does not know master '", master_name_, "'"));
  }
  return RedisNodeAddress{reply.elements()[0].str(), port};
}

absl::StatusOr<RedisNodeAddress> SentinelLocator::Locate() {
  std::vector<std::string> problems;
  std::vector<RedisNodeAddress> not_primary;  // checked once per lookup
  for (const RedisNodeAddress& sentinel : Sentinels()) {
    absl::StatusOr<RedisNodeAddress> primary = AskSentinel(sentinel);
    if (!primary.ok()) {
      problems.push_back(std::string(primary.status().message()));
      continue;
    }
    if (std::find(not_primary.begin(), not_primary.end(), *primary) != not_primary.end()) continue;
    // During a fail-over a sentinel may still name the old primary, now a
    // replica (or not back yet): only a node that says it is a master is one.
    absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::Open(OptionsFor(*primary));
    absl::StatusOr<std::vector<RedisReply>> role =
        connection.ok() ? (*connection)->Execute({{"ROLE"}}, node_.command_timeout)
                        : connection.status();
    if (!role.ok() || role->front().elements().empty() ||
        role->front().elements()[0].str() != "master") {
      problems.push_back(
          absl::StrCat("sentinel ", Address(sentinel), " names ", Address(*primary),
                       ", which is not a primary (yet)",
                       role.ok() ? "" : absl::StrCat(": ", role.status().message())));
      not_primary.push_back(*primary);
      continue;
    }
    absl::MutexLock lock(&mu_);
    auto it = std::find(sentinels_.begin(), sentinels_.end(), sentinel);
    if (it != sentinels_.end()) std::rotate(sentinels_.begin(), it, it + 1);
    return *primary;
  }
  return absl::UnavailableError(absl::StrCat("redis sentinel: no primary for master '",
                                             master_name_, "': ", absl::StrJoin(problems, "; ")));
}

SentinelSwitchWatch::SentinelSwitchWatch(SentinelLocator& locator,
                                         std::function<void(const RedisNodeAddress&)> on_switch)
    : locator_(locator), on_switch_(std::move(on_switch)), thread_([this] { Loop(); }) {}

SentinelSwitchWatch::~SentinelSwitchWatch() {
  stopping_ = true;
  thread_.join();
}

void SentinelSwitchWatch::Loop() {
  while (!stopping_) {
    for (const RedisNodeAddress& sentinel : locator_.Sentinels()) {
      if (stopping_) return;
      ListenOn(sentinel);
    }
    absl::SleepFor(kRetryAfter);
  }
}

bool SentinelSwitchWatch::Relocate() {
  absl::StatusOr<RedisNodeAddress> primary = locator_.Locate();
  if (!primary.ok()) return false;
  on_switch_(*primary);
  return true;
}

void SentinelSwitchWatch::ListenOn(const RedisNodeAddress& sentinel) {
  RedisOptions options = locator_.OptionsFor(sentinel);
  options.db = 0;
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connection::Open(options);
  if (!connection.ok()) return;
  absl::StatusOr<std::vector<RedisReply>> subscribed =
      (*connection)->Execute({{"SUBSCRIBE", "+switch-master"}}, options.command_timeout);
  if (!subscribed.ok() || subscribed->front().is_error()) return;
  // Subscribed now; anything that happened before is in Locate()'s answer.
  absl::Time next_relocate = absl::Now() + kRelocateEvery;
  if (!Relocate()) next_relocate = absl::Now() + kRetryAfter;
  while (!stopping_) {
    if (relocate_.exchange(false) || absl::Now() >= next_relocate) {
      next_relocate = absl::Now() + (Relocate() ? kRelocateEvery : kRetryAfter);
    }
    absl::StatusOr<std::optional<RedisReply>> message = (*connection)->ReadPushed(kPollInterval);
    if (!message.ok()) {
      LogWarning(
          "redis sentinel: lost the +switch-master subscription",
          {{"sentinel", Address(sentinel)}, {"error", std::string(message.status().message())}});
      return;
    }
    if (!message->has_value()) continue;
    // ["message", "+switch-master", "<master> <old ip> <old port> <new ip> <new port>"]
    const std::vector<RedisReply>& parts = (*message)->elements();
    if (parts.size() != 3 || parts[0].str() != "message") continue;
    const std::vector<std::string> words = absl::StrSplit(parts[2].str(), ' ');
    int port = 0;
    if (words.size() != 5 || words[0] != locator_.master_name() ||
        !absl::SimpleAtoi(words[4], &port)) {
      continue;
    }
    LogInfo("redis sentinel: primary switched", {{"master", words[0]},
                                                 {"from", absl::StrCat(words[1], ":", words[2])},
                                                 {"to", absl::StrCat(words[3], ":", words[4])}});
    on_switch_(RedisNodeAddress{words[3], port});
  }
}

}  // namespace dermaflow::common::redis_internal
