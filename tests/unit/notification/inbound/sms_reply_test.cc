// SMS replies, the pure part: which words confirm or cancel, the provider's
// form encoding, and both signatures (Twilio's documented example; the
// webhook's HMAC computed independently).
#include "services/notification/inbound/sms_reply.h"

#include "gtest/gtest.h"

namespace dermaflow::notification {
namespace {

TEST(SmsReplyTest, GermanAndEnglishWordsConfirmOrCancel) {
  for (const char* text : {"JA", "ja", "Ja!", " ja, gerne", "J", "yes", "Y", "ok", "1",
                           "Bestätigen", "BESTÄTIGEN", "confirm"}) {
    EXPECT_EQ(IntentOf(text), ReplyIntent::kConfirm) << text;
  }
  for (const char* text : {"NEIN", "nein danke", "Nein, leider nicht", "n", "No.", " no! ", "C",
                           "cancel", "Absagen", "storno", "2"}) {
    EXPECT_EQ(IntentOf(text), ReplyIntent::kCancel) << text;
  }
  for (const char* text : {"", "   ", "STOP", "vielleicht", "jawohl", "nope", "Danke!", "?",
                           "No problem, see you then", "No worries", "C u tomorrow", "2 Uhr?"}) {
    EXPECT_EQ(IntentOf(text), ReplyIntent::kNone) << text;
  }
}

TEST(SmsReplyTest, ParsesAFormPost) {
  const auto form = ParseForm("From=%2B4917612345678&Body=Ja+gerne%21&To=&Empty&Body=Nein");
  EXPECT_EQ(form.at("From"), "+4917612345678");
  EXPECT_EQ(form.at("Body"), "Nein");  // the last of a repeated key
  EXPECT_EQ(form.at("To"), "");
  EXPECT_EQ(form.at("Empty"), "");
  EXPECT_EQ(ParseForm("Body=%zz%4").at("Body"), "%zz%4");  // bad escapes stay as they are
}

TEST(SmsReplyTest, TwilioSignatureOfTheDocumentedExample) {
  const std::map<std::string, std::string> form = {{"CallSid", "CA1234567890ABCDE"},
                                                   {"Caller", "+12349013030"},
                                                   {"Digits", "1234"},
                                                   {"From", "+12349013030"},
                                                   {"To", "+18005551212"}};
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  EXPECT_TRUE(TwilioSignatureValid("12345", url, form, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(TwilioSignatureValid("12346", url, form, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(TwilioSignatureValid("12345", url + "x", form, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  auto altered = form;
  altered["Digits"] = "1235";
  EXPECT_FALSE(TwilioSignatureValid("12345", url, altered, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(TwilioSignatureValid("", url, form, ""));
}

TEST(SmsReplyTest, WebhookSignatureIsTheBodysHmac) {
  const std::string body = "From=%2B4917612345678&Body=Ja";
  const std::string signature =
      "sha256=2691343a1091d84aadf004eda594ba32af46e239b71b2e21b764ef8e6a713270";
  EXPECT_TRUE(WebhookSignatureValid("whsecret", body, signature));
  EXPECT_FALSE(WebhookSignatureValid("whsecret", body + "&x=1", signature));
  EXPECT_FALSE(WebhookSignatureValid("other", body, signature));
  EXPECT_FALSE(WebhookSignatureValid("whsecret", body, ""));
}

}  // namespace
}  // namespace dermaflow::notification
