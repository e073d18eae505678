#include "services/notification/notification_app.h"

#include "common/api/page_token_secret.h"
#include "common/config/config_error.h"
#include "common/logging/log.h"
#include "services/notification/clients/patient_reads.h"
#include "services/notification/delivery/channels/in_app_channel.h"
#include "services/notification/delivery/channels/log_channel.h"
#include "services/notification/store/redis_sms_reply_book.h"

namespace dermaflow::notification {

NotificationApp::NotificationApp(const NotificationConfig& config, common::RedisClient& redis,
                                 prometheus::Registry& registry,
                                 const common::Authenticator& authenticator,
                                 const common::Clock& clock, const Connect& connect)
    : run_workers_(config.run_workers) {
  metrics_ = std::make_unique<NotificationMetrics>(registry);
  store_ = std::make_unique<RedisReminderStore>(
      redis, RedisReminderQueueOptions{.park_after = config.parking.park_after, .clock = &clock});
  settings_store_ = std::make_unique<RedisSettingsStore>(redis);
  settings_ = std::make_unique<SettingsCache>(*settings_store_, clock);
  service_tokens_ = std::make_unique<common::ServiceTokenSource>(config.service_tokens, clock);
  if (config.patient_addr.empty()) {
    common::LogWarning(
        "no --patient_addr: every patient is anonymous and reached by e-mail "
        "(local runs only)");
    patient_service_ = std::make_unique<AnonymousPatientClient>();
  } else {
    patient_service_ = std::make_unique<common::GrpcPatientClient>(
        connect(config.patient_addr),
        common::ClientOptions{.via_service = "notification",
                              .timeout = config.patient_timeout,
                              .service_tokens = service_tokens_.get()});
  }
  patients_ = std::make_unique<common::CachingPatientClient>(*patient_service_, clock,
                                                             config.patient_cache);
  if (config.protocol_addr.empty()) {
    common::LogWarning("no --protocol_addr: events that need a protocol cannot be planned");
    protocol_service_ = std::make_unique<common::InMemoryProtocolClient>();
  } else {
    protocol_service_ = std::make_unique<common::GrpcProtocolClient>(
        connect(config.protocol_addr),
        common::ClientOptions{.via_service = "notification",
                              .timeout = config.protocol_timeout,
                              .service_tokens = service_tokens_.get()});
  }
  protocols_ = std::make_unique<common::CachingProtocolClient>(*protocol_service_);
  channel_errors_ = std::make_unique<ChannelErrorLog>(registry, clock);
  channels_ = std::make_unique<ChannelSet>(
      MakeEmailChannel(config.smtp, *channel_errors_),
      MakeSmsChannel(config.sms_provider, config.sms, config.twilio, *channel_errors_),
      std::make_unique<InAppChannel>(), std::make_unique<LogChannel>(config.quiet_log_channel));
  org_limit_refusals_ = std::make_unique<common::OrgLimitRefusals>(registry);
  hub_ = std::make_unique<NotificationHub>(store_->deliveries(), config.hub,
                                           org_limit_refusals_.get());
  // The replicas share the organizations: each has its home ones, and helps
  // with the others' backlogs (common/replicas/tenant_share.h).
  share_ = std::make_unique<common::TenantShare>(
      redis, registry,
      common::TenantShareOptions{.service = "notification",
                                 .replica_id = config.intake.consumer.consumer});
  EventIntakeOptions intake = config.intake;
  intake.consumer.share = share_.get();
  DispatcherOptions dispatcher = config.dispatcher;
  dispatcher.share = share_.get();
  intake_ =
      std::make_unique<EventIntake>(redis, store_->queue(), store_->clinics(), store_->events(),
                                    *protocols_, *patients_, *settings_, *metrics_, clock, intake);
  action_tokens_ = std::make_unique<common::ActionTokenCodec>(
      [&redis] { return common::LoadActionTokenSecret(redis); });
  if (!config.sms_replies.listen.empty()) {
    sms_reply_book_ = std::make_unique<RedisSmsReplyBook>(
        redis, [&redis] { return common::LoadActionTokenSecret(redis); });
  }
  action_links_ = std::make_unique<ActionLinkMinter>(*action_tokens_, sms_reply_book_.get());
  promoter_ = std::make_unique<ParkPromoter>(store_->parking(), *metrics_, config.parking);
  dispatcher_ = std::make_unique<Dispatcher>(
      store_->queue(), store_->clinics(), store_->events(), *settings_, *patients_, *protocols_,
      *channels_, *metrics_, clock, dispatcher, action_links_.get(), promoter_.get());
  sms_reply_metrics_ = std::make_unique<SmsReplyMetrics>(registry);
  if (sms_reply_book_ != nullptr) StartSmsReplies(config, connect);
  gauges_ = std::make_unique<QueueGauges>(store_->queue(), store_->events(), *metrics_, clock,
                                          config.intake.consumer.group);
  sweeper_ = std::make_unique<RetentionSweeper>(store_->retention(), store_->events(), clock,
                                                config.retention);
  service_ = std::make_unique<NotificationGrpcService>(
      NotificationServiceDeps{.authenticator = &authenticator,
                              .store = store_.get(),
                              .settings = settings_store_.get(),
                              .settings_cache = settings_.get(),
                              .hub = hub_.get(),
                              .patients = patients_.get(),
                              .clock = &clock});
}

void NotificationApp::StartSmsReplies(const NotificationConfig& config, const Connect& connect) {
  const SmsReplyOptions& o = config.sms_replies;
  if (o.scheduling_addr.empty()) {
    common::ExitWithConfigError("--sms_reply_listen needs --scheduling_addr (replies are actions)");
  }
  SmsReplyServerOptions server{.listen = o.listen, .public_url = o.public_url};
  switch (ResolveSmsProvider(config.sms_provider, config.sms)) {
    case SmsProvider::kTwilio:
      server.signature = SmsReplyServerOptions::Signature::kTwilio;
      server.secret = config.twilio.auth_token;
      break;
    case SmsProvider::kWebhook:
      server.signature = SmsReplyServerOptions::Signature::kWebhook;
      server.secret = config.sms.secret;
      break;
    default:
      common::ExitWithConfigError(
          "--sms_reply_listen needs a real SMS provider (--sms_provider=twilio or webhook)");
  }
  patient_actions_ = std::make_unique<PatientActionClient>(connect(o.scheduling_addr), o.timeout);
  sms_replies_ = std::make_unique<SmsReplyHandler>(
      *sms_reply_book_,
      [client = patient_actions_.get()](const std::string& token) {
        return client->Perform(token);
      },
      *sms_reply_metrics_);
  sms_reply_server_ = common::OrExitWithConfigError(SmsReplyServer::Start(server, *sms_replies_));
  common::LogInfo("receiving SMS replies",
                  {{"listen", o.listen}, {"port", std::to_string(sms_reply_server_->port())}});
}

NotificationApp::~NotificationApp() { Stop(); }

void NotificationApp::Start() {
  gauges_->Start();
  if (!run_workers_) return;
  share_->Start();
  intake_->Start();
  dispatcher_->Start();
  sweeper_->Start();
}

void NotificationApp::Stop() {
  hub_->Shutdown();
  intake_->Stop();
  dispatcher_->Stop();
  share_->Stop();  // after the work in hand: the others take over at their next beat
  sweeper_->Stop();
  gauges_->Stop();
}

}  // namespace dermaflow::notification
