#include "common/metrics/stream_group_progress.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/events/event_stream.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

// The value after `field` in a flat [field, value, ...] array, or nullptr.
const RedisReply* FindField(const RedisReply& fields, std::string_view field) {
  const std::vector<RedisReply>& items = fields.elements();
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].str() == field) return &items[i + 1];
  }
  return nullptr;
}

// This group's entry in an XINFO GROUPS reply, or nullptr.
const RedisReply* FindGroup(const RedisReply& groups, const std::string& group) {
  if (!groups.is_array()) return nullptr;
  for (const RedisReply& g : groups.elements()) {
    const RedisReply* name = FindField(g, "name");
    if (name != nullptr && name->str() == group) return &g;
  }
  return nullptr;
}

absl::Duration AgeOf(std::string_view id, absl::Time now) {
  std::optional<absl::Time> t = StreamIdTime(id);
  return t.has_value() ? std::max(absl::ZeroDuration(), now - *t) : absl::ZeroDuration();
}

}  // namespace

std::optional<absl::Time> StreamIdTime(std::string_view id) {
  std::string_view millis = id.substr(0, id.find('-'));
  int64_t ms = 0;
  if (millis.empty() || !absl::SimpleAtoi(absl::string_view(millis.data(), millis.size()), &ms) ||
      ms < 0)
    return std::nullopt;
  return absl::FromUnixMillis(ms);
}

absl::StatusOr<StreamGroupProgress> ReadStreamGroupProgress(RedisClient& redis,
                                                            const std::string& group,
                                                            absl::Time now) {
  StreamGroupProgress progress;
  DF_ASSIGN_OR_RETURN(RedisReply orgs, redis.Command({"SMEMBERS", OrganizationsKey()}));
  std::vector<std::string> streams;
  for (const RedisReply& org : orgs.elements()) {
    absl::StatusOr<std::string> stream = StreamKey(org.str());
    if (stream.ok()) streams.push_back(*std::move(stream));
  }
  if (streams.empty()) return progress;

  std::vector<std::vector<std::string>> commands;
  for (const std::string& stream : streams) {
    commands.push_back({"XPENDING", stream, group});
    commands.push_back({"XINFO", "GROUPS", stream});
  }
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(commands));

  std::vector<std::vector<std::string>> unread_heads;
  for (size_t i = 0; i < streams.size(); ++i) {
    // Errors: no such stream yet, or NOGROUP (the consumer has not created
    // the group there yet); neither has anything pending.
    const RedisReply& pending = replies[2 * i];
    const RedisReply& info = replies[2 * i + 1];
    const RedisReply* own = info.is_error() ? nullptr : FindGroup(info, group);
    if (own == nullptr) continue;
    ++progress.streams;
    // Summary form: [count, smallest id, greatest id, [[consumer, count]...]].
    if (!pending.is_error() && pending.elements().size() >= 2 &&
        pending.elements()[0].integer() > 0) {
      progress.unacked += pending.elements()[0].integer();
      progress.oldest_unacked =
          std::max(progress.oldest_unacked, AgeOf(pending.elements()[1].str(), now));
    }
    // lag (Redis 7) is 0 when the group has read everything, nil when Redis
    // cannot tell (after deletions); then look at the next entry anyway.
    const RedisReply* lag = FindField(*own, "lag");
    const RedisReply* last = FindField(*own, "last-delivered-id");
    if (last == nullptr || (lag != nullptr && !lag->is_nil() && lag->integer() == 0)) continue;
    unread_heads.push_back(
        {"XRANGE", streams[i], absl::StrCat("(", last->str()), "+", "COUNT", "1"});
  }
  if (unread_heads.empty()) return progress;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> heads, redis.Pipeline(unread_heads));
  for (const RedisReply& head : heads) {
    // [[id, [field, value...]]] or [] when the group is at the end.
    if (head.is_error() || head.elements().empty() || head.elements()[0].elements().empty())
      continue;
    progress.oldest_unread =
        std::max(progress.oldest_unread, AgeOf(head.elements()[0].elements()[0].str(), now));
  }
  return progress;
}

}  // namespace dermaflow::common
