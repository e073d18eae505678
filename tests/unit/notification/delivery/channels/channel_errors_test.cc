#include "services/notification/delivery/channels/channel_errors.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "tests/support/captured_stderr.h"

namespace dermaflow::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

double CounterValue(prometheus::Registry& registry, const std::string& channel,
                    const std::string& reason) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "dermaflow_channel_errors_total") continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> labels;
      for (const auto& l : metric.label) labels[l.name] = l.value;
      if (labels["channel"] == channel && labels["reason"] == reason) return metric.counter.value;
    }
  }
  return -1;
}

using dermaflow::testing::CapturedStderr;

TEST(ChannelErrorTest, CarriesReasonAndCodes) {
  absl::Status error = ChannelError(absl::StatusCode::kFailedPrecondition,
                                    ChannelErrorReason::kRejected, 400, "rejected", 21211);
  EXPECT_EQ(error.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(IsTransientError(error));
  const ChannelErrorInfo info = ChannelErrorInfoOf(error);
  EXPECT_EQ(info.reason, ChannelErrorReason::kRejected);
  EXPECT_EQ(info.transport_code, 400);
  EXPECT_EQ(info.provider_code, 21211);
  EXPECT_EQ(ReasonLabel(info.reason), "rejected");
}

TEST(ChannelErrorTest, PlainStatusGetsAReasonFromItsCode) {
  EXPECT_EQ(ChannelErrorInfoOf(absl::UnavailableError("x")).reason,
            ChannelErrorReason::kUnavailable);
  EXPECT_EQ(ChannelErrorInfoOf(absl::DeadlineExceededError("x")).reason,
            ChannelErrorReason::kTimeout);
  EXPECT_EQ(ChannelErrorInfoOf(absl::InvalidArgumentError("x")).reason,
            ChannelErrorReason::kRejected);
}

TEST(ChannelErrorLogTest, CountsEveryErrorAndLogsOncePerBurst) {
  prometheus::Registry registry;
  common::FakeClock clock;
  ChannelErrorLog log(registry, clock, absl::Seconds(30));
  EXPECT_EQ(CounterValue(registry, "sms", "auth"), 0);  // exported before the first error

  const absl::Status refused =
      ChannelError(absl::StatusCode::kUnavailable, ChannelErrorReason::kAuth, 401,
                   "SMS provider refused credentials (HTTP 401, code 20003)", 20003);
  CapturedStderr captured;
  EXPECT_TRUE(log.Report("sms", refused));
  for (int i = 0; i < 9; ++i) EXPECT_FALSE(log.Report("sms", refused));
  // Another reason of the same channel is its own burst.
  EXPECT_TRUE(log.Report("sms", ChannelError(absl::StatusCode::kUnavailable,
                                             ChannelErrorReason::kThrottled, 429, "throttled")));
  clock.Advance(absl::Seconds(31));
  EXPECT_TRUE(log.Report("sms", refused));
  const std::string text = captured.Text();

  EXPECT_EQ(CounterValue(registry, "sms", "auth"), 11);
  EXPECT_EQ(CounterValue(registry, "sms", "throttled"), 1);
  EXPECT_EQ(CounterValue(registry, "email", "auth"), 0);
  EXPECT_THAT(text, HasSubstr("\"level\":\"error\""));
  EXPECT_THAT(text, HasSubstr("SMS provider refused credentials"));
  EXPECT_THAT(text, HasSubstr("\"channel\":\"sms\""));
  EXPECT_THAT(text, HasSubstr("\"reason\":\"auth\""));
  EXPECT_THAT(text, HasSubstr("\"status_code\":\"401\""));
  EXPECT_THAT(text, HasSubstr("\"provider_code\":\"20003\""));
  EXPECT_THAT(text, HasSubstr("\"suppressed_since_last\":\"0\""));
  EXPECT_THAT(text, HasSubstr("\"suppressed_since_last\":\"9\""));
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 3u) << text;
}

class FailingChannel : public Channel {
 public:
  std::string name() const override { return "email"; }
  absl::Status Send(const OutgoingMessage&) override {
    return ChannelError(absl::StatusCode::kUnavailable, ChannelErrorReason::kTls, 0,
                        "smtp: TLS failed, server certificate not accepted");
  }
};

TEST(ErrorReportingChannelTest, PassesTheErrorOnAndReportsItWithoutTheAddress) {
  prometheus::Registry registry;
  common::FakeClock clock;
  ChannelErrorLog log(registry, clock);
  ErrorReportingChannel channel(std::make_unique<FailingChannel>(), log);
  EXPECT_EQ(channel.name(), "email");
  OutgoingMessage m;
  m.address = "anna.mueller@example.org";
  m.body = "Arnika";
  CapturedStderr captured;
  const absl::Status sent = channel.Send(m);
  const std::string text = captured.Text();
  EXPECT_TRUE(IsTransientError(sent));
  EXPECT_EQ(CounterValue(registry, "email", "tls"), 1);
  EXPECT_THAT(text, HasSubstr("certificate"));
  EXPECT_THAT(text, Not(HasSubstr("anna.mueller")));
  EXPECT_THAT(text, Not(HasSubstr("Arnika")));
}

}  // namespace
}  // namespace dermaflow::notification
