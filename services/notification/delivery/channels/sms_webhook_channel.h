// SMS through the clinic's SMS gateway: an HTTP POST of a JSON body to its
// webhook, signed with HMAC-SHA256 over the exact body bytes
// (`X-Dermaflow-Signature: sha256=<hex>`) so the gateway can check it came
// from us, and with `Idempotency-Key: <IdempotencyKey(org, reminder id)>` so
// it can drop a redelivered duplicate.
//
//   SmsWebhookChannel sms({.url = "https://sms.example/hook", .secret = secret});
//   sms.Send(message);
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/http/http_post.h"
#include "services/notification/delivery/channels/channel.h"
#include "services/notification/delivery/channels/http_answer.h"

namespace dermaflow::notification {

struct SmsWebhookOptions {
  std::string url;
  std::string secret;  // HMAC key; from --sms_webhook_secret_file
  absl::Duration timeout = absl::Seconds(10);
};

class SmsWebhookChannel : public Channel {
 public:
  explicit SmsWebhookChannel(SmsWebhookOptions options) : options_(std::move(options)) {}
  std::string name() const override { return "sms"; }
  // 2xx: sent. 408, 429, 5xx and connection trouble: UNAVAILABLE (retried);
  // 401/403 too (signature or key refused: a configuration problem).
  // Other answers: FAILED_PRECONDITION (dead letter).
  absl::Status Send(const OutgoingMessage& message) override;

 private:
  const SmsWebhookOptions options_;
  common::CurlHandles handles_;
};

// {"reminder_id":...,"organization":...,"to":...,"text":...,"locale":...,"kind":...}
std::string SmsWebhookBody(const OutgoingMessage& message);

}  // namespace dermaflow::notification
