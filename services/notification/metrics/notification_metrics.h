// Every metric the notification service exports, declared in one place. The
// names are a contract with the ops alerts and dashboard (docs/notification.md
// lists them); all families and their fixed label values are created at
// start, so /metrics shows them before the first reminder.
//
//   NotificationMetrics metrics(runtime->metrics().registry());
//   metrics.Delivered(REMINDER_KIND_AFTERCARE, "sms");
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace dermaflow::notification {

class NotificationMetrics {
 public:
  explicit NotificationMetrics(prometheus::Registry& registry);

  // `channel` is the transport's name: email, sms, in_app, log.
  void Planned(v1::ReminderKind kind);
  void Delivered(v1::ReminderKind kind, const std::string& channel, absl::Duration lag);
  void Failed(v1::ReminderKind kind, const std::string& channel);
  void DeadLettered(v1::ReminderKind kind, const std::string& channel);
  void Suppressed(v1::ReminderKind kind, v1::SuppressionReason reason);
  // `locale` as the patient asked for it; labelled by its language.
  void TemplateFallback(v1::ReminderKind kind, const std::string& locale);
  // `type` "appointment.booked"...; result applied|stale|ignored|invalid|retry.
  void EventConsumed(const std::string& type, const std::string& result);
  void SetQueueDepth(const std::string& state, int64_t depth);
  void SetConsumerPending(int64_t pending);
  void SetConsumerLag(absl::Duration lag);
  // Intake progress over all organizations (EventIntake refreshes it): the
  // age of the oldest event handed to the group but not acknowledged, and
  // of the oldest event not handed out yet; zero when there is none.
  void SetIntakeProgress(absl::Duration oldest_unacked, absl::Duration oldest_unread);
  // `outcome`: promoted / skipped_stale (bucket entries, ParkPromoter), or
  // failed (promotion passes that failed).
  void ParkPromotions(const std::string& outcome, int64_t n);

 private:
  prometheus::Counter& Counter(prometheus::Family<prometheus::Counter>& family,
                               const std::map<std::string, std::string>& labels);

  prometheus::Family<prometheus::Counter>& planned_;
  prometheus::Family<prometheus::Counter>& delivered_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Counter>& suppressed_;
  prometheus::Family<prometheus::Counter>& dead_lettered_;
  prometheus::Family<prometheus::Histogram>& lag_;
  prometheus::Family<prometheus::Gauge>& queue_depth_;
  prometheus::Family<prometheus::Counter>& events_;
  prometheus::Gauge& consumer_pending_;
  prometheus::Gauge& consumer_lag_;
  prometheus::Gauge& intake_oldest_unacked_;
  prometheus::Gauge& intake_oldest_unread_;
  prometheus::Family<prometheus::Counter>& fallback_;
  prometheus::Family<prometheus::Counter>& park_promotions_;

  // Family::Add hashes the labels under a lock; the hot path keeps the
  // children it made.
  std::mutex mu_;
  std::map<std::pair<void*, std::string>, prometheus::Counter*> counters_;
  std::map<std::string, prometheus::Histogram*> lags_;
};

}  // namespace dermaflow::notification
