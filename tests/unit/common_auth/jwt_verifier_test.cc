#include "common/auth/jwt_verifier.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/key_source.h"
#include "common/clock/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common_auth/jwt_test_keys.h"

namespace dermaflow::common {
namespace {

using ::dermaflow::common::testing::GenerateEcKeyPair;
using ::dermaflow::common::testing::GenerateRsaKeyPair;
using ::dermaflow::common::testing::HandSignedHs256;
using ::dermaflow::common::testing::PemKeyPair;
using ::dermaflow::common::testing::RsaKeyPair;
using ::dermaflow::common::testing::Unsigned;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-test-secret";
constexpr int64_t kNow = 1'800'000'000;
constexpr char kHs256Header[] = R"({"alg":"HS256","typ":"JWT"})";

class JwtVerifierTest : public ::testing::Test {
 protected:
  // Made on first use: most tests need no RSA key, and each ctest run is its
  // own process.
  static const RsaKeyPair& Rsa() {
    static const RsaKeyPair* keys = new RsaKeyPair(GenerateRsaKeyPair());
    return *keys;
  }
  static const RsaKeyPair& OtherRsa() {
    static const RsaKeyPair* keys = new RsaKeyPair(GenerateRsaKeyPair());
    return *keys;
  }

  // The verifier as MakeAuthenticator builds it from key files.
  struct Keys {
    std::string hs256_secret;
    std::string rs256_public_key_pem;
    std::string issuer;
    std::string audience;
    ClaimMapping claims;
    std::string service_public_key_pem;
  };
  std::unique_ptr<JwtVerifier> Verifier(const Keys& keys) {
    std::vector<JwsKey> user_keys;
    if (!keys.hs256_secret.empty()) user_keys.push_back(*Hs256Key(keys.hs256_secret));
    if (!keys.rs256_public_key_pem.empty()) {
      absl::StatusOr<std::vector<JwsKey>> pem_keys = PublicKeysFromPem(keys.rs256_public_key_pem);
      EXPECT_TRUE(pem_keys.ok()) << pem_keys.status();
      for (JwsKey& key : *pem_keys) user_keys.push_back(key);
    }
    std::shared_ptr<const KeySource> service_keys;
    if (!keys.service_public_key_pem.empty()) {
      service_keys =
          std::make_shared<StaticKeySource>(*PublicKeysFromPem(keys.service_public_key_pem));
    }
    auto verifier = JwtVerifier::Create({.user_keys = std::make_shared<StaticKeySource>(user_keys),
                                         .service_keys = service_keys,
                                         .issuer = keys.issuer,
                                         .audience = keys.audience,
                                         .claims = keys.claims,
                                         .clock = &clock_});
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return verifier.ok() ? *std::move(verifier) : nullptr;
  }
  std::unique_ptr<JwtVerifier> Hs256Verifier() { return Verifier({.hs256_secret = kSecret}); }
  std::unique_ptr<JwtVerifier> Rs256Verifier() {
    return Verifier({.rs256_public_key_pem = Rsa().public_pem});
  }

  static JwtClaims ValidClaims() {
    return JwtClaims{.organization = "clinic-a",
                     .subject = "user-17",
                     .roles = {"reception", "practitioner"},
                     .expires_at = absl::FromUnixSeconds(kNow + 3600)};
  }
  static std::string Mint(const JwtClaims& claims, JwtAlgorithm alg = JwtAlgorithm::kHs256,
                          const std::string& key = kSecret) {
    absl::StatusOr<std::string> token = MintJwt(claims, alg, key);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }
  static std::string ClaimsJson(const std::string& extra) {
    return absl::StrCat(R"({"org":"clinic-a","sub":"u1","exp":)", kNow + 3600, extra, "}");
  }

  // UNAUTHENTICATED, with a message that does not repeat the token.
  static void ExpectRejected(const JwtVerifier& verifier, const std::string& token,
                             const std::string& message_part) {
    absl::StatusOr<Caller> caller = verifier.Verify(token);
    ASSERT_FALSE(caller.ok());
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated) << caller.status();
    EXPECT_THAT(std::string(caller.status().message()), HasSubstr(message_part));
    if (token.size() > 8) {
      EXPECT_THAT(std::string(caller.status().message()), Not(HasSubstr(token.substr(0, 8))));
    }
  }

