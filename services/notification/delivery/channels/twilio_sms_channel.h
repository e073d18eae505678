// SMS through a Twilio-compatible Messages API: a form POST to
// {base}/2010-04-01/Accounts/{sid}/Messages.json with HTTP basic auth
// (account sid : auth token), the reminder's idempotency key
// (domain/idempotency_key.h) as `I-Twilio-Idempotency-Token` (Twilio's
// header) and `Idempotency-Key` (other Twilio-compatible providers') so a
// redelivered reminder is not sent twice, and the provider's answers mapped
// to retry or dead letter (see Send).
//
//   TwilioSmsChannel sms({.account_sid = "AC...", .auth_token = token,
//                         .from = "+4930901820"});
//   sms.Send(message);
#pragma once

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/http/http_post.h"
#include "services/notification/delivery/channels/channel.h"
#include "services/notification/delivery/channels/http_answer.h"

namespace dermaflow::notification {

struct TwilioSmsOptions {
  std::string base_url = "https://api.twilio.com";  // --sms_twilio_base_url
  std::string account_sid;                          // --sms_twilio_account_sid
  std::string auth_token;                           // from --sms_twilio_auth_token_file
  std::string from;                                 // --sms_from: E.164 sender, or
  std::string messaging_service_sid;                // --sms_twilio_messaging_service_sid
  absl::Duration timeout = absl::Seconds(10);
};

// Checks the options; InvalidArgument naming the flag. The base URL must be
// https:// unless it is a loopback test server (the token travels in it).
absl::Status CheckTwilioOptions(const TwilioSmsOptions& options);

class TwilioSmsChannel : public Channel {
 public:
  explicit TwilioSmsChannel(TwilioSmsOptions options) : options_(std::move(options)) {}
  std::string name() const override { return "sms"; }
  // 2xx: sent. 429, 5xx, 408 and network errors: UNAVAILABLE (retried).
  // 401/403: UNAVAILABLE too, reason auth, logged loudly ("SMS provider
  // refused credentials"): a configuration error must not dead-letter
  // patients' reminders. 400 with a provider code (21211 invalid To, 21610
  // unsubscribed, 21614 not a mobile, ...) and other 4xx:
  // FAILED_PRECONDITION (dead letter). The provider's message is never
  // logged (it can echo the number).
  absl::Status Send(const OutgoingMessage& message) override;

 private:
  const TwilioSmsOptions options_;
  common::CurlHandles handles_;
};

// "To=...&From=...&Body=..." (application/x-www-form-urlencoded, UTF-8).
std::string TwilioForm(const OutgoingMessage& message, const TwilioSmsOptions& options);

// The integer "code" of a Twilio JSON error body; 0 when absent.
int TwilioErrorCode(absl::string_view body);

// The provider's answer as a channel_errors.h error (OK for 2xx).
absl::Status MapTwilioAnswer(long http, int provider_code);

}  // namespace dermaflow::notification
