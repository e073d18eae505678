// The messages delivered, kept with their reminder: the history the API
// lists (ListDeliveries) and the live stream WatchNotifications follows
// (redis_delivery_store.h is the implementation). Deliveries are written by
// the reminder queue's outcome writes, never here.
//
//   DF_ASSIGN_OR_RETURN(std::string from, deliveries.DeliveryStreamEnd(org));
//   std::map<std::string, std::string> positions = {{org, from}};
//   DF_ASSIGN_OR_RETURN(auto fresh, deliveries.ReadDeliveryStreams(positions, absl::Seconds(1)));
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "services/notification/store/list_cursor.h"

namespace dermaflow::notification {

struct DeliveryFilter {
  std::string patient_id;
  std::vector<dermaflow::patient::v1::Channel> channels;
  std::optional<absl::Time> from;  // inclusive
  std::optional<absl::Time> to;    // exclusive
};

struct DeliveryPage {
  std::vector<v1::Delivery> deliveries;
  std::optional<ListCursor> next;
};

struct StreamedDelivery {
  std::string organization;
  v1::Delivery delivery;
};

class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;

  // Newest first.
  virtual absl::StatusOr<DeliveryPage> ListDeliveries(const std::string& org,
                                                      const DeliveryFilter& filter, int page_size,
                                                      const std::optional<ListCursor>& after) = 0;

  // Deliveries are appended to the organization's delivery stream only while
  // some replica has watchers: each keeps this mark alive (ttl) for its
  // organizations.
  virtual absl::Status MarkWatched(const std::string& org, absl::Duration ttl) = 0;
  // The delivery stream's current end, to read from.
  virtual absl::StatusOr<std::string> DeliveryStreamEnd(const std::string& org) = 0;
  // Deliveries after `positions` (org -> stream id, advanced in place),
  // waiting up to `block` when there are none.
  virtual absl::StatusOr<std::vector<StreamedDelivery>> ReadDeliveryStreams(
      std::map<std::string, std::string>& positions, absl::Duration block) = 0;
};

}  // namespace dermaflow::notification
