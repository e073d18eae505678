#include "services/notification/delivery/channels/email_format.h"

#include <openssl/evp.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

OutgoingMessage GermanAftercare() {
  OutgoingMessage m;
  m.organization = "demo";
  m.reminder_id = "0123456789abcdef";
  m.address = "anna.mueller@example.org";
  m.locale = "de";
  m.subject = "Pflegehinweise nach Ihrer Behandlung: Kühlen, Arnika, keine Sauna für 48 Stunden";
  m.body =
      "Hallo Anna,\nbitte kühlen Sie die Stellen und verwenden Sie Arnika-Salbe.\n"
      "Kein Make-up für 12 Stunden, keine Sauna.\n";
  m.time = absl::FromCivil(absl::CivilSecond(2026, 3, 18, 11, 40, 5), absl::UTCTimeZone());
  return m;
}

std::string Unbase64(std::string text) {
  text.erase(
      std::remove_if(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; }),
      text.end());
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  size_t pad = 0;
  while (pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  out.resize(n - pad);
  return out;
}

// Joins RFC 2047 words of one folded header value back into text.
std::string DecodeWords(const std::string& value) {
  std::string out;
  for (absl::string_view word :
       absl::StrSplit(value, absl::ByAnyChar(" \r\n"), absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StartsWith(word, "=?UTF-8?B?") && absl::EndsWith(word, "?=")) << word;
    EXPECT_LE(word.size(), 75u) << "an encoded word is at most 75 characters";
    out += Unbase64(std::string(word.substr(10, word.size() - 12)));
  }
  return out;
}

TEST(EmailFormatTest, HasTheRequiredHeaders) {
  const OutgoingMessage m = GermanAftercare();
  const std::string mail = FormatEmail(m, "Praxis Mitte <praxis@clinic.example>");
  EXPECT_THAT(mail, StartsWith("Date: Wed, 18 Mar 2026 11:40:05 +0000\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nFrom: Praxis Mitte <praxis@clinic.example>\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nTo: <anna.mueller@example.org>\r\n"));
  // The reminder's idempotency key (SHA-256 of "send/v1|4:demo|16:0123456789abcdef").
  EXPECT_THAT(
      mail, HasSubstr("\r\nMessage-ID: <df1-c12127be04f5ef6f8cd098e2a19a6395@clinic.example>\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nAuto-Submitted: auto-generated\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nX-Dermaflow-Reminder-Id: 0123456789abcdef\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nMIME-Version: 1.0\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nContent-Transfer-Encoding: base64\r\n"));
  EXPECT_THAT(mail, HasSubstr("\r\nContent-Language: de\r\n"));
}

TEST(EmailFormatTest, EveryLineFitsAndBodyIsCanonicalUtf8) {
  const OutgoingMessage m = GermanAftercare();
  const std::string mail = FormatEmail(m, "Praxis Mitte <praxis@clinic.example>");
  for (absl::string_view line : absl::StrSplit(mail, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
    EXPECT_EQ(line.find('\n'), absl::string_view::npos);
    for (unsigned char c : line) EXPECT_LT(c, 0x80) << "8-bit byte in: " << line;
  }
  const size_t split = mail.find("\r\n\r\n");
  ASSERT_NE(split, std::string::npos);
  const std::string body = Unbase64(mail.substr(split + 4));
  EXPECT_EQ(body,
            "Hallo Anna,\r\nbitte kühlen Sie die Stellen und verwenden Sie Arnika-Salbe.\r\n"
            "Kein Make-up für 12 Stunden, keine Sauna.\r\n");
}

TEST(EmailFormatTest, SameReminderSameMessageId) {
  OutgoingMessage first = GermanAftercare();
  OutgoingMessage redelivery = first;
  redelivery.time += absl::Minutes(5);
  EXPECT_EQ(EmailMessageId(first, "praxis@clinic.example"),
            EmailMessageId(redelivery, "praxis@clinic.example"));
  OutgoingMessage other = first;
  other.reminder_id = "fedcba9876543210";
  EXPECT_NE(EmailMessageId(first, "praxis@clinic.example"),
            EmailMessageId(other, "praxis@clinic.example"));
  EXPECT_EQ(EmailMessageId(first, "Dermaflow"),
            "<df1-c12127be04f5ef6f8cd098e2a19a6395@dermaflow.invalid>");
}

TEST(EncodeHeaderValueTest, AsciiStaysReadable) {
  EXPECT_EQ(EncodeHeaderValue("Subject", "Appointment reminder"), "Appointment reminder");
}

TEST(EncodeHeaderValueTest, NonAsciiBecomesFoldedEncodedWordsWithoutSplittingCharacters) {
  const std::string subject = GermanAftercare().subject;
  const std::string encoded = EncodeHeaderValue("Subject", subject);
  EXPECT_THAT(encoded, StartsWith("=?UTF-8?B?"));
  EXPECT_THAT(encoded, HasSubstr("\r\n "));  // folded: too long for one line
  size_t first_line = encoded.find("\r\n");
  EXPECT_LE(std::string("Subject: ").size() + first_line, 78u);
  EXPECT_EQ(DecodeWords(encoded), subject);
  // Each word decodes to whole UTF-8 characters on its own.
  for (absl::string_view word :
       absl::StrSplit(encoded, absl::ByAnyChar(" \r\n"), absl::SkipEmpty())) {
    const std::string part = Unbase64(std::string(word.substr(10, word.size() - 12)));
    ASSERT_FALSE(part.empty());
    EXPECT_NE(static_cast<unsigned char>(part[0]) & 0xC0, 0x80) << "word starts mid-character";
  }
  const std::string umlauts(200, 'x');
  std::string long_umlauts;
  for (int i = 0; i < 60; ++i) long_umlauts += "ü";
  EXPECT_EQ(DecodeWords(EncodeHeaderValue("Subject", long_umlauts)), long_umlauts);
  EXPECT_EQ(DecodeWords(EncodeHeaderValue("Subject", umlauts)), umlauts);  // long ASCII folds too
}

TEST(EncodeMailboxTest, EncodesOnlyANonAsciiDisplayName) {
  EXPECT_EQ(EncodeMailbox("Praxis Mitte <praxis@clinic.example>"),
            "Praxis Mitte <praxis@clinic.example>");
  EXPECT_EQ(EncodeMailbox("praxis@clinic.example"), "praxis@clinic.example");
  const std::string encoded = EncodeMailbox("Hautpraxis Müller <praxis@clinic.example>");
  EXPECT_THAT(encoded, StartsWith("=?UTF-8?B?"));
  EXPECT_THAT(encoded, HasSubstr(" <praxis@clinic.example>"));
  EXPECT_THAT(encoded, Not(HasSubstr("ü")));
}

}  // namespace
}  // namespace dermaflow::notification
