// The SMS channels against real HTTP servers on loopback: the
// Twilio-compatible channel against a Twilio-shaped provider, the signed
// webhook against the test gateway; answers mapped to retry or dead letter,
// and a refused credential logged loudly without the number or the text.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "services/notification/delivery/channels/channel_config.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/delivery/channels/sms_webhook_channel.h"
#include "services/notification/delivery/channels/twilio_sms_channel.h"
#include "services/notification/domain/idempotency_key.h"
#include "tests/integration/notification/test_sinks.h"
#include "tests/support/captured_stderr.h"
#include "tests/support/sms_provider_test_server.h"

namespace dermaflow::notification {
namespace {

using ::dermaflow::testing::CapturedStderr;
using ::dermaflow::testing::ProviderRequest;
using ::dermaflow::testing::SmsProviderTestServer;
using ::testing::HasSubstr;
using ::testing::Not;

OutgoingMessage Sms() {
  OutgoingMessage m;
  m.organization = "demo";
  m.reminder_id = "0f1e2d3c4b5a6978";
  m.patient_id = "p-1";
  m.kind = v1::ReminderKind::REMINDER_KIND_AFTERCARE;
  m.channel = patient::v1::Channel::CHANNEL_SMS;
  m.address = "+4915112345678";
  m.locale = "de";
  m.body = "Hallo Anna, bitte kühlen, Arnika auftragen, 48 h keine Sauna. Ihre Praxis";
  m.time = absl::Now();
  return m;
}

TwilioSmsOptions OptionsFor(const SmsProviderTestServer& provider) {
  return {.base_url = provider.base_url(),
          .account_sid = provider.account_sid(),
          .auth_token = provider.auth_token(),
          .from = "+4930901820",
          .timeout = absl::Seconds(5)};
}

TEST(TwilioSmsChannelTest, SendsTheFormWithBasicAuthAndIdempotencyToken) {
  SmsProviderTestServer provider;
  TwilioSmsChannel channel(OptionsFor(provider));
  ASSERT_TRUE(CheckTwilioOptions(OptionsFor(provider)).ok());
  const OutgoingMessage m = Sms();
  ASSERT_TRUE(channel.Send(m).ok());
  ASSERT_TRUE(channel.Send(m).ok());  // a redelivery: same token, the provider dedupes
  OutgoingMessage other = Sms();
  other.reminder_id = "a1b2c3d4e5f60718";  // another reminder, same patient and text
  ASSERT_TRUE(channel.Send(other).ok());
  ASSERT_TRUE(provider.WaitForRequests(3, std::chrono::seconds(5)));
  const ProviderRequest r = provider.Requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/2010-04-01/Accounts/" + provider.account_sid() + "/Messages.json");
  EXPECT_TRUE(r.auth_ok);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.form.at("To"), "+4915112345678");
  EXPECT_EQ(r.form.at("From"), "+4930901820");
  EXPECT_EQ(r.form.at("Body"), m.body);  // UTF-8 intact
  const std::string key = IdempotencyKey(m.organization, m.reminder_id);
  EXPECT_EQ(r.headers.at("i-twilio-idempotency-token"), key);
  EXPECT_EQ(r.headers.at("idempotency-key"), key);
  EXPECT_THAT(r.headers.at("content-type"), HasSubstr("application/x-www-form-urlencoded"));
  EXPECT_EQ(provider.Requests()[1].headers.at("i-twilio-idempotency-token"), key);
  EXPECT_EQ(provider.Requests()[1].headers.at("idempotency-key"), key);
  EXPECT_NE(provider.Requests()[2].headers.at("i-twilio-idempotency-token"), key);
  EXPECT_NE(provider.Requests()[2].headers.at("idempotency-key"), key);
}

TEST(TwilioSmsChannelTest, ARetryAfterAFailureCarriesTheSameKey) {
  SmsProviderTestServer provider;
  TwilioSmsChannel channel(OptionsFor(provider));
  const OutgoingMessage m = Sms();
  provider.FailNext(1, 500, 0);
  EXPECT_TRUE(IsTransientError(channel.Send(m)));
  ASSERT_TRUE(channel.Send(m).ok());
  ASSERT_TRUE(provider.WaitForRequests(2, std::chrono::seconds(5)));
  const std::vector<ProviderRequest> requests = provider.Requests();
  EXPECT_EQ(requests[0].status, 500);
  EXPECT_EQ(requests[1].status, 201);
  EXPECT_EQ(requests[0].headers.at("idempotency-key"), requests[1].headers.at("idempotency-key"));
  EXPECT_EQ(requests[0].headers.at("i-twilio-idempotency-token"),
            requests[1].headers.at("i-twilio-idempotency-token"));
}

TEST(TwilioSmsChannelTest, MessagingServiceInsteadOfSender) {
  SmsProviderTestServer provider;
  TwilioSmsOptions options = OptionsFor(provider);
  options.from.clear();
  options.messaging_service_sid = "MG0123456789abcdef0123456789abcdef";
  TwilioSmsChannel channel(options);
  ASSERT_TRUE(channel.Send(Sms()).ok());
  ASSERT_TRUE(provider.WaitForRequests(1, std::chrono::seconds(5)));
  EXPECT_EQ(provider.Requests()[0].form.at("MessagingServiceSid"), options.messaging_service_sid);
  EXPECT_EQ(provider.Requests()[0].form.count("From"), 0u);
}

TEST(TwilioSmsChannelTest, ThrottlingAndServerErrorsAreRetriedThenSucceed) {
  SmsProviderTestServer provider;
  TwilioSmsChannel channel(OptionsFor(provider));
  provider.FailNext(1, 429, 20429);
  const absl::Status throttled = channel.Send(Sms());
  EXPECT_TRUE(IsTransientError(throttled)) << throttled;
  EXPECT_EQ(ChannelErrorInfoOf(throttled).reason, ChannelErrorReason::kThrottled);
  provider.FailNext(1, 503, 0);
  EXPECT_TRUE(IsTransientError(channel.Send(Sms())));
  EXPECT_TRUE(channel.Send(Sms()).ok());  // the retry goes through
}

TEST(TwilioSmsChannelTest, InvalidNumberIsDeadLetteredWithoutLoggingTheNumber) {
  SmsProviderTestServer provider;
  TwilioSmsChannel channel(OptionsFor(provider));
  for (int code : {21211, 21610, 21614}) {
    provider.FailNext(1, 400, code);
    const absl::Status sent = channel.Send(Sms());
    EXPECT_FALSE(IsTransientError(sent)) << code << " " << sent;
    EXPECT_EQ(ChannelErrorInfoOf(sent).provider_code, code);
    EXPECT_EQ(ChannelErrorInfoOf(sent).transport_code, 400);
    // The provider's message echoes the number; ours never does.
    EXPECT_THAT(std::string(sent.message()), Not(HasSubstr("4915112345678")));
    EXPECT_THAT(std::string(sent.message()), HasSubstr(std::to_string(code)));
  }
}

TEST(TwilioSmsChannelTest, RefusedCredentialsAreRetriedAndLoggedLoudly) {
  SmsProviderTestServer provider;
  TwilioSmsOptions options = OptionsFor(provider);
  options.auth_token = "rotated-away";
  prometheus::Registry registry;
  common::FakeClock clock;
  ChannelErrorLog errors(registry, clock);
  ErrorReportingChannel channel(std::make_unique<TwilioSmsChannel>(options), errors);
  CapturedStderr captured;
  const absl::Status first = channel.Send(Sms());
  const absl::Status second = channel.Send(Sms());
  const std::string log = captured.Text();
  EXPECT_TRUE(IsTransientError(first)) << first;  // never dead-letter for our own config
  EXPECT_TRUE(IsTransientError(second));
  EXPECT_EQ(ChannelErrorInfoOf(first).reason, ChannelErrorReason::kAuth);
  EXPECT_EQ(ChannelErrorInfoOf(first).provider_code, 20003);
  ASSERT_TRUE(provider.WaitForRequests(2, std::chrono::seconds(5)));
  EXPECT_FALSE(provider.Requests()[0].auth_ok);
  EXPECT_THAT(log, HasSubstr("\"level\":\"error\""));
  EXPECT_THAT(log, HasSubstr("SMS provider refused credentials"));
  EXPECT_THAT(log, HasSubstr("\"status_code\":\"401\""));
  EXPECT_THAT(log, Not(HasSubstr("4915112345678")));
  EXPECT_THAT(log, Not(HasSubstr("Arnika")));
  EXPECT_THAT(log, Not(HasSubstr("rotated-away")));
  size_t lines = 0;
  for (char c : log) lines += c == '\n';
  EXPECT_EQ(lines, 1u) << "a burst logs once: " << log;
}

TEST(TwilioSmsChannelTest, NoProviderIsTransient) {
  TwilioSmsOptions options{
      .base_url = "http://127.0.0.1:" + std::to_string(dermaflow::testing::PickFreePort()),
      .account_sid = "AC1",
      .auth_token = "t",
      .from = "+4930901820",
      .timeout = absl::Seconds(2)};
  TwilioSmsChannel channel(options);
  const absl::Status sent = channel.Send(Sms());
  EXPECT_TRUE(IsTransientError(sent)) << sent;
}

TEST(SmsWebhookChannelTest, StillSignsAndMapsAnswers) {
  testing::HttpSink gateway;
  SmsWebhookChannel channel({.url = gateway.url(), .secret = "webhook-key"});
  const OutgoingMessage m = Sms();
  ASSERT_TRUE(channel.Send(m).ok());
  ASSERT_TRUE(gateway.WaitForCount(1, std::chrono::seconds(5)));
  const testing::HttpRequest r = gateway.requests()[0];
  EXPECT_EQ(r.headers.at("x-dermaflow-signature"),
            "sha256=" + testing::HmacSha256HexForTest("webhook-key", r.body));
  EXPECT_EQ(r.headers.at("idempotency-key"), IdempotencyKey(m.organization, m.reminder_id));
  EXPECT_EQ(testing::JsonField(r.body, "text"), m.body);
  gateway.set_status(401);
  EXPECT_EQ(ChannelErrorInfoOf(channel.Send(m)).reason, ChannelErrorReason::kAuth);
  EXPECT_TRUE(IsTransientError(channel.Send(m)));
  gateway.set_status(429);
  EXPECT_TRUE(IsTransientError(channel.Send(m)));
  gateway.set_status(422);
  EXPECT_FALSE(IsTransientError(channel.Send(m)));
}

TEST(MakeSmsChannelTest, PicksTheConfiguredProvider) {
  prometheus::Registry registry;
  common::FakeClock clock;
  ChannelErrorLog errors(registry, clock);
  SmsProviderTestServer provider;
  testing::HttpSink gateway;
  const SmsWebhookOptions webhook{.url = gateway.url(), .secret = "k"};
  auto twilio = MakeSmsChannel(SmsProvider::kTwilio, webhook, OptionsFor(provider), errors);
  ASSERT_NE(twilio, nullptr);
  ASSERT_TRUE(twilio->Send(Sms()).ok());
  EXPECT_TRUE(provider.WaitForRequests(1, std::chrono::seconds(5)));
  EXPECT_EQ(gateway.count(), 0u);
  auto automatic = MakeSmsChannel(SmsProvider::kAuto, webhook, {}, errors);
  ASSERT_NE(automatic, nullptr);
  ASSERT_TRUE(automatic->Send(Sms()).ok());
  EXPECT_EQ(gateway.count(), 1u);
  EXPECT_EQ(MakeSmsChannel(SmsProvider::kLog, webhook, {}, errors), nullptr);
}

}  // namespace
}  // namespace dermaflow::notification
