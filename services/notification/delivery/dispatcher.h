// The dispatcher: claims due reminders in batches (claim_due.lua, with a
// lease), decides per reminder from the patient's current preferences
// (dispatch_policy.h), renders and sends the ones to send through their
// channel in parallel, and records every outcome — delivered, suppressed,
// held for quiet hours, retry with backoff, dead letter — in one write per
// batch. At most one batch per process is in flight, so a crash re-sends at
// most one batch (its lease runs out and any replica takes it over).
//
//   Dispatcher dispatcher(store.queue(), store.clinics(), store.events(), settings, patients,
//                         protocols, channels, metrics, clock, {});
//   dispatcher.Start();   // ... dispatcher.Stop();
//   dispatcher.RunOnce(); // tests: one pass over all organizations
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/clock/clock.h"
#include "services/notification/delivery/channels/channel.h"
#include "services/notification/delivery/worker_pool.h"
#include "services/notification/domain/dispatch_policy.h"
#include "services/notification/metrics/notification_metrics.h"
#include "services/notification/store/clinic_cache.h"
#include "services/notification/store/event_backlog.h"
#include "services/notification/store/reminder_queue.h"
#include "services/notification/store/settings_cache.h"

namespace dermaflow::notification {

struct DispatcherOptions {
  int batch_size = 200;
  // How long a claim is exclusive; must exceed the time a batch takes.
  absl::Duration lease = absl::Seconds(30);
  // Sleep between passes that found nothing due (bounds the dispatch lag).
  absl::Duration idle_wait = absl::Milliseconds(20);
  // Delivery attempts before a reminder is dead-lettered.
  int max_attempts = 6;
  absl::Duration retry_base = absl::Seconds(30);
  absl::Duration retry_max = absl::Hours(1);
  // When the patient or protocol service cannot answer: try again after
  // this, without counting an attempt.
  absl::Duration dependency_retry = absl::Seconds(30);
  int workers = 8;
  absl::Duration org_refresh = absl::Seconds(5);
  absl::Duration clinic_cache_ttl = absl::Seconds(60);
};

class Dispatcher {
 public:
  Dispatcher(ReminderQueue& reminders, ClinicCache& clinics, EventBacklog& events,
             SettingsCache& settings, common::PatientClient& patients,
             common::ProtocolClient& protocols, ChannelSet& channels, NotificationMetrics& metrics,
             const common::Clock& clock, DispatcherOptions options);
  ~Dispatcher();

  void Start();
  // Finishes the batch in hand (its outcomes are written), then returns.
  void Stop();

  // One pass: one batch per organization. Returns how many reminders were
  // handled (0: nothing was due).
  absl::StatusOr<int> RunOnce();

 private:
  struct Outcome;
  void Loop();
  absl::StatusOr<int> DispatchBatch(const std::string& org);
  Outcome Handle(const std::string& org, const ClaimedReminder& claimed,
                 const absl::StatusOr<PatientPrefs>& prefs,
                 const absl::StatusOr<dermaflow::protocol::v1::Protocol>& protocol,
                 const v1::NotificationSettings& settings, const ClinicInfo& clinic,
                 absl::Time now);
  std::map<std::string, ClinicInfo> Clinics(const std::string& org,
                                            const std::vector<ClaimedReminder>& batch,
                                            absl::Time now);

  ReminderQueue& reminders_;
  ClinicCache& clinic_cache_;
  EventBacklog& events_;
  SettingsCache& settings_;
  common::PatientClient& patients_;
  common::ProtocolClient& protocols_;
  ChannelSet& channels_;
  NotificationMetrics& metrics_;
  const common::Clock& clock_;
  const DispatcherOptions options_;
  WorkerPool pool_;

  std::vector<std::string> orgs_;
  absl::Time orgs_refreshed_ = absl::InfinitePast();
  std::mutex clinics_mu_;
  std::map<std::pair<std::string, std::string>, std::pair<ClinicInfo, absl::Time>> clinics_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace dermaflow::notification
