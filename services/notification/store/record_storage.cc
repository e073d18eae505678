#include "services/notification/store/record_storage.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/notification/store/notification_keys.h"

namespace dermaflow::notification {

using common::RedisReply;

absl::StatusOr<std::string> RecordStorage::ToStorage(
    const std::string& org, const std::string& record,
    std::map<uint64_t, RecordContext>& new_contexts) {
  if (record.empty()) return record;
  CompactRecord compact = Compact(record);
  if (compact.context_key != 0) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& known = contexts_[org];
    auto it = known.find(compact.context_key);
    if (it == known.end()) {
      new_contexts[compact.context_key] = compact.context;
    } else if (!(it->second == compact.context)) {
      // Two triples with one 64-bit key: never seen, but never mix them up.
      return absl::InternalError("notification store: context key collision");
    }
  }
  return std::move(compact.bytes);
}

absl::Status RecordStorage::RegisterContexts(const std::string& org,
                                             const std::map<uint64_t, RecordContext>& contexts) {
  if (contexts.empty()) return absl::OkStatus();
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::vector<std::string> cmd = {"HSET", keys.contexts};
  for (const auto& [key, context] : contexts) {
    cmd.push_back(absl::StrCat(absl::Hex(key, absl::kZeroPad16)));
    cmd.push_back(context.Serialize());
  }
  DF_RETURN_IF_ERROR(redis_.Command(std::move(cmd)).status());
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, context] : contexts) contexts_[org][key] = context;
  return absl::OkStatus();
}

absl::StatusOr<std::string> RecordStorage::FromStorage(const std::string& org,
                                                       const std::string& stored) {
  return Expand(stored, [&](uint64_t key) -> absl::StatusOr<RecordContext> {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& known = contexts_[org];
      auto it = known.find(key);
      if (it != known.end()) return it->second;
    }
    DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
    DF_ASSIGN_OR_RETURN(
        RedisReply reply,
        redis_.Command({"HGET", keys.contexts, absl::StrCat(absl::Hex(key, absl::kZeroPad16))}));
    std::optional<RecordContext> context =
        reply.is_nil() ? std::nullopt : RecordContext::Parse(reply.str());
    if (!context) return absl::InternalError("notification store: unknown record context");
    std::lock_guard<std::mutex> lock(mu_);
    contexts_[org][key] = *context;
    return *context;
  });
}

absl::StatusOr<std::vector<std::optional<std::string>>> RecordStorage::ReadStored(
    const std::string& org, const std::vector<std::string>& ids) {
  std::vector<std::optional<std::string>> out;
  if (ids.empty()) return out;
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::vector<std::string> hmget = {"HMGET", keys.records};
  hmget.insert(hmget.end(), ids.begin(), ids.end());
  std::vector<std::string> zmscore = {"ZMSCORE", keys.inflight};
  zmscore.insert(zmscore.end(), ids.begin(), ids.end());
  // Two commands, one round trip; not atomic, which only matters to a write,
  // and every write is compare-and-set on what put_reminders.lua sees.
  std::vector<std::vector<std::string>> commands;
  commands.push_back(std::move(hmget));
  commands.push_back(std::move(zmscore));
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (const RedisReply& r : replies) DF_RETURN_IF_ERROR(r.ToStatus());
  const auto& values = replies[0].elements();
  const auto& leases = replies[1].elements();
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i >= values.size() || values[i].is_nil() || values[i].str().empty()) {
      out.emplace_back();
      continue;
    }
    std::string stored = values[i].str();
    if (i < leases.size() && !leases[i].is_nil()) stored[0] = 'I';
    out.emplace_back(std::move(stored));
  }
  return out;
}

absl::StatusOr<std::vector<ReminderRecord>> RecordStorage::Load(
    const std::string& org, const std::vector<std::string>& ids) {
  DF_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> stored, ReadStored(org, ids));
  std::vector<ReminderRecord> out;
  for (size_t i = 0; i < stored.size(); ++i) {
    if (!stored[i]) continue;
    absl::StatusOr<std::string> expanded = FromStorage(org, *stored[i]);
    if (!expanded.ok()) continue;
    absl::StatusOr<ReminderRecord> r = DecodeRecord(ids[i], *expanded);
    if (r.ok()) out.push_back(*std::move(r));
  }
  return out;
}

}  // namespace dermaflow::notification
