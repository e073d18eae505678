// In-app delivery. A message for the patient app needs no transport of its
// own: once the dispatcher stores the Delivery (ListDeliveries is the app's
// inbox, and the delivery stream carries it to every replica's
// NotificationHub while anyone watches), the WatchNotifications streams that
// want it receive it. So sending succeeds at once.
#pragma once

#include "services/notification/delivery/channels/channel.h"

namespace dermaflow::notification {

class InAppChannel : public Channel {
 public:
  std::string name() const override { return "in_app"; }
  absl::Status Send(const OutgoingMessage&) override { return absl::OkStatus(); }
  // The stored outcome is the delivery (written once per claim).
  bool external() const override { return false; }
};

}  // namespace dermaflow::notification
