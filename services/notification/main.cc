// dermaflow-notification: flags -> NotificationApp -> Serve.
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/auth/key_files.h"
#include "common/config/config_error.h"
#include "common/logging/log.h"
#include "common/replicas/tenant_share.h"
#include "common/server/server_flags.h"
#include "common/server/service_runtime.h"
#include "dermaflow/notification/v1/notification_service.grpc.pb.h"
#include "services/notification/notification_app.h"

ABSL_FLAG(std::string, patient_addr, "", "Patient service (host:port); empty: local mode");
ABSL_FLAG(std::string, protocol_addr, "", "Protocol service (host:port)");
ABSL_FLAG(std::string, smtp_url, "",
          "smtp://host:port (STARTTLS, required unless loopback) or smtps://host:port (implicit "
          "TLS); empty: e-mail is logged");
ABSL_FLAG(std::string, smtp_from, "Dermaflow <noreply@dermaflow.invalid>", "E-mail sender");
ABSL_FLAG(std::string, smtp_user, "", "SMTP AUTH user (optional; AUTH is only sent over TLS)");
ABSL_FLAG(std::string, smtp_password_file, "", "File holding the SMTP AUTH password");
ABSL_FLAG(std::string, smtp_ca_file, "", "PEM CA bundle for the SMTP server; empty: system CAs");
ABSL_FLAG(bool, smtp_insecure_plaintext, false,
          "Allow plaintext SMTP to a non-loopback server without AUTH (development only)");
ABSL_FLAG(std::string, sms_provider, "",
          "log | webhook | twilio; empty: webhook when --sms_webhook_url is set, else log");
ABSL_FLAG(std::string, sms_webhook_url, "", "SMS gateway webhook (provider webhook)");
ABSL_FLAG(std::string, sms_webhook_secret_file, "", "File holding the webhook's HMAC key");
ABSL_FLAG(std::string, sms_twilio_base_url, "https://api.twilio.com",
          "Twilio-compatible Messages API base URL");
ABSL_FLAG(std::string, sms_twilio_account_sid, "", "Twilio account SID (basic-auth user)");
ABSL_FLAG(std::string, sms_twilio_auth_token_file, "", "File holding the Twilio auth token");
ABSL_FLAG(std::string, sms_from, "", "SMS sender number (E.164) for provider twilio");
ABSL_FLAG(std::string, sms_twilio_messaging_service_sid, "",
          "Twilio Messaging Service SID (instead of --sms_from)");
ABSL_FLAG(std::string, sms_reply_listen, "",
          "Where SMS providers post patients' replies (host:port, POST /v1/sms/replies); "
          "empty: replies are not received");
ABSL_FLAG(std::string, sms_reply_public_url, "",
          "The reply URL as configured at the SMS provider (Twilio signs it)");
ABSL_FLAG(std::string, scheduling_addr, "",
          "Scheduling service (host:port): SMS replies confirm and cancel through it");
ABSL_FLAG(int, dispatch_batch_size, 200, "Reminders claimed per batch");
ABSL_FLAG(absl::Duration, claim_lease, absl::Seconds(10),
          "How long a claim stays exclusive without renewal (renewed every third of it while "
          "sending): a crashed replica's claims are taken over after at most this");
ABSL_FLAG(int, dispatch_workers, 8, "Parallel sends (the most a crash can resend)");
ABSL_FLAG(int, max_attempts, 6, "Delivery attempts before a reminder is dead-lettered");
ABSL_FLAG(absl::Duration, retry_base, absl::Seconds(30), "First retry delay (doubles, jittered)");
ABSL_FLAG(absl::Duration, retry_max, absl::Hours(1), "Longest retry delay");
ABSL_FLAG(absl::Duration, patient_cache_ttl, absl::Seconds(30),
          "How long patient preferences are reused");
ABSL_FLAG(absl::Duration, event_min_idle, absl::Seconds(10),
          "Events read but not acknowledged are reclaimed after this idle time (events in hand "
          "are kept fresh every third of it): a crashed replica's events come back after this");
ABSL_FLAG(absl::Duration, reminder_retention, absl::Hours(24 * 90),
          "How long delivered, suppressed, cancelled and dead-lettered reminders and their "
          "messages are kept (0: forever)");
ABSL_FLAG(absl::Duration, reminder_park_after, absl::Hours(48),
          "Scheduled reminders due at least this far ahead wait in per-day buckets instead of "
          "the due queue (less Redis memory); promoted into the queue half of it before their "
          "day starts (0: never park; at least 1h)");
ABSL_FLAG(absl::Duration, park_promote_interval, absl::Seconds(60),
          "How often each organization's parked reminders are checked for promotion (at most "
          "a quarter of --reminder_park_after)");
ABSL_FLAG(int, max_watchers, 256, "Concurrent WatchNotifications streams per replica");
ABSL_FLAG(int, max_watchers_per_org, 32,
          "Concurrent WatchNotifications streams per organization per replica");

