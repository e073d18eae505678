#include "services/notification/delivery/channels/smtp_config.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace dermaflow::notification {
namespace {

using ::testing::HasSubstr;

TEST(ParseSmtpUrlTest, AcceptsStartTlsAndImplicitTlsWithDefaultPorts) {
  auto submission = ParseSmtpUrl("smtp://mail.clinic.example");
  ASSERT_TRUE(submission.ok()) << submission.status();
  EXPECT_FALSE(submission->implicit_tls);
  EXPECT_EQ(submission->host, "mail.clinic.example");
  EXPECT_EQ(submission->port, 587);
  auto smtps = ParseSmtpUrl("SMTPS://mail.clinic.example");
  ASSERT_TRUE(smtps.ok());
  EXPECT_TRUE(smtps->implicit_tls);
  EXPECT_EQ(smtps->port, 465);
  auto explicit_port = ParseSmtpUrl("smtp://127.0.0.1:2525/");
  ASSERT_TRUE(explicit_port.ok());
  EXPECT_EQ(explicit_port->port, 2525);
  EXPECT_EQ(explicit_port->CurlUrl(), "smtp://127.0.0.1:2525");
  auto v6 = ParseSmtpUrl("smtps://[::1]:4650/clinic.example");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->ehlo_domain, "clinic.example");
  EXPECT_EQ(v6->CurlUrl(), "smtps://[::1]:4650/clinic.example");
}

TEST(ParseSmtpUrlTest, RejectsBadUrlsNamingTheFlag) {
  for (const char* bad :
       {"", "mail.example:587", "http://mail.example", "smtp://", "smtp://:587",
        "smtp://mail.example:", "smtp://mail.example:0", "smtp://mail.example:65536",
        "smtp://mail.example:58x7", "smtp://mail.example:5870000", "smtp://user:pw@mail.example",
        "smtp://mail example", "smtp://mail.example/?x=1", "smtp://[::1", "smtp://[nope]:25",
        "smtp://mail.example:587junk"}) {
    auto parsed = ParseSmtpUrl(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("--smtp_url")) << bad;
  }
}

TEST(IsLoopbackHostTest, KnowsLoopbackNamesAndAddresses) {
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("LOCALHOST"));
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.8.9.10"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("mail.example"));
  EXPECT_FALSE(IsLoopbackHost("localhost.evil.example"));
  EXPECT_FALSE(IsLoopbackHost("::2"));
}

SmtpOptions Options(const std::string& url) {
  return {.url = url, .from = "Praxis Mitte <praxis@clinic.example>"};
}

TEST(PlanSmtpTest, RemoteServerRequiresStartTls) {
  auto plan = PlanSmtp(Options("smtp://mail.clinic.example:587"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->tls, SmtpTls::kStartTls);
  EXPECT_FALSE(plan->plaintext_to_remote);
  EXPECT_EQ(plan->from_address, "praxis@clinic.example");
}

TEST(PlanSmtpTest, LoopbackIsPlaintextUnlessTlsIsAskedFor) {
  auto plain = PlanSmtp(Options("smtp://127.0.0.1:2525"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->tls, SmtpTls::kNone);

  SmtpOptions with_auth = Options("smtp://localhost:2525");
  with_auth.username = "reminders";
  with_auth.password = "s3cret";
  auto auth = PlanSmtp(with_auth);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->tls, SmtpTls::kStartTls);  // AUTH always over TLS
  EXPECT_TRUE(auth->auth);

  const std::string ca = ::testing::TempDir() + "/plan_smtp_ca.pem";
  std::ofstream(ca) << "-----BEGIN CERTIFICATE-----\n";
  SmtpOptions with_ca = Options("smtp://127.0.0.1:2525");
  with_ca.ca_file = ca;
  auto ca_plan = PlanSmtp(with_ca);
  ASSERT_TRUE(ca_plan.ok());
  EXPECT_EQ(ca_plan->tls, SmtpTls::kStartTls);

  auto implicit = PlanSmtp(Options("smtps://127.0.0.1:4650"));
  ASSERT_TRUE(implicit.ok());
  EXPECT_EQ(implicit->tls, SmtpTls::kImplicit);
}

TEST(PlanSmtpTest, InsecurePlaintextOnlyWithoutAuth) {
  SmtpOptions catcher = Options("smtp://mailpit:1025");
  catcher.insecure_plaintext = true;
  auto plan = PlanSmtp(catcher);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->tls, SmtpTls::kNone);
  EXPECT_TRUE(plan->plaintext_to_remote);

  catcher.username = "reminders";
  catcher.password = "s3cret";
  auto refused = PlanSmtp(catcher);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("--smtp_insecure_plaintext"));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("TLS"));
}

TEST(PlanSmtpTest, ConfigurationErrorsNameTheirFlag) {
  SmtpOptions no_password = Options("smtp://mail.example:587");
  no_password.username = "reminders";
  EXPECT_THAT(std::string(PlanSmtp(no_password).status().message()), HasSubstr("--smtp_user"));

  SmtpOptions no_user = Options("smtp://mail.example:587");
  no_user.password = "s3cret";
  EXPECT_THAT(std::string(PlanSmtp(no_user).status().message()), HasSubstr("--smtp_password_file"));

  SmtpOptions bad_from = Options("smtp://mail.example:587");
  bad_from.from = "Dermaflow";
  EXPECT_THAT(std::string(PlanSmtp(bad_from).status().message()), HasSubstr("--smtp_from"));

  SmtpOptions missing_ca = Options("smtp://mail.example:587");
  missing_ca.ca_file = "/nonexistent/ca.pem";
  EXPECT_THAT(std::string(PlanSmtp(missing_ca).status().message()), HasSubstr("--smtp_ca_file"));

  EXPECT_THAT(std::string(PlanSmtp(Options("smtp:/mail")).status().message()),
              HasSubstr("--smtp_url"));
}

TEST(BareAddressTest, TakesTheAngleAddress) {
  EXPECT_EQ(BareAddress("Praxis Mitte <praxis@clinic.example>"), "praxis@clinic.example");
  EXPECT_EQ(BareAddress(" praxis@clinic.example "), "praxis@clinic.example");
}

}  // namespace
}  // namespace dermaflow::notification
