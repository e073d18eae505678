// The dispatcher: claims due reminders in batches (claim_due.lua, with a
// lease), decides per reminder from the patient's current preferences
// (dispatch_policy.h), renders and sends the ones to send through their
// channel on `workers` threads, and records each outcome — delivered,
// suppressed, held for quiet hours, retry with backoff, dead letter. A
// message handed to a provider (SMTP, SMS) is recorded as soon as its send
// returns, before its worker sends again (OutcomeRecorder), so a crash
// re-sends at most the sends in flight, one per worker; the rest of the
// batch was never sent, and any replica takes it over once the leases run
// out. Outcomes that sent nothing outside (suppressed, deferred, the log and
// in-app channels) are written together at the end of the batch. While it
// works, the dispatcher renews its leases (ClaimHeartbeat), so the lease can
// be short without a slow send ever being taken over. Before claiming from
// an organization, a pass lets the ParkPromoter queue its parked reminders
// whose day is coming (at most once a minute per organization).
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
#include "common/replicas/tenant_focus.h"
#include "common/replicas/tenant_share.h"
#include "services/notification/delivery/action_link_minter.h"
#include "services/notification/delivery/channels/channel.h"
#include "services/notification/delivery/claim_heartbeat.h"
#include "services/notification/delivery/outcome_recorder.h"
#include "services/notification/delivery/park_promoter.h"
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
  // How long a claim stays exclusive without a renewal: a live dispatcher
  // renews it every lease / 3, so this bounds how long a dead one's claims
  // wait to be taken over, not how long a send may take.
  absl::Duration lease = absl::Seconds(10);
  // Sleep between passes that found nothing due (bounds the dispatch lag).
  absl::Duration idle_wait = absl::Milliseconds(20);
  // Delivery attempts before a reminder is dead-lettered.
  int max_attempts = 6;
  absl::Duration retry_base = absl::Seconds(30);
  absl::Duration retry_max = absl::Hours(1);
  // When the patient or protocol service cannot answer: try again after
  // this, without counting an attempt.
  absl::Duration dependency_retry = absl::Seconds(30);
  // Sends in flight at once (the most a crash can resend).
  int workers = 8;
  absl::Duration org_refresh = absl::Seconds(5);
  // Replicas sharing the organizations (common/replicas/tenant_share.h):
  // each pass looks at this replica's home organizations, the others every
  // `look_around`, and helps them (every pass, while it lasts) when more
  // than a batch is due or work waits longer than `help_after`
  // (claim_choice.h). Null: every organization, every pass (a lone
  // replica, tests).
  const common::TenantShare* share = nullptr;
  absl::Duration look_around = absl::Milliseconds(250);
  absl::Duration help_after = absl::Seconds(2);
  absl::Duration clinic_cache_ttl = absl::Seconds(60);
};

class Dispatcher {
 public:
  Dispatcher(ReminderQueue& reminders, ClinicCache& clinics, EventBacklog& events,
             SettingsCache& settings, common::PatientClient& patients,
             common::ProtocolClient& protocols, ChannelSet& channels, NotificationMetrics& metrics,
             const common::Clock& clock, DispatcherOptions options,
             const ActionLinkMinter* links = nullptr, ParkPromoter* promoter = nullptr);
  ~Dispatcher();

  // Starts the dispatch loop and the lease heartbeat.
  void Start();
  // Finishes the batch in hand (its outcomes are written), then returns.
  void Stop();

  // One pass: a probe of the organizations in focus (one round trip per Redis
  // node), then one batch from each that has reminders due. Returns how many
  // reminders were handled (0: nothing was due).
  absl::StatusOr<int> RunOnce();

 private:
  struct Outcome;
  void Loop();
  absl::StatusOr<int> DispatchBatch(const std::string& org);
  // The outcome's compare-and-set on the claim (moves the delivery out of it).
  static ReminderWrite OutcomeWrite(const ClaimedReminder& claimed, Outcome& outcome);
  static void LogUnrecorded(const std::string& org, const absl::Status& error);
  void CountOutcome(const Outcome& outcome);
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
  const ActionLinkMinter* links_;  // null: messages carry no action links
  // Queues each organization's parked reminders ahead of their day, from
  // this loop (null: nothing is ever parked, RedisReminderQueueOptions).
  ParkPromoter* promoter_;
  WorkerPool pool_;
  OutcomeRecorder recorder_;
  ClaimHeartbeat heartbeat_;

  std::vector<std::string> orgs_;
  common::TenantFocus focus_;
  absl::Time orgs_refreshed_ = absl::InfinitePast();
  std::mutex clinics_mu_;
  std::map<std::pair<std::string, std::string>, std::pair<ClinicInfo, absl::Time>> clinics_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace dermaflow::notification
