#include "common/auth/authenticator.h"

#include <fstream>
#include <string>

#include "common/auth/jwt_minter.h"
#include "common/auth/no_auth_authenticator.h"
#include "common/auth/roles.h"
#include "common/clock/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/test/server_context_test_spouse.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/unit/common_auth/jwt_test_keys.h"

namespace dermaflow::common {
namespace {

using ::testing::HasSubstr;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-test-secret";
constexpr int64_t kNow = 1'800'000'000;

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream(path, std::ios::binary) << contents;
}

std::string ValidToken() {
  return *MintJwt({.organization = "clinic-a",
                   .subject = "u1",
                   .roles = {"admin"},
                   .expires_at = absl::FromUnixSeconds(kNow + 3600)},
                  JwtAlgorithm::kHs256, kSecret);
}

class JwtAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    secret_file_ = dir_.path() + "/hs256.key";
    WriteFile(secret_file_, std::string(kSecret) + "\n");  // as `echo` writes it
    auto auth =
        MakeAuthenticator({.mode = "jwt", .hs256_key_file = secret_file_, .clock = &clock_});
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
  }

  absl::StatusOr<Caller> AuthenticateWith(
      std::initializer_list<std::pair<std::string, std::string>> metadata) {
    grpc::ServerContext ctx;
    grpc::testing::ServerContextTestSpouse spouse(&ctx);
    for (const auto& [key, value] : metadata) spouse.AddClientMetadata(key, value);
    return auth_->Authenticate(ctx);
  }

  void ExpectUnauthenticated(std::initializer_list<std::pair<std::string, std::string>> metadata,
                             const std::string& message_part) {
    absl::StatusOr<Caller> caller = AuthenticateWith(metadata);
    ASSERT_FALSE(caller.ok());
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(std::string(caller.status().message()), HasSubstr(message_part));
  }

  dermaflow::testing::TempDir dir_;
  std::string secret_file_;
  FakeClock clock_{absl::FromUnixSeconds(kNow)};
  std::unique_ptr<Authenticator> auth_;
};

TEST_F(JwtAuthenticatorTest, AcceptsBearerToken) {
  absl::StatusOr<Caller> caller = AuthenticateWith({{"authorization", "Bearer " + ValidToken()}});
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-a");
  EXPECT_TRUE(caller->HasRole("admin"));
}

TEST_F(JwtAuthenticatorTest, AcceptsSchemeInAnyCase) {
  EXPECT_TRUE(AuthenticateWith({{"authorization", "bearer " + ValidToken()}}).ok());
  EXPECT_TRUE(AuthenticateWith({{"authorization", "BEARER  " + ValidToken()}}).ok());
}

TEST_F(JwtAuthenticatorTest, RejectsMissingAuthorization) {
  ExpectUnauthenticated({}, "missing authorization");
  ExpectUnauthenticated({{"x-other", "Bearer " + ValidToken()}}, "missing authorization");
}

TEST_F(JwtAuthenticatorTest, RejectsOtherSchemes) {
  ExpectUnauthenticated({{"authorization", ValidToken()}}, "Bearer");
  ExpectUnauthenticated({{"authorization", "Basic dXNlcjpwYXNz"}}, "Bearer");
  ExpectUnauthenticated({{"authorization", "Bearer"}}, "Bearer");
}

TEST_F(JwtAuthenticatorTest, RejectsEmptyToken) {
  ExpectUnauthenticated({{"authorization", "Bearer    "}}, "empty");
}

TEST_F(JwtAuthenticatorTest, RejectsRepeatedAuthorization) {
  ExpectUnauthenticated(
      {{"authorization", "Bearer " + ValidToken()}, {"authorization", "Bearer other"}}, "once");
}

TEST_F(JwtAuthenticatorTest, RejectsInvalidToken) {
  ExpectUnauthenticated({{"authorization", "Bearer not.a.token"}}, "malformed");
}

TEST(NoAuthAuthenticatorTest, EveryCallerIsTheDevOrganization) {
  auto auth = MakeAuthenticator({.mode = "none"});
  ASSERT_TRUE(auth.ok()) << auth.status();
  grpc::ServerContext ctx;
  absl::StatusOr<Caller> caller = (*auth)->Authenticate(ctx);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->organization, "demo");
  EXPECT_EQ(caller->subject, "dev");
  // Every role, so role checks stay on under --auth=none and pass.
  for (std::string_view role : kAllRoles) EXPECT_TRUE(caller->HasRole(role)) << role;

  // A token, even a bad one, changes nothing.
  grpc::ServerContext with_token;
  grpc::testing::ServerContextTestSpouse spouse(&with_token);
  spouse.AddClientMetadata("authorization", "Bearer junk");
  caller = (*auth)->Authenticate(with_token);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->organization, "demo");
}

TEST(NoAuthAuthenticatorTest, UsesTheConfiguredDevOrganization) {
  auto auth = MakeAuthenticator({.mode = "none", .dev_organization = "clinic-dev"});
  ASSERT_TRUE(auth.ok()) << auth.status();
  grpc::ServerContext ctx;
  EXPECT_EQ((*auth)->Authenticate(ctx)->organization, "clinic-dev");
}

TEST(MakeAuthenticatorTest, RejectsBadConfiguration) {
  dermaflow::testing::TempDir dir;
  WriteFile(dir.path() + "/short.key", "tooshort\n");
  WriteFile(dir.path() + "/not.pem", "hello");
  EXPECT_EQ(MakeAuthenticator({.mode = "ldap"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeAuthenticator({.mode = "jwt"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      MakeAuthenticator({.mode = "jwt", .hs256_key_file = dir.path() + "/missing"}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeAuthenticator({.mode = "jwt", .hs256_key_file = dir.path() + "/short.key"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeAuthenticator({.mode = "jwt", .rs256_public_key_file = dir.path() + "/not.pem"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MakeAuthenticatorTest, ReadsRs256PublicKeyFile) {
  dermaflow::testing::TempDir dir;
  testing::RsaKeyPair keys = testing::GenerateRsaKeyPair();
  WriteFile(dir.path() + "/public.pem", keys.public_pem);
  FakeClock clock(absl::FromUnixSeconds(kNow));
  auto auth = MakeAuthenticator(
      {.mode = "jwt", .rs256_public_key_file = dir.path() + "/public.pem", .clock = &clock});
  ASSERT_TRUE(auth.ok()) << auth.status();
  std::string token = *MintJwt(
      {.organization = "clinic-b", .subject = "u2", .expires_at = absl::FromUnixSeconds(kNow + 60)},
      JwtAlgorithm::kRs256, keys.private_pem);
  grpc::ServerContext ctx;
  grpc::testing::ServerContextTestSpouse spouse(&ctx);
  spouse.AddClientMetadata("authorization", "Bearer " + token);
  absl::StatusOr<Caller> caller = (*auth)->Authenticate(ctx);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-b");
}

}  // namespace
}  // namespace dermaflow::common
