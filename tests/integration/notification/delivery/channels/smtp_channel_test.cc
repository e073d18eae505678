// The SMTP channel against a real SMTP server (aiosmtpd) that requires
// STARTTLS and AUTH with a certificate from a throwaway CA: what arrives,
// decoded by Python's email package, and how each kind of refusal maps to
// retry or dead letter.
#include <fstream>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/delivery/channels/channel_errors.h"
#include "services/notification/delivery/channels/email_format.h"
#include "services/notification/delivery/channels/smtp_channel.h"
#include "services/notification/domain/idempotency_key.h"
#include "tests/support/smtp_test_server.h"
#include "tests/support/test_pki.h"

namespace dermaflow::notification {
namespace {

using ::dermaflow::testing::ReceivedMail;
using ::dermaflow::testing::SmtpTestServer;
using ::dermaflow::testing::SmtpTestTls;
using ::dermaflow::testing::TestCert;
using ::dermaflow::testing::TestPki;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr char kUser[] = "reminders@clinic.test";
constexpr char kPassword[] = "s3cret-Pässwort";
constexpr char kFrom[] = "Hautpraxis Müller <praxis@clinic.test>";

OutgoingMessage Aftercare(const std::string& address = "anna.mueller@example.org") {
  OutgoingMessage m;
  m.organization = "demo";
  m.reminder_id = "a1b2c3d4e5f60718";
  m.patient_id = "p-1";
  m.kind = v1::ReminderKind::REMINDER_KIND_AFTERCARE;
  m.channel = patient::v1::Channel::CHANNEL_EMAIL;
  m.address = address;
  m.locale = "de";
  m.subject = "Pflegehinweise nach Ihrer Behandlung: Kühlen, Arnika und keine Sauna";
  m.body =
      "Hallo Anna,\n\nnach Ihrer Behandlung heute: Kühlen Sie die Stellen mehrmals täglich, "
      "Arnika-Salbe hilft gegen Blutergüsse. Bitte 48 Stunden keine Sauna, kein Sport und "
      "12 Stunden kein Make-up.\n\nIhre Hautpraxis Müller\n";
  m.time = absl::FromCivil(absl::CivilSecond(2026, 3, 18, 10, 40, 0), absl::UTCTimeZone());
  return m;
}

class SmtpChannelTest : public ::testing::Test {
 protected:
  TestPki pki_;
  TestCert cert_ = pki_.Issue("smtp", {"localhost", "mail.clinic.test"}, {"127.0.0.1"});

