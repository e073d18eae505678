// Channel failures that nobody misses: each channel returns its error with a
// small fixed reason (tls, auth, rejected, ...) and the transport's own code
// (SMTP reply, HTTP status, provider error code) attached to the status;
// ErrorReportingChannel wraps a channel, counts every failure in
// `dermaflow_channel_errors_total{channel,reason}` and writes a JSON log line
// per burst: the first failure at once, then at most one line per channel
// and reason every 30 s carrying how many were suppressed. Never an address,
// a text or a provider's message (which can echo the phone number).
//
//   return ChannelError(absl::StatusCode::kUnavailable, ChannelErrorReason::kAuth, 401,
//                       "SMS provider refused credentials", 20003);
//   ChannelErrorLog log(registry, clock);
//   auto sms = std::make_unique<ErrorReportingChannel>(std::move(twilio), log);
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/metrics/failure_log_limiter.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/registry.h"
#include "services/notification/delivery/channels/channel.h"

namespace dermaflow::notification {

enum class ChannelErrorReason {
  kTls,          // handshake, certificate, STARTTLS missing: a configuration problem
  kAuth,         // credentials refused: a configuration problem
  kRejected,     // the server refused this message for good (dead letter)
  kThrottled,    // rate limited (429, SMTP 4xx "try later")
  kUnavailable,  // connection trouble, 5xx of an HTTP provider
  kTimeout,
  kConfig,  // our own configuration cannot work (e.g. a bad URL)
};

// The metric label: "tls", "auth", "rejected", "throttled", "unavailable",
// "timeout", "config".
absl::string_view ReasonLabel(ChannelErrorReason reason);

// A status with `code` (the dispatcher's retry decision, see IsTransientError)
// and the reason and codes attached as a payload. `message` must hold no
// address, text or provider message: it is logged and stored with the reminder.
absl::Status ChannelError(absl::StatusCode code, ChannelErrorReason reason, int transport_code,
                          absl::string_view message, int provider_code = 0);

struct ChannelErrorInfo {
  ChannelErrorReason reason = ChannelErrorReason::kUnavailable;
  int transport_code = 0;  // SMTP reply or HTTP status; 0 when none
  int provider_code = 0;   // e.g. Twilio's 21211; 0 when none
};
// The attached details; for a plain status, a reason derived from its code.
ChannelErrorInfo ChannelErrorInfoOf(const absl::Status& status);

// Counts and logs channel errors (thread-safe).
class ChannelErrorLog {
 public:
  ChannelErrorLog(prometheus::Registry& registry, const common::Clock& clock,
                  absl::Duration interval = absl::Seconds(30));

  // Counts the error; logs it unless a line for this channel and reason was
  // written less than `interval` ago. Returns whether it wrote a line.
  bool Report(const std::string& channel, const absl::Status& error);

 private:
  common::FailureLogLimiter& LimiterFor(const std::string& channel, ChannelErrorReason reason);

  prometheus::Family<prometheus::Counter>& errors_;
  const common::Clock& clock_;
  const absl::Duration interval_;
  std::mutex mu_;  // guards the map; each limiter locks itself
  std::map<std::pair<std::string, ChannelErrorReason>, std::unique_ptr<common::FailureLogLimiter>>
      limiters_;
};

// A channel whose failures go to a ChannelErrorLog; passes everything through.
class ErrorReportingChannel : public Channel {
 public:
  ErrorReportingChannel(std::unique_ptr<Channel> child, ChannelErrorLog& log)
      : child_(std::move(child)), log_(log) {}
  std::string name() const override { return child_->name(); }
  absl::Status Send(const OutgoingMessage& message) override;
  bool external() const override { return child_->external(); }

 private:
  std::unique_ptr<Channel> child_;
  ChannelErrorLog& log_;
};

}  // namespace dermaflow::notification
