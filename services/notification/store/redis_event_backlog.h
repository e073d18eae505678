// EventBacklog on Redis: the organizations set `df:orgs` every publisher
// adds to, XPENDING of the consumer group on each `df:{org}:events`, and
// XACK in bulk.
//
//   RedisEventBacklog events(runtime->redis());
//   DF_ASSIGN_OR_RETURN(int64_t pending, events.PendingEvents("notification"));
#pragma once

#include "common/redis/redis_client.h"
#include "services/notification/store/event_backlog.h"

namespace dermaflow::notification {

class RedisEventBacklog : public EventBacklog {
 public:
  explicit RedisEventBacklog(common::RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<std::vector<std::string>> Organizations() override;
  absl::StatusOr<int64_t> PendingEvents(const std::string& group) override;
  absl::Status AckEvents(const std::string& stream, const std::string& group,
                         const std::vector<std::string>& entry_ids) override;

 private:
  common::RedisClient& redis_;
};

}  // namespace dermaflow::notification
