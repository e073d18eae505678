// The delivery channels main.cc configures from flags: which SMS provider is
// in effect, the start-up check of every channel's settings (each problem an
// InvalidArgument naming its flag, so the binary exits 2 with a clear line),
// and the channels built from them, wrapped so their errors are counted and
// logged (channel_errors.h).
//
//   DF_RETURN_IF_ERROR(CheckChannelConfig(smtp, SmsProvider::kTwilio, webhook, twilio));
//   std::unique_ptr<Channel> sms = MakeSmsChannel(SmsProvider::kTwilio, webhook, twilio, errors);
#pragma once

#include <memory>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/notification/delivery/channels/channel.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/delivery/channels/sms_webhook_channel.h"
#include "services/notification/delivery/channels/smtp_channel.h"
#include "services/notification/delivery/channels/twilio_sms_channel.h"

namespace dermaflow::notification {

enum class SmsProvider {
  kAuto,  // webhook when --sms_webhook_url is set, else log
  kLog,
  kWebhook,  // the clinic gateway's signed webhook (sms_webhook_channel.h)
  kTwilio,   // a Twilio-compatible Messages API (twilio_sms_channel.h)
};

// --sms_provider: "" (auto), "log", "webhook", "twilio".
absl::StatusOr<SmsProvider> ParseSmsProvider(absl::string_view text);
absl::string_view SmsProviderName(SmsProvider provider);

// The provider in effect (kAuto resolved).
SmsProvider ResolveSmsProvider(SmsProvider provider, const SmsWebhookOptions& webhook);

// Checks what the flags configure; the first problem as InvalidArgument
// whose message starts with the flag ("--smtp_url: ...").
absl::Status CheckChannelConfig(const SmtpOptions& smtp, SmsProvider sms_provider,
                                const SmsWebhookOptions& webhook, const TwilioSmsOptions& twilio);

// The e-mail channel, or nullptr (e-mail goes to the log channel) when
// smtp.url is empty.
std::unique_ptr<Channel> MakeEmailChannel(const SmtpOptions& smtp, ChannelErrorLog& errors);

// The SMS channel of the provider in effect, or nullptr for the log channel.
std::unique_ptr<Channel> MakeSmsChannel(SmsProvider provider, const SmsWebhookOptions& webhook,
                                        const TwilioSmsOptions& twilio, ChannelErrorLog& errors);

}  // namespace dermaflow::notification
