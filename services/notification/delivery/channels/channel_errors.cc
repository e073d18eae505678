#include "services/notification/delivery/channels/channel_errors.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"

namespace dermaflow::notification {
namespace {

constexpr char kPayloadUrl[] = "type.dermaflow.dev/notification.ChannelError";

constexpr ChannelErrorReason kReasons[] = {
    ChannelErrorReason::kTls,       ChannelErrorReason::kAuth,        ChannelErrorReason::kRejected,
    ChannelErrorReason::kThrottled, ChannelErrorReason::kUnavailable, ChannelErrorReason::kTimeout,
    ChannelErrorReason::kConfig};

absl::string_view LogMessage(ChannelErrorReason reason) {
  switch (reason) {
    case ChannelErrorReason::kAuth:
      return "delivery channel refused our credentials: a configuration error; reminders are "
             "retried, not sent, until it is fixed";
    case ChannelErrorReason::kTls:
      return "delivery channel TLS/certificate error: a configuration error; reminders are "
             "retried, not sent, until it is fixed";
    case ChannelErrorReason::kConfig:
      return "delivery channel misconfigured; reminders are retried, not sent";
    default:
      return "delivery channel error";
  }
}

}  // namespace

absl::string_view ReasonLabel(ChannelErrorReason reason) {
  switch (reason) {
    case ChannelErrorReason::kTls:
      return "tls";
    case ChannelErrorReason::kAuth:
      return "auth";
    case ChannelErrorReason::kRejected:
      return "rejected";
    case ChannelErrorReason::kThrottled:
      return "throttled";
    case ChannelErrorReason::kUnavailable:
      return "unavailable";
    case ChannelErrorReason::kTimeout:
      return "timeout";
    case ChannelErrorReason::kConfig:
      return "config";
  }
  return "unavailable";
}

absl::Status ChannelError(absl::StatusCode code, ChannelErrorReason reason, int transport_code,
                          absl::string_view message, int provider_code) {
  absl::Status status(code, std::string(message));
  status.SetPayload(kPayloadUrl, absl::Cord(absl::StrCat(static_cast<int>(reason), " ",
                                                         transport_code, " ", provider_code)));
  return status;
}

ChannelErrorInfo ChannelErrorInfoOf(const absl::Status& status) {
  ChannelErrorInfo info;
  auto payload = status.GetPayload(kPayloadUrl);
  if (payload) {
    std::vector<std::string> parts = absl::StrSplit(std::string(*payload), ' ');
    int reason = 0;
    if (parts.size() == 3 && absl::SimpleAtoi(parts[0], &reason) &&
        absl::SimpleAtoi(parts[1], &info.transport_code) &&
        absl::SimpleAtoi(parts[2], &info.provider_code) && reason >= 0 &&
        reason <= static_cast<int>(ChannelErrorReason::kConfig)) {
      info.reason = static_cast<ChannelErrorReason>(reason);
      return info;
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kDeadlineExceeded:
      info.reason = ChannelErrorReason::kTimeout;
      break;
    case absl::StatusCode::kResourceExhausted:
      info.reason = ChannelErrorReason::kThrottled;
      break;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kAborted:
      info.reason = ChannelErrorReason::kUnavailable;
      break;
    default:
      info.reason = ChannelErrorReason::kRejected;
  }
  return info;
}

ChannelErrorLog::ChannelErrorLog(prometheus::Registry& registry, const common::Clock& clock,
                                 absl::Duration interval)
    : errors_(prometheus::BuildCounter()
                  .Name("dermaflow_channel_errors_total")
                  .Help("Failed sends by delivery channel and reason (tls, auth, rejected, "
                        "throttled, unavailable, timeout, config)")
                  .Register(registry)),
      clock_(clock),
      interval_(interval) {
  for (const char* channel : {"email", "sms"}) {
    for (ChannelErrorReason reason : kReasons) {
      errors_.Add({{"channel", channel}, {"reason", std::string(ReasonLabel(reason))}});
    }
  }
}

bool ChannelErrorLog::Report(const std::string& channel, const absl::Status& error) {
  const ChannelErrorInfo info = ChannelErrorInfoOf(error);
  errors_.Add({{"channel", channel}, {"reason", std::string(ReasonLabel(info.reason))}})
      .Increment();
  const std::optional<int64_t> suppressed =
      LimiterFor(channel, info.reason).ShouldLog(clock_.Now());
  if (!suppressed) return false;
  const bool config_problem = info.reason == ChannelErrorReason::kAuth ||
                              info.reason == ChannelErrorReason::kTls ||
                              info.reason == ChannelErrorReason::kConfig;
  common::Log(config_problem ? common::LogLevel::kError : common::LogLevel::kWarning,
              std::string(LogMessage(info.reason)),
              {{"channel", channel},
               {"reason", std::string(ReasonLabel(info.reason))},
               {"status_code", std::to_string(info.transport_code)},
               {"provider_code", std::to_string(info.provider_code)},
               {"grpc_code", absl::StatusCodeToString(error.code())},
               {"error", std::string(error.message())},
               {"suppressed_since_last", std::to_string(*suppressed)}});
  return true;
}

common::FailureLogLimiter& ChannelErrorLog::LimiterFor(const std::string& channel,
                                                       ChannelErrorReason reason) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& limiter = limiters_[{channel, reason}];
  if (!limiter) limiter = std::make_unique<common::FailureLogLimiter>(interval_);
  return *limiter;
}

absl::Status ErrorReportingChannel::Send(const OutgoingMessage& message) {
  absl::Status status = child_->Send(message);
  if (!status.ok()) log_.Report(child_->name(), status);
  return status;
}

}  // namespace dermaflow::notification
