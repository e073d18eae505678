#include "services/notification/delivery/channels/sms_webhook_channel.h"

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/domain/idempotency_key.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/webhook_signature.h"

namespace dermaflow::notification {
namespace {

std::string Quoted(const std::string& s) { return absl::StrCat("\"", common::JsonEscape(s), "\""); }

}  // namespace

std::string SmsWebhookBody(const OutgoingMessage& m) {
  return absl::StrCat("{\"reminder_id\":", Quoted(m.reminder_id),
                      ",\"organization\":", Quoted(m.organization), ",\"to\":", Quoted(m.address),
                      ",\"text\":", Quoted(m.body), ",\"locale\":", Quoted(m.locale),
                      ",\"kind\":", Quoted(KindLabel(m.kind)), "}");
}

absl::Status SmsWebhookChannel::Send(const OutgoingMessage& m) {
  if (m.address.empty()) {
    return ChannelError(absl::StatusCode::kFailedPrecondition, ChannelErrorReason::kRejected, 0,
                        "sms: phone number missing");
  }
  const std::string body = SmsWebhookBody(m);
  const common::HttpExchange answer = common::HttpPost(
      handles_,
      {.url = options_.url,
       .content_type = "application/json",
       .body = body,
       .headers = {absl::StrCat("X-Dermaflow-Signature: ", WebhookSignature(options_.secret, body)),
                   absl::StrCat("Idempotency-Key: ",
                                IdempotencyKey(m.organization, m.reminder_id))},
       .timeout = options_.timeout});
  return MapHttpAnswer("sms gateway", answer.code, answer.http);
}

}  // namespace dermaflow::notification
