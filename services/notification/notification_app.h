// Wires the notification service from its configuration: stores on the
// runtime's Redis, clients of the patient and protocol services, channels,
// the event intake, the dispatcher, the queue gauges, the live-delivery hub
// and the gRPC service. main.cc turns flags into NotificationConfig; tests
// build the same wiring in-process.
//
//   NotificationApp app(config, runtime->redis(), runtime->metrics().registry(),
//                       runtime->authenticator(), runtime->clock(), connect);
//   app.Start();  ...  app.Stop();
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/api/action_token.h"
#include "common/auth/authenticator.h"
#include "common/auth/service_token_source.h"
#include "common/clients/caching_patient_client.h"
#include "common/clients/caching_protocol_client.h"
#include "common/clients/patient_client.h"
#include "common/clients/protocol_client.h"
#include "common/clock/clock.h"
#include "common/quota/org_limit_refusals.h"
#include "common/redis/redis_client.h"
#include "common/replicas/tenant_share.h"
#include "grpcpp/channel.h"
#include "prometheus/registry.h"
#include "services/notification/api/notification_service.h"
#include "services/notification/clients/patient_action_client.h"
#include "services/notification/delivery/channels/channel.h"
#include "services/notification/delivery/channels/channel_config.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/delivery/dispatcher.h"
#include "services/notification/delivery/notification_hub.h"
#include "services/notification/delivery/park_promoter.h"
#include "services/notification/delivery/queue_gauges.h"
#include "services/notification/delivery/retention_sweeper.h"
#include "services/notification/inbound/sms_reply_server.h"
#include "services/notification/intake/event_intake.h"
#include "services/notification/metrics/notification_metrics.h"
#include "services/notification/store/redis_reminder_store.h"
#include "services/notification/store/redis_settings_store.h"
#include "services/notification/store/settings_cache.h"

namespace dermaflow::notification {

// Receiving SMS replies (docs/notification.md "SMS replies"); off while
// `listen` is empty.
struct SmsReplyOptions {
  std::string listen;           // --sms_reply_listen, e.g. "0.0.0.0:9480"
  std::string public_url;       // --sms_reply_public_url: what the provider posts to
  std::string scheduling_addr;  // --scheduling_addr: PatientActionService
  absl::Duration timeout = absl::Seconds(3);
};

struct NotificationConfig {
  std::string patient_addr;                           // empty: AnonymousPatientClient (local runs)
  std::string protocol_addr;                          // required for planning and rendering
  absl::Duration patient_timeout = absl::Seconds(2);  // per read, retries included
  absl::Duration protocol_timeout = absl::Seconds(3);
  SmtpOptions smtp;       // url empty: e-mail goes to the log channel
  SmsWebhookOptions sms;  // the webhook provider's options
  // kAuto: the webhook when sms.url is set, else the log channel.
  SmsProvider sms_provider = SmsProvider::kAuto;
  TwilioSmsOptions twilio;  // for SmsProvider::kTwilio
  bool quiet_log_channel = false;
  common::ServiceTokenOptions service_tokens;  // key nullopt: no tokens (--auth=none)
  common::PatientCacheOptions patient_cache;   // --patient_cache_ttl
  DispatcherOptions dispatcher;
  EventIntakeOptions intake;
  NotificationHubOptions hub;
  RetentionOptions retention;  // --reminder_retention
  // --reminder_park_after (also the store's), --park_promote_interval.
  ParkPromoterOptions parking;
  SmsReplyOptions sms_replies;
  // Run the intake and dispatcher threads (off for API-only tests).
  bool run_workers = true;
};

class NotificationApp {
 public:
  using Connect = std::function<std::shared_ptr<grpc::Channel>(const std::string& address)>;

  NotificationApp(const NotificationConfig& config, common::RedisClient& redis,
                  prometheus::Registry& registry, const common::Authenticator& authenticator,
                  const common::Clock& clock, const Connect& connect);
  ~NotificationApp();

  void Start();
  // Ends watch streams, then stops intake, dispatcher and gauges (each
  // finishes the batch in hand). Idempotent.
  void Stop();

  NotificationGrpcService& service() { return *service_; }
  Dispatcher& dispatcher() { return *dispatcher_; }
  EventIntake& intake() { return *intake_; }
  ReminderStore& store() { return *store_; }
  NotificationHub& hub() { return *hub_; }
  // The SMS reply endpoint's port; 0 when replies are off.
  int sms_reply_port() const { return sms_reply_server_ ? sms_reply_server_->port() : 0; }

 private:
  void StartSmsReplies(const NotificationConfig& config, const Connect& connect);

  const bool run_workers_;
  std::unique_ptr<NotificationMetrics> metrics_;
  std::unique_ptr<RedisReminderStore> store_;
  std::unique_ptr<RedisSettingsStore> settings_store_;
  std::unique_ptr<SettingsCache> settings_;
  std::unique_ptr<common::ServiceTokenSource> service_tokens_;
  // The services' clients (gRPC, or local stand-ins) and the caches in front.
  std::unique_ptr<common::PatientClient> patient_service_;
  std::unique_ptr<common::CachingPatientClient> patients_;
  std::unique_ptr<common::ProtocolClient> protocol_service_;
  std::unique_ptr<common::CachingProtocolClient> protocols_;
  std::unique_ptr<ChannelErrorLog> channel_errors_;  // outlives channels_
  std::unique_ptr<ChannelSet> channels_;
  std::unique_ptr<common::OrgLimitRefusals> org_limit_refusals_;  // outlives hub_
  std::unique_ptr<NotificationHub> hub_;
  // Action links in messages and SMS replies (docs/frontend.md "Patient actions").
  std::unique_ptr<common::ActionTokenCodec> action_tokens_;
  std::unique_ptr<SmsReplyBook> sms_reply_book_;  // null: replies off
  std::unique_ptr<ActionLinkMinter> action_links_;
  std::unique_ptr<PatientActionClient> patient_actions_;
  std::unique_ptr<SmsReplyMetrics> sms_reply_metrics_;
  std::unique_ptr<SmsReplyHandler> sms_replies_;
  std::unique_ptr<SmsReplyServer> sms_reply_server_;
  // Which organizations are this replica's home (intake and dispatcher).
  std::unique_ptr<common::TenantShare> share_;
  std::unique_ptr<EventIntake> intake_;
  std::unique_ptr<ParkPromoter> promoter_;  // outlives dispatcher_
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<QueueGauges> gauges_;
  std::unique_ptr<RetentionSweeper> sweeper_;
  std::unique_ptr<NotificationGrpcService> service_;
};

}  // namespace dermaflow::notification
