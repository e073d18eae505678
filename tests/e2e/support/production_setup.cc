#include "tests/e2e/support/production_setup.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/jwks.h"
#include "common/auth/jwt_minter.h"
#include "tests/support/sms_reply_post.h"

namespace dermaflow::e2e {
namespace {

constexpr char kSmtpPassword[] = "smtp-app-password-e2e";

// A fresh key pair as the private PEM (what a Secret would hold).
std::string NewPrivateKeyPem(bool rsa) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"), &EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!key || !bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("cannot generate a key pair");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

common::JwsKey NewKey(bool rsa, const std::string& kid) {
  absl::StatusOr<common::JwsKey> key = common::PrivateKeyFromPem(NewPrivateKeyPem(rsa));
  if (!key.ok()) throw std::runtime_error(std::string(key.status().message()));
  key->kid = kid;  // identity providers name their keys as they like
  return *key;
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::trunc);
  out << contents;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

ProductionSetup::ProductionSetup()
    // Ten years: the suite's clock travels months ahead, and OpenSSL in the
    // services sees that clock.
    : pki_(std::make_unique<testing::TestPki>("dermaflow e2e CA", 3650)),
      idp_rsa_(NewKey(true, "idp-rsa-1")),
      idp_ec_(NewKey(false, "idp-ec-1")),
      idp_rotated_(NewKey(true, "idp-rsa-2")),
      rogue_(NewKey(true, "idp-rsa-9")) {
  for (const char* service : {"patient", "protocol", "scheduling", "notification"}) {
    service_certs_[service] =
        pki_->Issue(service, {absl::StrCat("dermaflow-", service)}, {"127.0.0.1"});
  }
  client_cert_ = pki_->Issue("reception-app", {"reception-app"});
  sms_reply_port_ = testing::PickFreePort();

  const std::string service_key_pem = NewPrivateKeyPem(false);
  service_private_key_file_ = dir_.path() + "/service.key";
  service_public_key_file_ = dir_.path() + "/service.pub";
  WriteFile(service_private_key_file_, service_key_pem);
  WriteFile(service_public_key_file_,
            *common::PublicKeyPem(*common::PrivateKeyFromPem(service_key_pem)));

  idp_ = std::make_unique<testing::StaticHttpsServer>(
      pki_->Issue("idp", {"idp.e2e.test"}, {"127.0.0.1"}));
  PublishJwks(/*rotated=*/false);

  smtp_password_file_ = dir_.path() + "/smtp-password";
  WriteFile(smtp_password_file_, std::string(kSmtpPassword) + "\n");
  smtp_ = std::make_unique<testing::SmtpTestServer>(
      testing::SmtpTestServerOptions{.tls = testing::SmtpTestTls::kStartTls,
                                     .cert = pki_->Issue("smtp", {"localhost"}, {"127.0.0.1"}),
                                     .user = kSmtpUser,
                                     .password = kSmtpPassword});
  sms_ = std::make_unique<testing::SmsProviderTestServer>();
  sms_token_file_ = dir_.path() + "/twilio-token";
  WriteFile(sms_token_file_, sms_->auth_token() + "\n");
}

ProductionSetup::~ProductionSetup() = default;

void ProductionSetup::PublishJwks(bool rotated) {
  std::vector<common::JwsKey> keys = {idp_rsa_, idp_ec_};
  if (rotated) keys.push_back(idp_rotated_);
  absl::StatusOr<std::string> jwks = common::JwksJson(keys);
  if (!jwks.ok()) throw std::runtime_error(std::string(jwks.status().message()));
  idp_->Publish("certs", *jwks);
}

void ProductionSetup::RotateIdentityProviderKey() { PublishJwks(/*rotated=*/true); }

std::vector<std::string> ProductionSetup::ServiceArgs(const std::string& service) const {
  const testing::TestCert& cert = service_certs_.at(service);
  std::vector<std::string> args = {
      "--auth=jwt",
      "--jwt_jwks_url=" + idp_->url("certs"),
      "--jwt_jwks_ca_file=" + pki_->ca_file(),
      "--jwt_jwks_min_refresh_interval=1s",
      absl::StrCat("--jwt_issuer=", kIssuer),
      absl::StrCat("--jwt_audience=", kAudience),
      absl::StrCat("--jwt_org_claim=", kOrgClaim),
      absl::StrCat("--jwt_roles_claim=", kRolesClaim),
      "--service_token_public_key_file=" + service_public_key_file_,
      "--tls_cert=" + cert.cert_file,
      "--tls_key=" + cert.key_file,
      "--tls_client_ca=" + pki_->ca_file(),
      "--tls_ca=" + pki_->ca_file(),
  };
  // The services that act on their own (notification's reminders,
  // scheduling's waitlist offers) sign with the private half, as deployed.
  if (service == "notification" || service == "scheduling") {
    args.push_back("--service_token_key_file=" + service_private_key_file_);
  }
  if (service == "notification") {
    for (const std::string& flag : {
             "--smtp_url=" + smtp_->url(),
             absl::StrCat("--smtp_user=", kSmtpUser),
             "--smtp_password_file=" + smtp_password_file_,
             "--smtp_ca_file=" + pki_->ca_file(),
             std::string("--smtp_from=Hautklinik Berlin <termine@klinik.example>"),
             std::string("--sms_provider=twilio"),
             "--sms_twilio_base_url=" + sms_->base_url(),
             "--sms_twilio_account_sid=" + sms_->account_sid(),
             "--sms_twilio_auth_token_file=" + sms_token_file_,
             absl::StrCat("--sms_from=", kSmsFrom),
             absl::StrCat("--sms_reply_listen=127.0.0.1:", sms_reply_port_),
             absl::StrCat("--sms_reply_public_url=", kSmsReplyUrl),
         }) {
      args.push_back(flag);
    }
  }
  return args;
}

long ProductionSetup::PostSmsReply(const std::string& from, const std::string& text) const {
  return testing::PostSmsReply(
      sms_reply_port_,
      {.auth_token = sms_->auth_token(), .public_url = kSmsReplyUrl, .from = from, .text = text});
}

std::shared_ptr<grpc::ChannelCredentials> ProductionSetup::ClientCredentials() const {
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = read(pki_->ca_file());
  options.pem_cert_chain = read(client_cert_.cert_file);
  options.pem_private_key = read(client_cert_.key_file);
  return grpc::SslCredentials(options);
}

const common::JwsKey& ProductionSetup::Key(IdpKey key) const {
  switch (key) {
    case IdpKey::kCurrentRsa:
      return idp_rsa_;
    case IdpKey::kEc:
      return idp_ec_;
    case IdpKey::kRotatedRsa:
      return idp_rotated_;
    case IdpKey::kUnknown:
      return rogue_;
  }
  return rogue_;
}

std::string ProductionSetup::MintToken(const std::vector<std::string>& roles,
                                       const std::string& organization, const std::string& subject,
                                       IdpKey key) const {
  std::string roles_json;
  for (const std::string& role : roles) {
    absl::StrAppend(&roles_json, roles_json.empty() ? "" : ",", "\"", role, "\"");
  }
  common::JwtClaims claims{
      .subject = subject,
      .issuer = kIssuer,
      .audience = kAudience,
      .expires_at = absl::Now() + absl::Hours(24 * 365 * 3),
      .issued_at = absl::Now(),
      .extra_claims_json = absl::StrCat(R"({")", kOrgClaim, R"(":")", organization,
                                        R"(","realm_access":{"roles":[)", roles_json, "]}}")};
  absl::StatusOr<std::string> token = common::MintJwt(claims, Key(key));
  if (!token.ok()) throw std::runtime_error(std::string(token.status().message()));
  return *token;
}

}  // namespace dermaflow::e2e
