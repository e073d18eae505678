// The configuration a clinic chain deploys, for the end-to-end suite: every
// gRPC hop over TLS with client certificates (mTLS), people's tokens signed
// RS256/ES256 by a test identity provider whose JWKS is served over HTTPS
// (claims where Keycloak and Auth0 put them), an internal service-identity
// key pair (only notification and scheduling, which act on their own, hold
// the private half), e-mail over SMTP with
// STARTTLS and AUTH to a real server, SMS through a Twilio-shaped provider.
// Suite starts the services with ServiceArgs() when SuiteOptions::production.
//
//   ProductionSetup prod;
//   prod.ServiceArgs("notification");       // the flags a Helm install gives it
//   prod.MintToken({"reception"}, "org-1", "u1");
//   prod.RotateIdentityProviderKey();       // new kid in the JWKS
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/auth/jws_key.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/sms_provider_test_server.h"
#include "tests/support/smtp_test_server.h"
#include "tests/support/static_https_server.h"
#include "tests/support/test_pki.h"

namespace dermaflow::e2e {

class ProductionSetup {
 public:
  static constexpr char kIssuer[] = "https://idp.e2e.test/realms/clinics";
  static constexpr char kAudience[] = "dermaflow";
  static constexpr char kOrgClaim[] = "https://dermaflow.example/org";  // Auth0-style name
  static constexpr char kRolesClaim[] = "realm_access.roles";           // Keycloak's place
  static constexpr char kSmtpUser[] = "reminders@klinik.example";
  static constexpr char kSmsFrom[] = "+493012345678";
  // Where the SMS provider posts replies, as configured there (and signed).
  static constexpr char kSmsReplyUrl[] = "https://sms.e2e.test/v1/sms/replies";

  ProductionSetup();
  ~ProductionSetup();

  // Flags for dermaflow-<service> (TLS, JWKS, claims, service identity, and
  // for notification its SMTP and SMS provider).
  std::vector<std::string> ServiceArgs(const std::string& service) const;
  // mTLS credentials of a front-end client.
  std::shared_ptr<grpc::ChannelCredentials> ClientCredentials() const;

  enum class IdpKey { kCurrentRsa, kEc, kRotatedRsa, kUnknown };
  // A person's token as the identity provider issues it, signed by `key`.
  std::string MintToken(const std::vector<std::string>& roles, const std::string& organization,
                        const std::string& subject, IdpKey key = IdpKey::kCurrentRsa) const;
  // Publishes a JWKS that adds a new RSA key (kRotatedRsa) to the current ones.
  void RotateIdentityProviderKey();
  int JwksFetches() const { return idp_->Requests("/certs"); }

  // The port notification receives SMS replies on (127.0.0.1).
  int sms_reply_port() const { return sms_reply_port_; }
  // A reply from `from` saying `text`, posted as the provider would (form
  // and X-Twilio-Signature under its auth token); the HTTP status.
  long PostSmsReply(const std::string& from, const std::string& text) const;

  testing::SmtpTestServer& smtp() { return *smtp_; }
  testing::SmsProviderTestServer& sms() { return *sms_; }

 private:
  void PublishJwks(bool rotated);
  const common::JwsKey& Key(IdpKey key) const;

  testing::TempDir dir_;
  std::unique_ptr<testing::TestPki> pki_;
  testing::TestCert client_cert_;
  std::vector<std::string> service_names_;
  std::map<std::string, testing::TestCert> service_certs_;
  std::string service_public_key_file_;
  std::string service_private_key_file_;
  std::string smtp_password_file_;
  std::string sms_token_file_;
  int sms_reply_port_ = 0;
  common::JwsKey idp_rsa_, idp_ec_, idp_rotated_, rogue_;
  std::unique_ptr<testing::StaticHttpsServer> idp_;
  std::unique_ptr<testing::SmtpTestServer> smtp_;
  std::unique_ptr<testing::SmsProviderTestServer> sms_;
};

}  // namespace dermaflow::e2e
