// The SMS providers' pure parts (Twilio form and answer mapping) and the
// start-up check of all channel flags (channel_config.h).
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/delivery/channels/channel_config.h"
#include "services/notification/delivery/channels/twilio_sms_channel.h"

namespace dermaflow::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TwilioSmsOptions Twilio() {
  return {.account_sid = "AC0123456789abcdef0123456789abcdef",
          .auth_token = "token",
          .from = "+4930901820"};
}

TEST(TwilioFormTest, EncodesToFromAndUtf8Body) {
  OutgoingMessage m;
  m.address = "+4915112345678";
  m.body = "Kühlen & Arnika = gut?";
  EXPECT_EQ(
      TwilioForm(m, Twilio()),
      "To=%2B4915112345678&From=%2B4930901820&Body=K%C3%BChlen%20%26%20Arnika%20%3D%20gut%3F");
  TwilioSmsOptions service = Twilio();
  service.from.clear();
  service.messaging_service_sid = "MG123";
  EXPECT_THAT(TwilioForm(m, service), HasSubstr("&MessagingServiceSid=MG123&"));
  EXPECT_THAT(TwilioForm(m, service), Not(HasSubstr("From=")));
}

TEST(TwilioErrorCodeTest, ReadsTheCode) {
  EXPECT_EQ(TwilioErrorCode(R"({"code": 21211, "message": "The 'To' number +49 is not valid."})"),
            21211);
  EXPECT_EQ(TwilioErrorCode(R"({"code":21610,"status":400})"), 21610);
  EXPECT_EQ(TwilioErrorCode(R"({"message":"no code"})"), 0);
  EXPECT_EQ(TwilioErrorCode(R"({"code": null})"), 0);
  EXPECT_EQ(TwilioErrorCode("<html>Bad gateway</html>"), 0);
}

TEST(MapTwilioAnswerTest, RetryOrDeadLetter) {
  EXPECT_TRUE(MapTwilioAnswer(201, 0).ok());
  for (long transient : {429L, 500L, 502L, 503L, 408L}) {
    EXPECT_TRUE(IsTransientError(MapTwilioAnswer(transient, 0))) << transient;
  }
  const absl::Status refused = MapTwilioAnswer(401, 20003);
  EXPECT_TRUE(IsTransientError(refused));
  EXPECT_EQ(ChannelErrorInfoOf(refused).reason, ChannelErrorReason::kAuth);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("SMS provider refused credentials"));
  EXPECT_TRUE(IsTransientError(MapTwilioAnswer(403, 20003)));
  for (int code : {21211, 21610, 21614, 21408}) {
    const absl::Status dead = MapTwilioAnswer(400, code);
    EXPECT_FALSE(IsTransientError(dead)) << code;
    EXPECT_EQ(ChannelErrorInfoOf(dead).provider_code, code);
    EXPECT_EQ(ChannelErrorInfoOf(dead).reason, ChannelErrorReason::kRejected);
  }
  EXPECT_FALSE(IsTransientError(MapTwilioAnswer(404, 20404)));
  EXPECT_EQ(ChannelErrorInfoOf(MapTwilioAnswer(429, 20429)).reason, ChannelErrorReason::kThrottled);
}

TEST(CheckTwilioOptionsTest, NamesTheMissingFlag) {
  EXPECT_TRUE(CheckTwilioOptions(Twilio()).ok());
  auto message = [](TwilioSmsOptions o) { return std::string(CheckTwilioOptions(o).message()); };
  TwilioSmsOptions o = Twilio();
  o.account_sid.clear();
  EXPECT_THAT(message(o), HasSubstr("--sms_twilio_account_sid"));
  o = Twilio();
  o.auth_token.clear();
  EXPECT_THAT(message(o), HasSubstr("--sms_twilio_auth_token_file"));
  o = Twilio();
  o.from.clear();
  EXPECT_THAT(message(o), HasSubstr("--sms_from"));
  o = Twilio();
  o.messaging_service_sid = "MG1";
  EXPECT_THAT(message(o), HasSubstr("exactly one"));
  o = Twilio();
  o.from = "030 901820";
  EXPECT_THAT(message(o), HasSubstr("E.164"));
  o = Twilio();
  o.base_url = "http://api.twilio.com";
  EXPECT_THAT(message(o), HasSubstr("--sms_twilio_base_url"));
  o.base_url = "http://127.0.0.1:8080";  // a loopback test server may be plain http
  EXPECT_TRUE(CheckTwilioOptions(o).ok());
  o.base_url = "ftp://api.twilio.com";
  EXPECT_THAT(message(o), HasSubstr("--sms_twilio_base_url"));
}

TEST(SmsProviderTest, ParsesAndResolves) {
  EXPECT_EQ(*ParseSmsProvider(""), SmsProvider::kAuto);
  EXPECT_EQ(*ParseSmsProvider("twilio"), SmsProvider::kTwilio);
  EXPECT_EQ(*ParseSmsProvider("webhook"), SmsProvider::kWebhook);
  EXPECT_EQ(*ParseSmsProvider("log"), SmsProvider::kLog);
  EXPECT_THAT(std::string(ParseSmsProvider("nexmo").status().message()),
              HasSubstr("--sms_provider"));
  EXPECT_EQ(ResolveSmsProvider(SmsProvider::kAuto, {}), SmsProvider::kLog);
  EXPECT_EQ(ResolveSmsProvider(SmsProvider::kAuto, {.url = "https://sms.example/hook"}),
            SmsProvider::kWebhook);
  EXPECT_EQ(ResolveSmsProvider(SmsProvider::kTwilio, {.url = "https://sms.example/hook"}),
            SmsProvider::kTwilio);
}

TEST(CheckChannelConfigTest, EachProblemNamesItsFlag) {
  const SmtpOptions no_smtp;
  auto message = [](const absl::Status& s) { return std::string(s.message()); };
  EXPECT_TRUE(CheckChannelConfig(no_smtp, SmsProvider::kAuto, {}, {}).ok());
  EXPECT_THAT(message(CheckChannelConfig({.url = "ftp://mail"}, SmsProvider::kLog, {}, {})),
              HasSubstr("--smtp_url"));
  EXPECT_THAT(
      message(CheckChannelConfig({.username = "u", .password = "p"}, SmsProvider::kLog, {}, {})),
      HasSubstr("--smtp_url"));
  EXPECT_THAT(message(CheckChannelConfig(no_smtp, SmsProvider::kWebhook, {}, {})),
              HasSubstr("--sms_webhook_url"));
  EXPECT_THAT(message(CheckChannelConfig(no_smtp, SmsProvider::kWebhook,
                                         {.url = "https://sms.example/hook"}, {})),
              HasSubstr("--sms_webhook_secret_file"));
  EXPECT_THAT(message(CheckChannelConfig(no_smtp, SmsProvider::kAuto,
                                         {.url = "not a url", .secret = "k"}, {})),
              HasSubstr("--sms_webhook_url"));
  EXPECT_TRUE(CheckChannelConfig(no_smtp, SmsProvider::kWebhook,
                                 {.url = "https://sms.example/hook", .secret = "k"}, {})
                  .ok());
  EXPECT_THAT(message(CheckChannelConfig(no_smtp, SmsProvider::kTwilio, {}, {})),
              HasSubstr("--sms_twilio_account_sid"));
  EXPECT_TRUE(CheckChannelConfig(no_smtp, SmsProvider::kTwilio, {}, Twilio()).ok());
}

}  // namespace
}  // namespace dermaflow::notification
