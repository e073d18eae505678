#include "services/notification/delivery/queue_gauges.h"

#include "common/status/macros.h"

namespace dermaflow::notification {

QueueGauges::QueueGauges(ReminderQueue& reminders, EventBacklog& events,
                         NotificationMetrics& metrics, const common::Clock& clock,
                         std::string consumer_group, absl::Duration interval)
    : reminders_(reminders),
      events_(events),
      metrics_(metrics),
      clock_(clock),
      group_(std::move(consumer_group)),
      interval_(interval) {}

QueueGauges::~QueueGauges() { Stop(); }

void QueueGauges::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] {
    while (running_) {
      (void)
          Refresh();  // a missed refresh leaves the last values; Redis health is reported elsewhere
      for (absl::Duration slept; running_ && slept < interval_; slept += absl::Milliseconds(100)) {
        absl::SleepFor(absl::Milliseconds(100));
      }
    }
  });
}

void QueueGauges::Stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

absl::Status QueueGauges::Refresh() {
  DF_ASSIGN_OR_RETURN(std::vector<std::string> orgs, events_.Organizations());
  QueueCounts total;
  const absl::Time now = clock_.Now();
  for (const std::string& org : orgs) {
    DF_ASSIGN_OR_RETURN(QueueCounts c, reminders_.CountQueue(org, now));
    total.scheduled += c.scheduled;
    total.due += c.due;
    total.in_flight += c.in_flight;
    total.retrying += c.retrying;
    total.dead_letter += c.dead_letter;
  }
  metrics_.SetQueueDepth("scheduled", total.scheduled);
  metrics_.SetQueueDepth("due", total.due);
  metrics_.SetQueueDepth("in_flight", total.in_flight);
  metrics_.SetQueueDepth("retrying", total.retrying);
  metrics_.SetQueueDepth("dead_letter", total.dead_letter);
  DF_ASSIGN_OR_RETURN(int64_t pending, events_.PendingEvents(group_));
  metrics_.SetConsumerPending(pending);
  return absl::OkStatus();
}

}  // namespace dermaflow::notification
