// Keeps the queue gauges current: every few seconds it counts each
// organization's queue (scheduled -- parked reminders included --, due, in
// flight, retrying, dead letter)
// and the consumer group's unacknowledged events, summed over all
// organizations, into dermaflow_reminder_queue_depth{state} and
// dermaflow_event_consumer_pending.
//
//   QueueGauges gauges(reminders, events, metrics, clock, "notification");
//   gauges.Start();
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "services/notification/metrics/notification_metrics.h"
#include "services/notification/store/event_backlog.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

class QueueGauges {
 public:
  QueueGauges(ReminderQueue& reminders, EventBacklog& events, NotificationMetrics& metrics,
              const common::Clock& clock, std::string consumer_group,
              absl::Duration interval = absl::Seconds(5));
  ~QueueGauges();

  void Start();
  void Stop();
  // One refresh (tests call it directly).
  absl::Status Refresh();

 private:
  ReminderQueue& reminders_;
  EventBacklog& events_;
  NotificationMetrics& metrics_;
  const common::Clock& clock_;
  const std::string group_;
  const absl::Duration interval_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace dermaflow::notification
