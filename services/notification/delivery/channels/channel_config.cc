#include "services/notification/delivery/channels/channel_config.h"

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::notification {

absl::StatusOr<SmsProvider> ParseSmsProvider(absl::string_view text) {
  if (text.empty() || text == "auto") return SmsProvider::kAuto;
  if (text == "log") return SmsProvider::kLog;
  if (text == "webhook") return SmsProvider::kWebhook;
  if (text == "twilio") return SmsProvider::kTwilio;
  return absl::InvalidArgumentError(
      absl::StrCat("--sms_provider: '", text, "' is not one of log, webhook, twilio"));
}

absl::string_view SmsProviderName(SmsProvider provider) {
  switch (provider) {
    case SmsProvider::kAuto:
      return "auto";
    case SmsProvider::kLog:
      return "log";
    case SmsProvider::kWebhook:
      return "webhook";
    case SmsProvider::kTwilio:
      return "twilio";
  }
  return "log";
}

SmsProvider ResolveSmsProvider(SmsProvider provider, const SmsWebhookOptions& webhook) {
  if (provider != SmsProvider::kAuto) return provider;
  return webhook.url.empty() ? SmsProvider::kLog : SmsProvider::kWebhook;
}

absl::Status CheckChannelConfig(const SmtpOptions& smtp, SmsProvider sms_provider,
                                const SmsWebhookOptions& webhook, const TwilioSmsOptions& twilio) {
  if (!smtp.url.empty()) {
    DF_RETURN_IF_ERROR(PlanSmtp(smtp).status());
  } else if (!smtp.username.empty() || !smtp.password.empty() || !smtp.ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--smtp_url: required when --smtp_user, --smtp_password_file or --smtp_ca_file is set");
  }
  switch (ResolveSmsProvider(sms_provider, webhook)) {
    case SmsProvider::kWebhook:
      if (webhook.url.empty()) {
        return absl::InvalidArgumentError("--sms_webhook_url: required for --sms_provider=webhook");
      }
      DF_RETURN_IF_ERROR(CheckHttpUrl("sms_webhook_url", webhook.url, /*allow_remote_http=*/true));
      if (webhook.secret.empty()) {
        return absl::InvalidArgumentError(
            "--sms_webhook_secret_file: required with --sms_webhook_url (requests are signed)");
      }
      return absl::OkStatus();
    case SmsProvider::kTwilio:
      return CheckTwilioOptions(twilio);
    default:
      return absl::OkStatus();
  }
}

std::unique_ptr<Channel> MakeEmailChannel(const SmtpOptions& smtp, ChannelErrorLog& errors) {
  if (smtp.url.empty()) return nullptr;
  return std::make_unique<ErrorReportingChannel>(std::make_unique<SmtpChannel>(smtp), errors);
}

std::unique_ptr<Channel> MakeSmsChannel(SmsProvider provider, const SmsWebhookOptions& webhook,
                                        const TwilioSmsOptions& twilio, ChannelErrorLog& errors) {
  const SmsProvider resolved = ResolveSmsProvider(provider, webhook);
  std::unique_ptr<Channel> channel;
  if (resolved == SmsProvider::kWebhook) {
    bool plain_http_remote = false;
    (void)CheckHttpUrl("sms_webhook_url", webhook.url, true, &plain_http_remote);
    if (plain_http_remote) {
      common::LogWarning(
          "sms: --sms_webhook_url is plain http to a non-loopback host: phone "
          "numbers and texts travel unencrypted");
    }
    channel = std::make_unique<SmsWebhookChannel>(webhook);
  } else if (resolved == SmsProvider::kTwilio) {
    channel = std::make_unique<TwilioSmsChannel>(twilio);
  }
  common::LogInfo("sms channel", {{"provider", std::string(SmsProviderName(resolved))}});
  if (!channel) return nullptr;
  return std::make_unique<ErrorReportingChannel>(std::move(channel), errors);
}

}  // namespace dermaflow::notification
