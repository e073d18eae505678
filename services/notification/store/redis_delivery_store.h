// DeliveryStore on Redis: the deliveries hash (`dlv`) with its time indexes
// (`dlv:time`, `dlv:patient:<id>`) for the history, and the stream
// `dlv:stream` put_reminders.lua appends to while `dlv:watched` is set.
//
//   RedisDeliveryStore deliveries(runtime->redis());
//   DF_ASSIGN_OR_RETURN(DeliveryPage page, deliveries.ListDeliveries(org, {}, 50, std::nullopt));
#pragma once

#include "common/redis/redis_client.h"
#include "services/notification/store/delivery_store.h"
#include "services/notification/store/notification_keys.h"

namespace dermaflow::notification {

class RedisDeliveryStore : public DeliveryStore {
 public:
  explicit RedisDeliveryStore(common::RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<DeliveryPage> ListDeliveries(const std::string& org, const DeliveryFilter& filter,
                                              int page_size,
                                              const std::optional<ListCursor>& after) override;
  absl::Status MarkWatched(const std::string& org, absl::Duration ttl) override;
  absl::StatusOr<std::string> DeliveryStreamEnd(const std::string& org) override;
  absl::StatusOr<std::vector<StreamedDelivery>> ReadDeliveryStreams(
      std::map<std::string, std::string>& positions, absl::Duration block) override;

 private:
  // The entries after each org's position, as [stream, entries] replies:
  // one blocking XREAD over all streams, or on Redis Cluster one read per
  // stream (a stream per hash slot).
  absl::StatusOr<std::vector<common::RedisReply>> ReadStreams(
      const std::map<std::string, std::string>& positions,
      const std::map<std::string, NotificationKeys>& by_stream, absl::Duration block);

  common::RedisClient& redis_;
};

}  // namespace dermaflow::notification
