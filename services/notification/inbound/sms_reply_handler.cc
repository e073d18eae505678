#include "services/notification/inbound/sms_reply_handler.h"

#include "common/logging/log.h"
#include "common/status/errors.h"
#include "services/notification/inbound/sms_reply.h"

namespace dermaflow::notification {

const char* OutcomeLabel(SmsReplyOutcome outcome) {
  switch (outcome) {
    case SmsReplyOutcome::kConfirmed:
      return "confirmed";
    case SmsReplyOutcome::kCancelled:
      return "cancelled";
    case SmsReplyOutcome::kNoAction:
      return "no_action";
    case SmsReplyOutcome::kUnknownSender:
      return "unknown_sender";
    case SmsReplyOutcome::kAlreadyUsed:
      return "already_used";
    case SmsReplyOutcome::kRefused:
      return "refused";
    case SmsReplyOutcome::kFailed:
      return "failed";
    case SmsReplyOutcome::kDuplicate:
      return "duplicate";
  }
  return "failed";
}

SmsReplyMetrics::SmsReplyMetrics(prometheus::Registry& registry)
    : replies(prometheus::BuildCounter()
                  .Name("dermaflow_sms_replies_total")
                  .Help("Inbound SMS replies by outcome (confirmed, cancelled, no_action, "
                        "unknown_sender, already_used, refused, failed, duplicate, bad_signature)")
                  .Register(registry)) {
  for (const char* outcome : {"confirmed", "cancelled", "no_action", "unknown_sender",
                              "already_used", "refused", "failed", "duplicate", "bad_signature"}) {
    replies.Add({{"outcome", outcome}});
  }
}

void SmsReplyMetrics::Count(std::string_view outcome) {
  replies.Add({{"outcome", std::string(outcome)}}).Increment();
}

void SmsReplyHandler::CountBadSignature() { metrics_.Count("bad_signature"); }

SmsReplyOutcome SmsReplyHandler::Handle(const std::string& from, const std::string& text,
                                        const std::string& message_id) {
  SmsReplyOutcome outcome = SmsReplyOutcome::kDuplicate;
  absl::StatusOr<bool> first = message_id.empty() ? true : book_.FirstPost(message_id);
  if (!first.ok()) {
    outcome = Failed(first.status());
  } else if (*first) {
    outcome = Act(from, text);
    // Let the provider's retry of a failed post through.
    if (outcome == SmsReplyOutcome::kFailed && !message_id.empty()) {
      book_.Forget(message_id).IgnoreError();
    }
  }
  metrics_.Count(OutcomeLabel(outcome));
  return outcome;
}

SmsReplyOutcome SmsReplyHandler::Failed(const absl::Status& error) {
  std::lock_guard<std::mutex> lock(log_mu_);
  if (std::optional<int64_t> suppressed = failures_.ShouldLog(absl::Now())) {
    common::LogError("an SMS reply could not be acted on; the provider may retry",
                     {{"error", std::string(error.message())},
                      {"code", absl::StatusCodeToString(error.code())},
                      {"suppressed", std::to_string(*suppressed)}});
  }
  return SmsReplyOutcome::kFailed;
}

SmsReplyOutcome SmsReplyHandler::Act(const std::string& from, const std::string& text) {
  auto failed = [this](const absl::Status& error) { return Failed(error); };
  absl::StatusOr<std::optional<SmsReplyTarget>> target = book_.Find(from);
  if (!target.ok()) return failed(target.status());
  if (!target->has_value()) return SmsReplyOutcome::kUnknownSender;
  const ReplyIntent intent = IntentOf(text);
  if (intent == ReplyIntent::kNone) return SmsReplyOutcome::kNoAction;
  const absl::Status done = perform_(intent == ReplyIntent::kConfirm ? (*target)->confirm_token
                                                                     : (*target)->cancel_token);
  if (done.ok()) {
    return intent == ReplyIntent::kConfirm ? SmsReplyOutcome::kConfirmed
                                           : SmsReplyOutcome::kCancelled;
  }
  if (common::ErrorInfoReason(done) == "ACTION_ALREADY_USED") return SmsReplyOutcome::kAlreadyUsed;
  switch (done.code()) {
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kNotFound:
      return SmsReplyOutcome::kRefused;
    default:
      return failed(done);
  }
}

}  // namespace dermaflow::notification