  FakeClock clock_{absl::FromUnixSeconds(kNow)};
};

TEST_F(JwtVerifierTest, AcceptsValidHs256Token) {
  absl::StatusOr<Caller> caller = Hs256Verifier()->Verify(Mint(ValidClaims()));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-a");
  EXPECT_EQ(caller->subject, "user-17");
  EXPECT_THAT(caller->roles, ElementsAre("reception", "practitioner"));
  EXPECT_TRUE(caller->HasRole("reception"));
  EXPECT_FALSE(caller->HasRole("admin"));
}

TEST_F(JwtVerifierTest, AcceptsValidRs256Token) {
  absl::StatusOr<Caller> caller =
      Rs256Verifier()->Verify(Mint(ValidClaims(), JwtAlgorithm::kRs256, Rsa().private_pem));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-a");
  EXPECT_EQ(caller->subject, "user-17");
}

TEST_F(JwtVerifierTest, AcceptsEachAlgorithmWithItsOwnKeyWhenBothAreConfigured) {
  auto verifier = Verifier({.hs256_secret = kSecret, .rs256_public_key_pem = Rsa().public_pem});
  EXPECT_TRUE(verifier->Verify(Mint(ValidClaims())).ok());
  EXPECT_TRUE(verifier->Verify(Mint(ValidClaims(), JwtAlgorithm::kRs256, Rsa().private_pem)).ok());
}

TEST_F(JwtVerifierTest, AcceptsTokenWithoutRoles) {
  JwtClaims claims = ValidClaims();
  claims.roles.clear();
  absl::StatusOr<Caller> caller = Hs256Verifier()->Verify(Mint(claims));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_TRUE(caller->roles.empty());
}

TEST_F(JwtVerifierTest, RejectsExpiredToken) {
  JwtClaims claims = ValidClaims();
  claims.expires_at = absl::FromUnixSeconds(kNow - 60);
  ExpectRejected(*Hs256Verifier(), Mint(claims), "expired");
}

TEST_F(JwtVerifierTest, AllowsSmallClockSkewOnExpiry) {
  JwtClaims claims = ValidClaims();
  claims.expires_at = absl::FromUnixSeconds(kNow - 10);
  EXPECT_TRUE(Hs256Verifier()->Verify(Mint(claims)).ok());
}

TEST_F(JwtVerifierTest, TokenExpiresAsTheClockMoves) {
  auto verifier = Hs256Verifier();
  std::string token = Mint(ValidClaims());
  EXPECT_TRUE(verifier->Verify(token).ok());
  clock_.Advance(absl::Hours(2));
  ExpectRejected(*verifier, token, "expired");
}

TEST_F(JwtVerifierTest, RejectsTokenWithoutExp) {
  JwtClaims claims = ValidClaims();
  claims.expires_at = absl::InfiniteFuture();
  ExpectRejected(*Hs256Verifier(), Mint(claims), "exp");
}

TEST_F(JwtVerifierTest, RejectsNonNumericExp) {
  std::string token =
      HandSignedHs256(kHs256Header, R"({"org":"clinic-a","sub":"u1","exp":"tomorrow"})", kSecret);
  ExpectRejected(*Hs256Verifier(), token, "exp");
}

TEST_F(JwtVerifierTest, RejectsNotYetValidToken) {
  JwtClaims claims = ValidClaims();
  claims.not_before = absl::FromUnixSeconds(kNow + 600);
  ExpectRejected(*Hs256Verifier(), Mint(claims), "not valid yet");
}

TEST_F(JwtVerifierTest, AcceptsTokenWhoseNotBeforeHasPassed) {
  JwtClaims claims = ValidClaims();
  claims.not_before = absl::FromUnixSeconds(kNow - 600);
  EXPECT_TRUE(Hs256Verifier()->Verify(Mint(claims)).ok());
}

TEST_F(JwtVerifierTest, RejectsTokenSignedWithAnotherSecret) {
  std::string token =
      Mint(ValidClaims(), JwtAlgorithm::kHs256, "another-secret-another-secret-another");
  ExpectRejected(*Hs256Verifier(), token, "signature");
}

TEST_F(JwtVerifierTest, RejectsTokenSignedWithAnotherRsaKey) {
  std::string token = Mint(ValidClaims(), JwtAlgorithm::kRs256, OtherRsa().private_pem);
  ExpectRejected(*Rs256Verifier(), token, "signature");
}

TEST_F(JwtVerifierTest, RejectsTamperedClaims) {
  std::string token = Mint(ValidClaims());
  size_t first_dot = token.find('.');
  size_t second_dot = token.find('.', first_dot + 1);
  std::string forged = token.substr(0, first_dot + 1) +
                       testing::Base64Url(R"({"org":"clinic-b","sub":"u1","exp":1900000000})") +
                       token.substr(second_dot);
  ExpectRejected(*Hs256Verifier(), forged, "signature");
}

TEST_F(JwtVerifierTest, RejectsHs256TokenWhenOnlyRs256IsConfigured) {
  ExpectRejected(*Rs256Verifier(), Mint(ValidClaims()), "HS256 is not accepted");
}

TEST_F(JwtVerifierTest, RejectsRs256TokenWhenOnlyHs256IsConfigured) {
  std::string token = Mint(ValidClaims(), JwtAlgorithm::kRs256, Rsa().private_pem);
  ExpectRejected(*Hs256Verifier(), token, "RS256 is not accepted");
}

// The classic algorithm confusion: an HS256 token whose HMAC key is the
// verifier's (public) RSA key.
TEST_F(JwtVerifierTest, RejectsHs256TokenSignedWithThePublicRsaKey) {
  std::string token = HandSignedHs256(kHs256Header, ClaimsJson(""), Rsa().public_pem);
  ExpectRejected(*Rs256Verifier(), token, "not accepted");
  auto both = Verifier({.hs256_secret = kSecret, .rs256_public_key_pem = Rsa().public_pem});
  ExpectRejected(*both, token, "signature");
}

TEST_F(JwtVerifierTest, RejectsAlgNone) {
  std::string token = Unsigned(R"({"alg":"none","typ":"JWT"})", ClaimsJson(""));
  ExpectRejected(*Hs256Verifier(), token, "");
  ExpectRejected(*Rs256Verifier(), token, "");
  // Same with a signature appended.
  ExpectRejected(*Hs256Verifier(), token + "c2ln", "");
}

TEST_F(JwtVerifierTest, RejectsUnsupportedAlgorithm) {
  std::string token = HandSignedHs256(R"({"alg":"HS512","typ":"JWT"})", ClaimsJson(""), kSecret);
  ExpectRejected(*Hs256Verifier(), token, "not accepted");
}

TEST_F(JwtVerifierTest, RejectsMalformedTokens) {
  auto verifier = Hs256Verifier();
  for (const std::string& token :
       {std::string("garbage"), std::string("a.b"), std::string("a.b.c"), std::string(".."),
        std::string("!!!.@@@.###"), testing::Base64Url("not json") + ".e30.c2ln",
        std::string(20000, 'a')}) {
    SCOPED_TRACE(token.substr(0, 40));
    ExpectRejected(*verifier, token, "");
  }
}

TEST_F(JwtVerifierTest, RejectsTokenWithoutOrg) {
  JwtClaims claims = ValidClaims();
  claims.organization.clear();
  ExpectRejected(*Hs256Verifier(), Mint(claims), "org");
}

TEST_F(JwtVerifierTest, RejectsInvalidOrg) {
  auto verifier = Hs256Verifier();
  for (const std::string& org : {std::string("clinic/a"), std::string("clinic a"),
                                 std::string("{clinic}"), std::string(65, 'a')}) {
    SCOPED_TRACE(org);
    JwtClaims claims = ValidClaims();
    claims.organization = org;
    ExpectRejected(*verifier, Mint(claims), "org");
  }
  std::string numeric_org = HandSignedHs256(
      kHs256Header, absl::StrCat(R"({"org":7,"sub":"u1","exp":)", kNow + 60, "}"), kSecret);
  ExpectRejected(*verifier, numeric_org, "org");
}

TEST_F(JwtVerifierTest, AcceptsLongestValidOrg) {
  JwtClaims claims = ValidClaims();
  claims.organization = std::string(64, 'Z');
  EXPECT_TRUE(Hs256Verifier()->Verify(Mint(claims)).ok());
}

TEST_F(JwtVerifierTest, RejectsTokenWithoutSub) {
  JwtClaims claims = ValidClaims();
  claims.subject.clear();
  ExpectRejected(*Hs256Verifier(), Mint(claims), "sub");
}

TEST_F(JwtVerifierTest, RejectsRolesThatAreNotAnArrayOfStrings) {
  auto verifier = Hs256Verifier();
  ExpectRejected(*verifier,
                 HandSignedHs256(kHs256Header, ClaimsJson(R"(,"roles":{"admin":true})"), kSecret),
                 "roles");
  ExpectRejected(*verifier,
                 HandSignedHs256(kHs256Header, ClaimsJson(R"(,"roles":["a",1])"), kSecret),
                 "roles");
}

TEST_F(JwtVerifierTest, ChecksIssuerWhenConfigured) {
  auto verifier = Verifier({.hs256_secret = kSecret, .issuer = "https://idp.example"});
  JwtClaims claims = ValidClaims();
  ExpectRejected(*verifier, Mint(claims), "issuer");
  claims.issuer = "https://evil.example";
  ExpectRejected(*verifier, Mint(claims), "issuer");
  claims.issuer = "https://idp.example";
  EXPECT_TRUE(verifier->Verify(Mint(claims)).ok());
}

TEST_F(JwtVerifierTest, ChecksAudienceWhenConfigured) {
  auto verifier = Verifier({.hs256_secret = kSecret, .audience = "dermaflow"});
  JwtClaims claims = ValidClaims();
  ExpectRejected(*verifier, Mint(claims), "audience");
  claims.audience = "billing";
  ExpectRejected(*verifier, Mint(claims), "audience");
  claims.audience = "dermaflow";
  EXPECT_TRUE(verifier->Verify(Mint(claims)).ok());
  // RFC 7519 also allows an array of audiences.
  EXPECT_TRUE(verifier
                  ->Verify(HandSignedHs256(
                      kHs256Header, ClaimsJson(R"(,"aud":["billing","dermaflow"])"), kSecret))
                  .ok());
  ExpectRejected(*verifier,
                 HandSignedHs256(kHs256Header, ClaimsJson(R"(,"aud":["billing"])"), kSecret),
                 "audience");
}

TEST_F(JwtVerifierTest, IgnoresIssuerAndAudienceWhenNotConfigured) {
  JwtClaims claims = ValidClaims();
  claims.issuer = "anyone";
  claims.audience = "anything";
  EXPECT_TRUE(Hs256Verifier()->Verify(Mint(claims)).ok());
}

TEST(JwtVerifierCreateTest, RejectsBadKeys) {
  EXPECT_EQ(JwtVerifier::Create({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Hs256Key("short").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PublicKeysFromPem("not a pem").status().code(), absl::StatusCode::kInvalidArgument);
  RsaKeyPair small = GenerateRsaKeyPair(1024);
  EXPECT_EQ(PublicKeysFromPem(small.public_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A private key where the public key belongs is a configuration mistake.
  EXPECT_EQ(PublicKeysFromPem(small.private_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Only P-256 for EC (ES256).
  EXPECT_EQ(PublicKeysFromPem(testing::GenerateEcKeyPair("P-384").public_pem).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(JwtVerifierTest, AcceptsEs256TokenAndRefusesAForgedOne) {
  static const PemKeyPair ec = GenerateEcKeyPair();
  auto verifier = Verifier({.rs256_public_key_pem = ec.public_pem});
  const std::string token = Mint(ValidClaims(), JwtAlgorithm::kEs256, ec.private_pem);
  // JWS ES256 signatures are raw R||S: 64 bytes, 86 base64url characters.
  EXPECT_EQ(token.size() - token.rfind('.') - 1, 86u);
  absl::StatusOr<Caller> caller = verifier->Verify(token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-a");
  const PemKeyPair other = GenerateEcKeyPair();
  ExpectRejected(*verifier, Mint(ValidClaims(), JwtAlgorithm::kEs256, other.private_pem),
                 "signature");
  // An ES256 header on an RSA-signed token finds no EC key to check it with.
  ExpectRejected(*verifier, Mint(ValidClaims(), JwtAlgorithm::kRs256, Rsa().private_pem),
                 "RS256 is not accepted");
}

TEST_F(JwtVerifierTest, ReadsOrganizationAndRolesWhereTheClaimMappingSays) {
  // Keycloak: nested realm_access.roles; Auth0: a namespaced claim whose
  // name itself contains dots.
  auto keycloak =
      Verifier({.hs256_secret = kSecret,
                .claims = {.organization = "tenant.id", .roles = "realm_access.roles"}});
  JwtClaims claims = ValidClaims();
  claims.organization.clear();
  claims.roles.clear();
  claims.extra_claims_json =
      R"({"tenant":{"id":"clinic-k"},"realm_access":{"roles":["practitioner","offline_access"]}})";
  absl::StatusOr<Caller> caller = keycloak->Verify(Mint(claims));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-k");
  EXPECT_THAT(caller->roles, ElementsAre("practitioner", "offline_access"));

  auto auth0 = Verifier({.hs256_secret = kSecret,
                         .claims = {.organization = "https://dermaflow.example/org",
                                    .roles = "https://dermaflow.example/roles"}});
  claims.extra_claims_json =
      R"({"https://dermaflow.example/org":"clinic-z","https://dermaflow.example/roles":"reception ops"})";
  caller = auth0->Verify(Mint(claims));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-z");
  EXPECT_THAT(caller->roles, ElementsAre("reception", "ops"));

  // The default claim names no longer count once mapped elsewhere.
  ExpectRejected(*keycloak, Mint(ValidClaims()), "tenant.id");
}

class ServiceTokenTest : public JwtVerifierTest {
 protected:
  static const PemKeyPair& ServiceKey() {
    static const PemKeyPair* keys = new PemKeyPair(GenerateEcKeyPair());
    return *keys;
  }
  std::unique_ptr<JwtVerifier> ProductionVerifier() {
    return Verifier({.rs256_public_key_pem = Rsa().public_pem,
                     .issuer = "https://idp.example",
                     .audience = "dermaflow",
                     .service_public_key_pem = ServiceKey().public_pem});
  }
  static std::string ServiceToken(const std::string& private_pem,
                                  const std::string& subject = "service:notification",
                                  const std::string& audience = "dermaflow-internal") {
    JwtClaims claims{.organization = "clinic-a",
                     .subject = subject,
                     .roles = {"service"},
                     .issuer = "dermaflow-service",
                     .audience = audience,
                     .expires_at = absl::FromUnixSeconds(kNow + 600)};
    absl::StatusOr<JwsKey> key = PrivateKeyFromPem(private_pem);
    EXPECT_TRUE(key.ok()) << key.status();
    absl::StatusOr<std::string> token = MintJwt(claims, *key);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }
};

TEST_F(ServiceTokenTest, ServiceKeySignedTokenNamesTheCallingService) {
  absl::StatusOr<Caller> caller =
      ProductionVerifier()->Verify(ServiceToken(ServiceKey().private_pem));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->organization, "clinic-a");
  EXPECT_EQ(caller->service, "notification");
  EXPECT_THAT(caller->roles, ElementsAre("service"));
}

TEST_F(ServiceTokenTest, IdentityProviderKeysCannotMakeServiceTokens) {
  // Signed by the IdP's key but claiming the service issuer: checked with the
  // service keys only, so refused.
  ExpectRejected(*ProductionVerifier(), ServiceToken(Rsa().private_pem), "not accepted");
  // And a person's token asking for the role "service" does not get it.
  JwtClaims claims = ValidClaims();
  claims.issuer = "https://idp.example";
  claims.audience = "dermaflow";
  claims.roles = {"reception", "service"};
  absl::StatusOr<Caller> caller =
      ProductionVerifier()->Verify(Mint(claims, JwtAlgorithm::kRs256, Rsa().private_pem));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_THAT(caller->roles, ElementsAre("reception"));
  EXPECT_TRUE(caller->service.empty());
}

TEST_F(ServiceTokenTest, RefusesServiceTokensThatAreNotQuiteRight) {
  auto verifier = ProductionVerifier();
  ExpectRejected(*verifier, ServiceToken(GenerateEcKeyPair().private_pem), "signature");
  ExpectRejected(*verifier, ServiceToken(ServiceKey().private_pem, "notification"), "sub");
  ExpectRejected(*verifier, ServiceToken(ServiceKey().private_pem, "service:Evil/1"), "sub");
  ExpectRejected(*verifier,
                 ServiceToken(ServiceKey().private_pem, "service:notification", "dermaflow"),
                 "audience");
  // Without service keys configured, no service token gets in.
  ExpectRejected(*Verifier({.rs256_public_key_pem = Rsa().public_pem}),
                 ServiceToken(ServiceKey().private_pem), "service tokens are not accepted");
}

TEST(JwtMinterTest, FailsWithAKeyThatDoesNotFitTheAlgorithm) {
  JwtClaims claims{.organization = "clinic-a", .subject = "u1"};
  EXPECT_FALSE(MintJwt(claims, JwtAlgorithm::kRs256, "not a pem").ok());
}

}  // namespace
}  // namespace dermaflow::common