namespace {
using dermaflow::common::ExitWithConfigError;

// A secret file's contents without trailing newlines; a named file that is
// missing or empty is a configuration error.
std::string SecretFile(const std::string& flag, const std::string& path) {
  if (path.empty()) return "";
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) ExitWithConfigError("--" + flag + ": unreadable or empty");
  return text;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace dermaflow::notification;  // NOLINT
  auto runtime = dermaflow::common::ServiceRuntime::Init(
      {.name = "notification",
       .default_port = 50054,
       .default_metrics_port = 9464,
       .api = v1::NotificationService::service_full_name(),
       .expensive_rpcs = {"ListReminders", "ListDeliveries", "ListDeadLetters"}},
      argc, argv);
  NotificationConfig config;
  config.patient_addr = absl::GetFlag(FLAGS_patient_addr);
  config.protocol_addr = absl::GetFlag(FLAGS_protocol_addr);
  config.smtp = {
      .url = absl::GetFlag(FLAGS_smtp_url),
      .from = absl::GetFlag(FLAGS_smtp_from),
      .username = absl::GetFlag(FLAGS_smtp_user),
      .password = SecretFile("smtp_password_file", absl::GetFlag(FLAGS_smtp_password_file)),
      .ca_file = absl::GetFlag(FLAGS_smtp_ca_file),
      .insecure_plaintext = absl::GetFlag(FLAGS_smtp_insecure_plaintext)};
  auto sms_provider = ParseSmsProvider(absl::GetFlag(FLAGS_sms_provider));
  if (!sms_provider.ok()) ExitWithConfigError(sms_provider.status());
  config.sms_provider = *sms_provider;
  config.sms = {
      absl::GetFlag(FLAGS_sms_webhook_url),
      SecretFile("sms_webhook_secret_file", absl::GetFlag(FLAGS_sms_webhook_secret_file))};
  config.twilio = {.base_url = absl::GetFlag(FLAGS_sms_twilio_base_url),
                   .account_sid = absl::GetFlag(FLAGS_sms_twilio_account_sid),
                   .auth_token = SecretFile("sms_twilio_auth_token_file",
                                            absl::GetFlag(FLAGS_sms_twilio_auth_token_file)),
                   .from = absl::GetFlag(FLAGS_sms_from),
                   .messaging_service_sid = absl::GetFlag(FLAGS_sms_twilio_messaging_service_sid)};
  if (absl::Status channels =
          CheckChannelConfig(config.smtp, config.sms_provider, config.sms, config.twilio);
      !channels.ok()) {
    ExitWithConfigError(channels);
  }
  // Intake and dispatch read patients and protocols with no person's token.
  config.service_tokens = runtime->service_token_options();
  config.patient_cache.ttl = absl::GetFlag(FLAGS_patient_cache_ttl);
  config.dispatcher.batch_size = absl::GetFlag(FLAGS_dispatch_batch_size);
  config.dispatcher.lease = absl::GetFlag(FLAGS_claim_lease);
  // Renewed every third: shorter would leave a renewal too little time.
  if (config.dispatcher.lease < absl::Seconds(1)) ExitWithConfigError("--claim_lease: at least 1s");
  config.dispatcher.workers = absl::GetFlag(FLAGS_dispatch_workers);
  config.dispatcher.max_attempts = absl::GetFlag(FLAGS_max_attempts);
  config.dispatcher.retry_base = absl::GetFlag(FLAGS_retry_base);
  config.dispatcher.retry_max = absl::GetFlag(FLAGS_retry_max);
  config.intake.consumer.consumer = dermaflow::common::ThisReplicaId("notification");
  config.intake.consumer.min_idle = absl::GetFlag(FLAGS_event_min_idle);
  if (config.intake.consumer.min_idle < absl::Seconds(1)) {
    ExitWithConfigError("--event_min_idle: at least 1s");
  }
  config.hub.max_watchers = absl::GetFlag(FLAGS_max_watchers);
  config.hub.max_watchers_per_org = absl::GetFlag(FLAGS_max_watchers_per_org);
  config.retention.retention = absl::GetFlag(FLAGS_reminder_retention);
  config.parking.park_after = absl::GetFlag(FLAGS_reminder_park_after);
  config.parking.interval = absl::GetFlag(FLAGS_park_promote_interval);
  if (config.parking.park_after != absl::ZeroDuration() &&
      config.parking.park_after < absl::Hours(1)) {
    ExitWithConfigError("--reminder_park_after: 0 (off) or at least 1h");
  }
  if (config.parking.interval < absl::Seconds(1) ||
      (config.parking.park_after > absl::ZeroDuration() &&
       config.parking.interval > config.parking.park_after / 4)) {
    ExitWithConfigError(
        "--park_promote_interval: at least 1s and at most a quarter of --reminder_park_after");
  }
  config.sms_replies = {.listen = absl::GetFlag(FLAGS_sms_reply_listen),
                        .public_url = absl::GetFlag(FLAGS_sms_reply_public_url),
                        .scheduling_addr = absl::GetFlag(FLAGS_scheduling_addr)};

  NotificationApp app(config, runtime->redis(), runtime->metrics().registry(),
                      runtime->authenticator(), runtime->clock(),
                      [&](const std::string& address) { return runtime->Connect(address); });
  app.Start();
  runtime->OnShutdown([&] { app.Stop(); });
  return runtime->Serve({&app.service()});
}
