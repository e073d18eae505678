// Event intake: reads the organizations' event streams in the consumer group
// "notification", plans each event's reminders (reminder_planner.h) and
// stores them (plan_changes.h + ReminderQueue), and acknowledges an event
// only once its changes are in Redis. An event that cannot be handled now
// (protocol or patient service down, Redis down, repeated write conflicts)
// stays unacknowledged and comes back after the consumer's min_idle, also to
// another replica; one that can never be planned (unknown protocol version,
// missing ids) is acknowledged and counted as invalid. While a batch is in
// hand a heartbeat keeps its events fresh (EventConsumer::KeepPending every
// min_idle / 3), so a slow batch is never taken over by another replica and
// min_idle only bounds how long a crashed replica's events wait.
//
//   EventIntake intake(redis, store.queue(), store.clinics(), store.events(), protocols,
//                      patients, settings, metrics, clock, {});
//   intake.Start();   // ... intake.Stop();
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clients/caching_patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/clock/clock.h"
#include "common/clock/periodic_thread.h"
#include "common/events/event_consumer.h"
#include "common/redis/redis_client.h"
#include "services/notification/metrics/notification_metrics.h"
#include "services/notification/store/clinic_cache.h"
#include "services/notification/store/event_backlog.h"
#include "services/notification/store/reminder_queue.h"
#include "services/notification/store/settings_cache.h"

namespace dermaflow::notification {

struct EventIntakeOptions {
  common::EventConsumerOptions consumer{.group = "notification", .consumer = "notification"};
  // Attempts at an event whose writes keep conflicting (a dispatcher or an
  // operator changed the same reminders meanwhile) before leaving it for a
  // later redelivery.
  int max_conflict_retries = 5;
  // How often the intake-progress gauges are refreshed (RefreshProgress), on
  // a thread of their own so a stuck intake loop still shows as a growing age.
  absl::Duration progress_interval = absl::Seconds(5);
};

class EventIntake {
 public:
  // `patients` is cached: a patient whose plan changed is forgotten there.
  EventIntake(common::RedisClient& redis, ReminderQueue& reminders, ClinicCache& clinics,
              EventBacklog& events, common::ProtocolClient& protocols,
              common::CachingPatientClient& patients, SettingsCache& settings,
              NotificationMetrics& metrics, const common::Clock& clock,
              const EventIntakeOptions& options);
  ~EventIntake();

  void Start();
  // Finishes the batch in hand, then returns. Idempotent.
  void Stop();

  // Reads one batch and handles it; returns how many events were acked.
  absl::StatusOr<int> PollOnce();

  // Handles events already read (exposed for tests and benchmarks); returns
  // the indexes of those that are done (to be acked).
  std::vector<size_t> Handle(const std::vector<common::ConsumedEvent>& events);

  // Sets dermaflow_event_intake_oldest_{unacked,unread}_seconds from Redis
  // (common/metrics/stream_group_progress.h); Start() runs it periodically.
  absl::Status RefreshProgress();

 private:
  struct Item;
  void Loop();
  void ProgressLoop();
  // The heartbeat's task: KeepPending on the batch in hand, if any.
  void KeepInHandFresh();
  void HandleOrg(const std::string& org, std::vector<Item>& items);
  // The protocol versions one batch's events name, each read once.
  using BatchProtocols =
      std::map<std::pair<std::string, int64_t>, absl::StatusOr<dermaflow::protocol::v1::Protocol>>;
  void Prepare(const std::string& org, const v1::NotificationSettings& settings, Item& item,
               BatchProtocols& batch_protocols);
  void RetryAlone(const std::string& org, Item& item);
  void CountPlanned(const WriteResult& result, const WriteGroup& group);
  absl::Status StoreClinics(const std::string& org, const std::vector<Item>& items);

  common::RedisClient& redis_;
  ReminderQueue& reminders_;
  ClinicCache& clinics_;
  EventBacklog& events_;
  common::ProtocolClient& protocols_;
  common::CachingPatientClient& patients_;
  SettingsCache& settings_;
  NotificationMetrics& metrics_;
  const common::Clock& clock_;
  const EventIntakeOptions options_;
  common::EventConsumer consumer_;
  // Clinic texts last written per (org, clinic), to skip unchanged rewrites.
  std::map<std::pair<std::string, std::string>, std::string> clinics_written_;
  std::atomic<bool> running_{false};
  std::thread thread_;
  std::thread progress_thread_;
  // The batch PollOnce is handling; the heartbeat holds the lock while it
  // uses it, so PollOnce cannot free it meanwhile.
  std::mutex in_hand_mu_;
  const std::vector<common::ConsumedEvent>* in_hand_ = nullptr;
  common::PeriodicThread heartbeat_;
};

}  // namespace dermaflow::notification
