#include "common/auth/service_token_source.h"

#include "common/auth/jwt_verifier.h"
#include "common/auth/key_source.h"
#include "common/clock/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common_auth/jwt_test_keys.h"

namespace dermaflow::common {
namespace {

using ::testing::ElementsAre;

class ServiceTokenSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::PemKeyPair pem = testing::GenerateEcKeyPair();
    key_ = *PrivateKeyFromPem(pem.private_pem);
    verifier_ = *JwtVerifier::Create(
        {.user_keys = std::make_shared<StaticKeySource>(std::vector<JwsKey>{}),
         .service_keys = std::make_shared<StaticKeySource>(*PublicKeysFromPem(pem.public_pem)),
         .clock = &clock_});
  }
  JwsKey key_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  std::unique_ptr<JwtVerifier> verifier_;
};

TEST_F(ServiceTokenSourceTest, MintsOneVerifiableTokenPerOrganization) {
  ServiceTokenSource tokens({.service = "notification", .key = key_}, clock_);
  absl::StatusOr<std::string> a = tokens.Token("clinic-a");
  absl::StatusOr<std::string> b = tokens.Token("clinic-b");
  ASSERT_TRUE(a.ok() && b.ok());
  absl::StatusOr<Caller> caller = verifier_->Verify(*a);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-a");
  EXPECT_EQ(caller->service, "notification");
  EXPECT_THAT(caller->roles, ElementsAre("service"));
  EXPECT_EQ(verifier_->Verify(*b)->organization, "clinic-b");
}

TEST_F(ServiceTokenSourceTest, ReusesATokenUntilAQuarterOfItsLifeIsLeft) {
  ServiceTokenSource tokens({.service = "notification", .key = key_, .lifetime = absl::Minutes(8)},
                            clock_);
  const std::string first = *tokens.Token("clinic-a");
  clock_.Advance(absl::Minutes(5));
  EXPECT_EQ(*tokens.Token("clinic-a"), first);
  clock_.Advance(absl::Minutes(1) + absl::Seconds(1));  // under 2 of 8 minutes left
  const std::string second = *tokens.Token("clinic-a");
  EXPECT_NE(second, first);
  EXPECT_TRUE(verifier_->Verify(second).ok());
}

TEST_F(ServiceTokenSourceTest, SendsNothingWithoutAKey) {
  ServiceTokenSource tokens({.service = "notification"}, clock_);
  EXPECT_FALSE(tokens.enabled());
  EXPECT_EQ(*tokens.Token("clinic-a"), "");
}

}  // namespace
}  // namespace dermaflow::common
