#include "services/notification/store/redis_event_backlog.h"

#include <algorithm>
#include <utility>

#include "common/events/event_stream.h"
#include "common/status/macros.h"

namespace dermaflow::notification {

using common::RedisReply;

absl::StatusOr<std::vector<std::string>> RedisEventBacklog::Organizations() {
  DF_ASSIGN_OR_RETURN(RedisReply reply, redis_.Command({"SMEMBERS", common::OrganizationsKey()}));
  std::vector<std::string> orgs;
  for (const RedisReply& r : reply.elements()) {
    // A member that cannot name a tenant is skipped, not everyone stopped.
    if (common::StreamKey(r.str()).ok()) orgs.push_back(r.str());
  }
  std::sort(orgs.begin(), orgs.end());
  return orgs;
}

absl::StatusOr<int64_t> RedisEventBacklog::PendingEvents(const std::string& group) {
  DF_ASSIGN_OR_RETURN(std::vector<std::string> orgs, Organizations());
  std::vector<std::vector<std::string>> commands;
  for (const std::string& org : orgs) {
    absl::StatusOr<std::string> stream = common::StreamKey(org);
    if (stream.ok()) commands.push_back({"XPENDING", *stream, group});
  }
  if (commands.empty()) return 0;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  int64_t pending = 0;
  for (const RedisReply& r : replies) {
    // NOGROUP: the consumer has not looked at that stream yet.
    if (!r.is_error() && !r.elements().empty()) pending += r.elements()[0].integer();
  }
  return pending;
}

absl::Status RedisEventBacklog::AckEvents(const std::string& stream, const std::string& group,
                                          const std::vector<std::string>& entry_ids) {
  if (entry_ids.empty()) return absl::OkStatus();
  std::vector<std::string> cmd = {"XACK", stream, group};
  cmd.insert(cmd.end(), entry_ids.begin(), entry_ids.end());
  return redis_.Command(std::move(cmd)).status();
}

}  // namespace dermaflow::notification