  SmtpOptions Options(const SmtpTestServer& server) {
    return {.url = server.url(),
            .from = kFrom,
            .username = kUser,
            .password = kPassword,
            .ca_file = pki_.ca_file(),
            .timeout = absl::Seconds(10)};
  }
};

TEST_F(SmtpChannelTest, StartTlsAndAuthDeliverACorrectUtf8Message) {
  SmtpTestServer server({.cert = cert_, .user = kUser, .password = kPassword});
  SmtpChannel channel(Options(server));
  const OutgoingMessage m = Aftercare();
  ASSERT_TRUE(channel.Send(m).ok());
  ASSERT_TRUE(server.WaitForMessages(1, std::chrono::seconds(10)));
  const ReceivedMail mail = server.Messages()[0];

  EXPECT_TRUE(mail.tls);
  EXPECT_EQ(mail.auth_user, kUser);
  EXPECT_EQ(mail.mail_from, "praxis@clinic.test");
  EXPECT_THAT(mail.rcpt_to, ElementsAre("anna.mueller@example.org"));
  EXPECT_THAT(mail.defects, IsEmpty());
  EXPECT_EQ(mail.headers.at("date"), "Wed, 18 Mar 2026 10:40:00 +0000");
  EXPECT_EQ(mail.headers.at("message-id"),
            "<" + IdempotencyKey("demo", "a1b2c3d4e5f60718") + "@clinic.test>");
  EXPECT_EQ(mail.headers.at("from"), kFrom);
  EXPECT_EQ(mail.headers.at("subject"), m.subject);
  EXPECT_THAT(mail.raw_headers.at("subject"), StartsWith("=?UTF-8?B?"));
  EXPECT_EQ(mail.headers.at("auto-submitted"), "auto-generated");
  EXPECT_EQ(mail.headers.at("mime-version"), "1.0");
  EXPECT_THAT(mail.headers.at("content-type"), HasSubstr("text/plain"));
  EXPECT_THAT(mail.headers.at("content-type"), HasSubstr("UTF-8"));
  EXPECT_EQ(mail.headers.at("x-dermaflow-reminder-id"), m.reminder_id);
  EXPECT_EQ(mail.body, m.body);
  EXPECT_THAT(mail.body, HasSubstr("Arnika-Salbe"));
  EXPECT_THAT(mail.body, HasSubstr("Kühlen"));
  for (absl::string_view line : absl::StrSplit(mail.raw, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
  }
}

TEST_F(SmtpChannelTest, ARedeliveryIsTheSameMessage) {
  SmtpTestServer server({.cert = cert_, .user = kUser, .password = kPassword});
  SmtpChannel channel(Options(server));
  OutgoingMessage m = Aftercare();
  ASSERT_TRUE(channel.Send(m).ok());
  m.time += absl::Minutes(2);  // the retry after a lost acknowledgement
  ASSERT_TRUE(channel.Send(m).ok());
  OutgoingMessage other = Aftercare();
  other.reminder_id = "0f1e2d3c4b5a6978";  // another reminder, same patient and text
  ASSERT_TRUE(channel.Send(other).ok());
  ASSERT_TRUE(server.WaitForMessages(3, std::chrono::seconds(10)));
  const auto mails = server.Messages();
  EXPECT_EQ(mails[0].headers.at("message-id"), mails[1].headers.at("message-id"));
  EXPECT_NE(mails[0].headers.at("message-id"), mails[2].headers.at("message-id"));
}

TEST_F(SmtpChannelTest, ImplicitTlsWorks) {
  SmtpTestServer server(
      {.tls = SmtpTestTls::kImplicit, .cert = cert_, .user = kUser, .password = kPassword});
  ASSERT_THAT(server.url(), StartsWith("smtps://"));
  SmtpChannel channel(Options(server));
  const absl::Status sent = channel.Send(Aftercare());
  ASSERT_TRUE(sent.ok()) << sent << "\n" << server.ReadLog();
  ASSERT_TRUE(server.WaitForMessages(1, std::chrono::seconds(10)));
  EXPECT_TRUE(server.Messages()[0].tls);
}

TEST_F(SmtpChannelTest, ANonLoopbackServerGetsStartTlsWithoutBeingAskedAndItsNameIsVerified) {
  SmtpTestServer server({.cert = cert_});  // no AUTH: only the host decides TLS
  SmtpOptions options{
      .url = server.url_for("mail.clinic.test"),
      .from = kFrom,
      .ca_file = pki_.ca_file(),
      .resolve = {"mail.clinic.test:" + std::to_string(server.port()) + ":127.0.0.1"}};
  SmtpChannel channel(options);
  ASSERT_TRUE(channel.Send(Aftercare()).ok());
  ASSERT_TRUE(server.WaitForMessages(1, std::chrono::seconds(10)));
  EXPECT_TRUE(server.Messages()[0].tls);

  // The same server under a name its certificate does not carry.
  options.url = server.url_for("smtp.other.test");
  options.resolve = {"smtp.other.test:" + std::to_string(server.port()) + ":127.0.0.1"};
  SmtpChannel wrong_name(options);
  const absl::Status sent = wrong_name.Send(Aftercare());
  EXPECT_TRUE(IsTransientError(sent)) << sent;
  EXPECT_EQ(ChannelErrorInfoOf(sent).reason, ChannelErrorReason::kTls);
}

TEST_F(SmtpChannelTest, AServerWithoutStartTlsIsRefusedWhenTlsIsRequired) {
  SmtpTestServer plain({.tls = SmtpTestTls::kNone});
  // Non-loopback name: TLS required by default.
  SmtpChannel remote(
      {.url = plain.url_for("mail.clinic.test"),
       .from = kFrom,
       .resolve = {"mail.clinic.test:" + std::to_string(plain.port()) + ":127.0.0.1"}});
  const absl::Status sent = remote.Send(Aftercare());
  EXPECT_TRUE(IsTransientError(sent)) << sent;  // a configuration problem: keep the reminder
  EXPECT_EQ(ChannelErrorInfoOf(sent).reason, ChannelErrorReason::kTls);
  EXPECT_THAT(std::string(sent.message()), HasSubstr("STARTTLS"));
  // Loopback, but AUTH configured: the password never goes out in clear.
  SmtpChannel with_auth(
      {.url = plain.url(), .from = kFrom, .username = kUser, .password = kPassword});
  const absl::Status refused = with_auth.Send(Aftercare());
  EXPECT_EQ(ChannelErrorInfoOf(refused).reason, ChannelErrorReason::kTls) << refused;
  EXPECT_FALSE(plain.WaitForMessages(1, std::chrono::milliseconds(300)));

  // Loopback without AUTH (local runs, mail catchers): plaintext is allowed.
  SmtpChannel local({.url = plain.url(), .from = kFrom});
  ASSERT_TRUE(local.Send(Aftercare()).ok());
  ASSERT_TRUE(plain.WaitForMessages(1, std::chrono::seconds(10)));
  EXPECT_FALSE(plain.Messages()[0].tls);
}

TEST_F(SmtpChannelTest, AnUntrustedCertificateIsACertificateError) {
  SmtpTestServer server({.cert = cert_, .user = kUser, .password = kPassword});
  TestPki other_ca("some other CA");
  SmtpOptions options = Options(server);
  options.ca_file = other_ca.ca_file();
  SmtpChannel channel(options);
  const absl::Status sent = channel.Send(Aftercare());
  EXPECT_TRUE(IsTransientError(sent)) << sent;
  EXPECT_EQ(ChannelErrorInfoOf(sent).reason, ChannelErrorReason::kTls);
  EXPECT_THAT(std::string(sent.message()), HasSubstr("certificate"));
  EXPECT_FALSE(server.WaitForMessages(1, std::chrono::milliseconds(300)));
}

TEST_F(SmtpChannelTest, WrongPasswordIsAnAuthErrorThatIsRetried) {
  SmtpTestServer server({.cert = cert_, .user = kUser, .password = kPassword});
  SmtpOptions options = Options(server);
  options.password = "wrong";
  SmtpChannel channel(options);
  const absl::Status sent = channel.Send(Aftercare());
  EXPECT_TRUE(IsTransientError(sent)) << sent;
  EXPECT_EQ(ChannelErrorInfoOf(sent).reason, ChannelErrorReason::kAuth);
  EXPECT_THAT(std::string(sent.message()), HasSubstr("--smtp_password_file"));

  // No credentials at all for a server that demands them (530): also ours to fix.
  SmtpChannel anonymous({.url = server.url(), .from = kFrom, .ca_file = pki_.ca_file()});
  const absl::Status refused = anonymous.Send(Aftercare());
  EXPECT_TRUE(IsTransientError(refused)) << refused;
  EXPECT_EQ(ChannelErrorInfoOf(refused).reason, ChannelErrorReason::kAuth);
}

TEST_F(SmtpChannelTest, RecipientRefusalsMapToDeadLetterOrRetry) {
  SmtpTestServer server({.cert = cert_, .user = kUser, .password = kPassword});
  SmtpChannel channel(Options(server));
  const absl::Status rejected = channel.Send(Aftercare("reject.me@example.org"));
  EXPECT_FALSE(IsTransientError(rejected)) << rejected;
  EXPECT_EQ(ChannelErrorInfoOf(rejected).reason, ChannelErrorReason::kRejected);
  EXPECT_EQ(ChannelErrorInfoOf(rejected).transport_code, 550);
  EXPECT_THAT(std::string(rejected.message()), ::testing::Not(HasSubstr("reject.me")));

  const absl::Status deferred = channel.Send(Aftercare("defer.me@example.org"));
  EXPECT_TRUE(IsTransientError(deferred)) << deferred;
  EXPECT_EQ(ChannelErrorInfoOf(deferred).transport_code, 451);

  const absl::Status malformed = channel.Send(Aftercare("not an address"));
  EXPECT_FALSE(IsTransientError(malformed));
}

TEST_F(SmtpChannelTest, NoServerIsTransient) {
  SmtpChannel channel(
      {.url = "smtp://127.0.0.1:" + std::to_string(dermaflow::testing::PickFreePort()),
       .from = kFrom,
       .timeout = absl::Seconds(3)});
  const absl::Status sent = channel.Send(Aftercare());
  EXPECT_TRUE(IsTransientError(sent)) << sent;
  EXPECT_EQ(ChannelErrorInfoOf(sent).reason, ChannelErrorReason::kUnavailable);
}

}  // namespace
}  // namespace dermaflow::notification
