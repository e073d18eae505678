// What one SMS reply does: find the confirmation request the number was
// last sent (SmsReplyBook), read the answer (sms_reply.h) and perform the
// matching action token through scheduling's PatientActionService — the same
// path, replay ledger and audit as a link. Every reply is counted by
// outcome in dermaflow_sms_replies_total; a scheduling service that cannot
// be reached is logged (rate-limited, no phone number) and alerted on
// (DermaflowSmsRepliesFailing).
//
//   SmsReplyMetrics metrics(registry);
//   SmsReplyHandler handler(book, [&](const std::string& token) { return Perform(token); },
//                           metrics);
//   SmsReplyOutcome outcome = handler.Handle("+4917612345678", "Ja, gerne");
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "common/metrics/failure_log_limiter.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/notification/store/sms_reply_book.h"

namespace dermaflow::notification {

enum class SmsReplyOutcome {
  kConfirmed,
  kCancelled,
  kNoAction,       // words we do not act on
  kUnknownSender,  // no open confirmation request to that number
  kAlreadyUsed,    // answered before (a second "JA")
  kRefused,        // the appointment moved on (cancelled, started) or the link expired
  kFailed,         // scheduling or Redis unreachable: answered 503, the provider may retry
  kDuplicate,      // a post of this message id was handled before
};

// The outcome's label value: "confirmed", "unknown_sender", ...
const char* OutcomeLabel(SmsReplyOutcome outcome);

// dermaflow_sms_replies_total{outcome}, registered whether or not replies
// are received (so dashboards and the alert see a zero, not nothing).
struct SmsReplyMetrics {
  explicit SmsReplyMetrics(prometheus::Registry& registry);
  void Count(std::string_view outcome);

  prometheus::Family<prometheus::Counter>& replies;
};

class SmsReplyHandler {
 public:
  // PerformAction(token): PatientActionService.PerformAction's status.
  using PerformAction = std::function<absl::Status(const std::string& token)>;

  // `book` and `metrics` must outlive the handler.
  SmsReplyHandler(SmsReplyBook& book, PerformAction perform, SmsReplyMetrics& metrics)
      : book_(book), perform_(std::move(perform)), metrics_(metrics) {}

  // `message_id`: the provider's (Twilio's MessageSid); a post seen before
  // is a duplicate and does nothing. Empty: no replay check.
  SmsReplyOutcome Handle(const std::string& from, const std::string& text,
                         const std::string& message_id = "");
  // A post whose signature did not verify: counted, nothing else.
  void CountBadSignature();

 private:
  SmsReplyOutcome Act(const std::string& from, const std::string& text);
  SmsReplyOutcome Failed(const absl::Status& error);  // logs, rate-limited

  SmsReplyBook& book_;
  PerformAction perform_;
  SmsReplyMetrics& metrics_;
  std::mutex log_mu_;
  common::FailureLogLimiter failures_{absl::Seconds(30)};
};

}  // namespace dermaflow::notification
