#include "services/notification/metrics/notification_metrics.h"

#include "absl/strings/str_cat.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/templates.h"

namespace dermaflow::notification {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

const char* const kChannels[] = {"email", "sms", "in_app", "log"};
const char* const kQueueStates[] = {"scheduled", "due", "in_flight", "retrying", "dead_letter"};
const char* const kEventTypes[] = {"patient.erased",
                                   "patient.consent_changed",
                                   "appointment.booked",
                                   "appointment.rescheduled",
                                   "appointment.cancelled",
                                   "appointment.arrived",
                                   "appointment.fulfilled",
                                   "appointment.noshow",
                                   "course.planned",
                                   "course.completed",
                                   "course.cancelled",
                                   "appointment.confirmation_requested",
                                   "appointment.confirmed",
                                   "appointment.confirmation_unanswered",
                                   "appointment.reschedule_requested",
                                   "unknown"};
const char* const kEventResults[] = {"applied", "stale", "ignored", "invalid", "retry"};
const char* const kPromotionOutcomes[] = {"promoted", "skipped_stale", "failed"};

// Every kind the proto declares (UNSPECIFIED aside), so a new kind has its
// series from the start.
std::vector<v1::ReminderKind> Kinds() {
  std::vector<v1::ReminderKind> kinds;
  const google::protobuf::EnumDescriptor* type = v1::ReminderKind_descriptor();
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0) {
      kinds.push_back(static_cast<v1::ReminderKind>(type->value(i)->number()));
    }
  }
  return kinds;
}

}  // namespace

NotificationMetrics::NotificationMetrics(prometheus::Registry& registry)
    : planned_(BuildCounter()
                   .Name("dermaflow_reminders_planned_total")
                   .Help("Reminders planned from events, by kind")
                   .Register(registry)),
      delivered_(BuildCounter()
                     .Name("dermaflow_reminders_delivered_total")
                     .Help("Reminders delivered, by kind and channel")
                     .Register(registry)),
      failed_(BuildCounter()
                  .Name("dermaflow_reminders_failed_total")
                  .Help("Failed delivery attempts, by kind and channel")
                  .Register(registry)),
      suppressed_(BuildCounter()
                      .Name("dermaflow_reminders_suppressed_total")
                      .Help("Reminders not sent on purpose, by kind and reason")
                      .Register(registry)),
      dead_lettered_(BuildCounter()
                         .Name("dermaflow_reminders_dead_lettered_total")
                         .Help("Reminders that exhausted their attempts, by kind and channel")
                         .Register(registry)),
      lag_(BuildHistogram()
               .Name("dermaflow_reminder_dispatch_lag_seconds")
               .Help("Time from a reminder's due time to its delivery, by channel")
               .Register(registry)),
      queue_depth_(BuildGauge()
                       .Name("dermaflow_reminder_queue_depth")
                       .Help("Reminders in the queue by state (all organizations)")
                       .Register(registry)),
      events_(BuildCounter()
                  .Name("dermaflow_events_consumed_total")
                  .Help("Domain events consumed, by type and result")
                  .Register(registry)),
      consumer_pending_(BuildGauge()
                            .Name("dermaflow_event_consumer_pending")
                            .Help("Events read by the consumer group but not yet acknowledged")
                            .Register(registry)
                            .Add({})),
      consumer_lag_(BuildGauge()
                        .Name("dermaflow_event_consumer_lag_seconds")
                        .Help("Age of the oldest event in the consumer's last batch (0 when idle)")
                        .Register(registry)
                        .Add({})),
      // No org label: the number of tenants is unbounded; the runbook says
      // how to find the stream (XPENDING per df:{org}:events).
      intake_oldest_unacked_(BuildGauge()
                                 .Name("dermaflow_event_intake_oldest_unacked_seconds")
                                 .Help("Age of the oldest event delivered to the notification "
                                       "consumer group but not acknowledged (0 when none)")
                                 .Register(registry)
                                 .Add({})),
      intake_oldest_unread_(BuildGauge()
                                .Name("dermaflow_event_intake_oldest_unread_seconds")
                                .Help("Age of the oldest event not yet delivered to the "
                                      "notification consumer group (0 when none)")
                                .Register(registry)
                                .Add({})),
      fallback_(BuildCounter()
                    .Name("dermaflow_template_fallback_total")
                    .Help("Messages rendered in a fallback language, by kind and asked locale")
                    .Register(registry)),
      park_promotions_(BuildCounter()
                           .Name("dermaflow_notification_park_promotions_total")
                           .Help("Parked reminder entries handled by the promoter: promoted into "
                                 "the queue, skipped as stale; and failed promotion passes")
                           .Register(registry)) {
  for (v1::ReminderKind kind : Kinds()) {
    const std::string k = KindLabel(kind);
    Counter(planned_, {{"kind", k}});
    Counter(fallback_, {{"kind", k}, {"locale", "other"}});
    for (const char* channel : kChannels) {
      Counter(delivered_, {{"kind", k}, {"channel", channel}});
      Counter(failed_, {{"kind", k}, {"channel", channel}});
      Counter(dead_lettered_, {{"kind", k}, {"channel", channel}});
    }
    for (int r = 1; r <= 5; ++r) {
      Counter(suppressed_,
              {{"kind", k}, {"reason", SuppressionLabel(static_cast<v1::SuppressionReason>(r))}});
    }
  }
  for (const char* channel : kChannels) {
    lags_[channel] = &lag_.Add({{"channel", channel}}, prometheus::Histogram::BucketBoundaries{
                                                           0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                           1, 2.5, 5, 10, 30, 60, 300});
  }
  for (const char* state : kQueueStates) queue_depth_.Add({{"state", state}});
  for (const char* outcome : kPromotionOutcomes) Counter(park_promotions_, {{"outcome", outcome}});
  for (const char* type : kEventTypes) {
    for (const char* result : kEventResults) Counter(events_, {{"type", type}, {"result", result}});
  }
}

