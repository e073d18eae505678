// The API's one handle on the notification store: the reminder queue, the
// delivery history and the secret its page tokens are sealed under. A thin
// facade over the narrow stores (reminder_queue.h, delivery_store.h); the
// intake, dispatcher, hub and gauges take only the narrow ones they use.
//
//   DF_ASSIGN_OR_RETURN(VersionedRecord r, store.Get(org, id));
//   DF_ASSIGN_OR_RETURN(DeliveryPage page, store.ListDeliveries(org, filter, 50, after));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/notification/store/delivery_store.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

class ReminderStore : public ReminderQueue, public DeliveryStore {
 public:
  // The secret the API's page tokens are sealed under (common/api/page_token.h).
  virtual absl::StatusOr<std::string> PageTokenSecret() = 0;
};

}  // namespace dermaflow::notification
