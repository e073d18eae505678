// The cache of verified tokens: an entry lives until the token's exp (or the
// TTL), the cache stays within its bound, and a token whose key the identity
// provider removed is refused after the next JWKS load even though it was
// cached.
#include "common/auth/verified_token_cache.h"

#include <fstream>

#include "common/auth/jwks.h"
#include "common/auth/jwks_key_set.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/jwt_verifier.h"
#include "common/clock/clock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/unit/common_auth/jwt_test_keys.h"

namespace dermaflow::common {
namespace {

using ::dermaflow::common::testing::GenerateEcKeyPair;
using ::dermaflow::common::testing::GenerateRsaKeyPair;

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

VerifiedToken Verified(const std::string& subject, absl::Time expires_at) {
  VerifiedToken verified;
  verified.caller.organization = "clinic-a";
  verified.caller.subject = subject;
  verified.expires_at = expires_at;
  return verified;
}

TEST(VerifiedTokenCacheTest, EntryLivesUntilTheTokensExp) {
  VerifiedTokenCache cache({.max_entries = 10, .ttl = absl::Hours(1)});
  cache.Insert("token-a", Verified("a", kStart + absl::Seconds(60)), kStart);
  std::optional<VerifiedToken> before = cache.Find("token-a", kStart + absl::Seconds(59));
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->caller.subject, "a");
  EXPECT_FALSE(cache.Find("token-a", kStart + absl::Seconds(60)).has_value());
  EXPECT_EQ(cache.size(), 0u);  // the expired entry is dropped
  EXPECT_FALSE(cache.Find("token-b", kStart).has_value());
}

TEST(VerifiedTokenCacheTest, EntryLivesNoLongerThanTheTtl) {
  VerifiedTokenCache cache({.max_entries = 10, .ttl = absl::Minutes(5)});
  cache.Insert("token-a", Verified("a", kStart + absl::Hours(1)), kStart);
  EXPECT_TRUE(cache.Find("token-a", kStart + absl::Minutes(4)).has_value());
  EXPECT_FALSE(cache.Find("token-a", kStart + absl::Minutes(5)).has_value());
}

TEST(VerifiedTokenCacheTest, AlreadyExpiredTokensAreNotKept) {
  VerifiedTokenCache cache({.max_entries = 10, .ttl = absl::Minutes(5)});
  // Accepted within the verifier's leeway, but past exp: never cached.
  cache.Insert("token-a", Verified("a", kStart - absl::Seconds(1)), kStart);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerifiedTokenCacheTest, StaysWithinItsBoundDroppingTheLeastRecentlyUsed) {
  VerifiedTokenCache cache({.max_entries = 3, .ttl = absl::Hours(1)});
  const absl::Time exp = kStart + absl::Hours(1);
  cache.Insert("t1", Verified("1", exp), kStart);
  cache.Insert("t2", Verified("2", exp), kStart);
  cache.Insert("t3", Verified("3", exp), kStart);
  ASSERT_TRUE(cache.Find("t1", kStart).has_value());  // t2 is now the least recently used
  cache.Insert("t4", Verified("4", exp), kStart);
  cache.Insert("t5", Verified("5", exp), kStart);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.Find("t1", kStart).has_value());
  EXPECT_FALSE(cache.Find("t2", kStart).has_value());
  EXPECT_FALSE(cache.Find("t3", kStart).has_value());
  EXPECT_TRUE(cache.Find("t4", kStart).has_value());
  EXPECT_TRUE(cache.Find("t5", kStart).has_value());
}

TEST(VerifiedTokenCacheTest, SizeZeroKeepsNothing) {
  VerifiedTokenCache cache({.max_entries = 0});
  cache.Insert("t1", Verified("1", kStart + absl::Hours(1)), kStart);
  EXPECT_FALSE(cache.Find("t1", kStart).has_value());
}

// Through JwtVerifier, with a JWKS file the test rewrites as a provider
// rotating its keys, and a fake clock.
class CachingVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Publish({old_key_, new_key_});
    auto jwks = JwksKeySet::Create({.file = file_,
                                    .refresh_interval = absl::Minutes(10),
                                    .min_refresh_interval = absl::Seconds(30),
                                    .clock = &clock_});
    ASSERT_TRUE(jwks.ok()) << jwks.status();
    auto verifier = JwtVerifier::Create({.user_keys = *std::move(jwks),
                                         .leeway = absl::ZeroDuration(),
                                         .clock = &clock_,
                                         .cache = {.max_entries = 100, .ttl = absl::Hours(1)}});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = *std::move(verifier);
  }

  void Publish(const std::vector<JwsKey>& keys) { std::ofstream(file_) << *JwksJson(keys); }

  std::string Token(const JwsKey& key, absl::Time expires_at) {
    return *MintJwt({.organization = "clinic-a",
                     .subject = "reception-1",
                     .roles = {"reception"},
                     .expires_at = expires_at},
                    key);
  }

  static JwsKey Private(const std::string& pem) { return *PrivateKeyFromPem(pem); }

  dermaflow::testing::TempDir dir_;
  std::string file_ = dir_.path() + "/jwks.json";
  FakeClock clock_{kStart};
  JwsKey old_key_ = Private(GenerateRsaKeyPair().private_pem);
  JwsKey new_key_ = Private(GenerateEcKeyPair().private_pem);
  std::unique_ptr<JwtVerifier> verifier_;
};

TEST_F(CachingVerifierTest, ACachedTokenIsRefusedAtItsExp) {
  const std::string token = Token(old_key_, kStart + absl::Minutes(2));
  ASSERT_TRUE(verifier_->Verify(token).ok());
  EXPECT_EQ(verifier_->cached_tokens(), 1u);
  clock_.Advance(absl::Minutes(2) - absl::Seconds(1));
  absl::StatusOr<Caller> hit = verifier_->Verify(token);
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_EQ(hit->subject, "reception-1");
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(verifier_->Verify(token).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier_->cached_tokens(), 0u);
}

TEST_F(CachingVerifierTest, ATokenSignedByARemovedKeyIsRefusedAfterTheKeySetReloads) {
  const std::string old_token = Token(old_key_, kStart + absl::Hours(1));
  const std::string new_token = Token(new_key_, kStart + absl::Hours(1));
  ASSERT_TRUE(verifier_->Verify(old_token).ok());
  ASSERT_TRUE(verifier_->Verify(new_token).ok());
  ASSERT_EQ(verifier_->cached_tokens(), 2u);

  // The provider drops the old key; until the set reloads the cache may
  // still answer, as a verifier without a cache would.
  Publish({new_key_});
  clock_.Advance(absl::Minutes(1));
  EXPECT_TRUE(verifier_->Verify(old_token).ok());

  clock_.Advance(absl::Minutes(10));  // the next check starts the periodic reload
  // The reload runs on the key set's loader thread: refused once it is done.
  absl::StatusOr<Caller> refused = verifier_->Verify(old_token);
  for (int i = 0; i < 250 && refused.ok(); ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    refused = verifier_->Verify(old_token);
  }
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated) << refused.status();
  absl::StatusOr<Caller> kept = verifier_->Verify(new_token);
  EXPECT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(verifier_->cached_tokens(), 1u);
}

TEST_F(CachingVerifierTest, ForgedTokensAreNeverCached) {
  std::string token = Token(old_key_, kStart + absl::Hours(1));
  char& in_signature = token[token.size() - 10];  // not the last: its low bits are padding
  in_signature = in_signature == 'A' ? 'B' : 'A';
  EXPECT_EQ(verifier_->Verify(token).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier_->cached_tokens(), 0u);
}

}  // namespace
}  // namespace dermaflow::common