prometheus::Counter& NotificationMetrics::Counter(
    prometheus::Family<prometheus::Counter>& family,
    const std::map<std::string, std::string>& labels) {
  std::string key;
  for (const auto& [name, value] : labels) absl::StrAppend(&key, name, "=", value, ",");
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, added] = counters_.emplace(std::make_pair(static_cast<void*>(&family), key), nullptr);
  if (added) it->second = &family.Add(labels);
  return *it->second;
}

void NotificationMetrics::Planned(v1::ReminderKind kind) {
  Counter(planned_, {{"kind", KindLabel(kind)}}).Increment();
}

void NotificationMetrics::Delivered(v1::ReminderKind kind, const std::string& channel,
                                    absl::Duration lag) {
  Counter(delivered_, {{"kind", KindLabel(kind)}, {"channel", channel}}).Increment();
  prometheus::Histogram* histogram = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lags_.find(channel);
    if (it != lags_.end()) histogram = it->second;
  }
  if (histogram) histogram->Observe(std::max(0.0, absl::ToDoubleSeconds(lag)));
}

void NotificationMetrics::Failed(v1::ReminderKind kind, const std::string& channel) {
  Counter(failed_, {{"kind", KindLabel(kind)}, {"channel", channel}}).Increment();
}

void NotificationMetrics::DeadLettered(v1::ReminderKind kind, const std::string& channel) {
  Counter(dead_lettered_, {{"kind", KindLabel(kind)}, {"channel", channel}}).Increment();
}

void NotificationMetrics::Suppressed(v1::ReminderKind kind, v1::SuppressionReason reason) {
  Counter(suppressed_, {{"kind", KindLabel(kind)}, {"reason", SuppressionLabel(reason)}})
      .Increment();
}

void NotificationMetrics::TemplateFallback(v1::ReminderKind kind, const std::string& locale) {
  Counter(fallback_, {{"kind", KindLabel(kind)}, {"locale", LanguageOf(locale)}}).Increment();
}

void NotificationMetrics::EventConsumed(const std::string& type, const std::string& result) {
  Counter(events_, {{"type", type}, {"result", result}}).Increment();
}

void NotificationMetrics::SetQueueDepth(const std::string& state, int64_t depth) {
  queue_depth_.Add({{"state", state}}).Set(static_cast<double>(depth));
}

void NotificationMetrics::SetConsumerPending(int64_t pending) {
  consumer_pending_.Set(static_cast<double>(pending));
}

void NotificationMetrics::SetConsumerLag(absl::Duration lag) {
  consumer_lag_.Set(std::max(0.0, absl::ToDoubleSeconds(lag)));
}

void NotificationMetrics::SetIntakeProgress(absl::Duration oldest_unacked,
                                            absl::Duration oldest_unread) {
  intake_oldest_unacked_.Set(std::max(0.0, absl::ToDoubleSeconds(oldest_unacked)));
  intake_oldest_unread_.Set(std::max(0.0, absl::ToDoubleSeconds(oldest_unread)));
}

void NotificationMetrics::ParkPromotions(const std::string& outcome, int64_t n) {
  if (n > 0) Counter(park_promotions_, {{"outcome", outcome}}).Increment(static_cast<double>(n));
}

}  // namespace dermaflow::notification
