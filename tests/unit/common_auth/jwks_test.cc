// JWKS parsing and the refreshing key set, with a fake clock and a JWKS file
// that the test rewrites as an identity provider rotates its keys.
#include "common/auth/jwks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "common/auth/jwks_key_set.h"
#include "common/auth/jws.h"
#include "common/auth/jwt_minter.h"
#include "common/clock/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/unit/common_auth/jwt_test_keys.h"

namespace dermaflow::common {
namespace {

using ::dermaflow::common::testing::GenerateEcKeyPair;
using ::dermaflow::common::testing::GenerateRsaKeyPair;
using ::testing::HasSubstr;

JwsKey Private(const std::string& pem) {
  absl::StatusOr<JwsKey> key = PrivateKeyFromPem(pem);
  EXPECT_TRUE(key.ok()) << key.status();
  return *key;
}

TEST(JwkThumbprintTest, MatchesRfc7638Example) {
  constexpr char kN[] =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
      "BJECPebWKRXjB"
      "ZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
      "FDW2QvzqY368QQMicAtaSqz"
      "s8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
      "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHa"
      "Q-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
  absl::StatusOr<std::shared_ptr<EVP_PKEY>> key = RsaPublicKeyFromJwk(kN, "AQAB");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*JwkThumbprint(key->get()), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(ParseJwksTest, ReadsRsaAndEcSigningKeysAndSkipsTheRest) {
  const JwsKey rsa = Private(GenerateRsaKeyPair().private_pem);
  const JwsKey ec = Private(GenerateEcKeyPair().private_pem);
  std::string rsa_jwk = *PublicJwkJson(rsa);
  std::string ec_jwk = *PublicJwkJson(ec);
  // What Keycloak publishes beside its signing key: an encryption key.
  std::string enc = rsa_jwk;
  enc.replace(enc.find(R"("use":"sig")"), 11, R"("use":"enc")");
  const std::string jwks =
      R"({"keys":[)" + rsa_jwk + "," + enc + "," + ec_jwk +
      R"(,{"kty":"oct","k":"c2VjcmV0"},{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]})";
  absl::StatusOr<std::vector<JwsKey>> keys = ParseJwks(jwks);
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kid, rsa.kid);
  EXPECT_EQ((*keys)[0].algorithm, JwsAlgorithm::kRs256);
  EXPECT_EQ((*keys)[1].kid, ec.kid);
  EXPECT_EQ((*keys)[1].algorithm, JwsAlgorithm::kEs256);

  // A key read from the JWKS checks what the private key signed.
  absl::StatusOr<std::string> token = SignCompactJws(ec, R"({"alg":"ES256"})", R"({"a":1})");
  ASSERT_TRUE(token.ok());
  absl::StatusOr<JwsParts> parts = SplitCompactJws(*token);
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(VerifyJwsSignature((*keys)[1], parts->signing_input, parts->signature));
  EXPECT_FALSE(VerifyJwsSignature((*keys)[0], parts->signing_input, parts->signature));
}

TEST(ParseJwksTest, RefusesWhatIsNotAJwks) {
  for (const char* bad : {"", "[]", R"({"keys":{}})", R"({"keys":[1]})",
                          R"({"keys":[{"kty":"RSA","n":"!!","e":"AQAB"}]})",
                          R"({"keys":[{"kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}]})"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseJwks(bad).status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(ParseJwks(R"({"keys":[]})")->empty());
}

class JwksKeySetTest : public ::testing::Test {
 protected:
  void Publish(const std::vector<JwsKey>& keys) { std::ofstream(file_) << *JwksJson(keys); }
  std::unique_ptr<JwksKeySet> Open() {
    absl::StatusOr<std::unique_ptr<JwksKeySet>> set = JwksKeySet::Create(
        {.file = file_, .clock = &clock_, .on_load = [this](const absl::Status& s, size_t) {
           (s.ok() ? loads_ok_ : loads_failed_)++;
         }});
    EXPECT_TRUE(set.ok()) << set.status();
    return set.ok() ? *std::move(set) : nullptr;
  }

  dermaflow::testing::TempDir dir_;
  std::string file_ = dir_.path() + "/jwks.json";
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  std::atomic<int> loads_ok_ = 0;  // counted on the key set's loader thread
  std::atomic<int> loads_failed_ = 0;
  JwsKey old_key_ = Private(GenerateEcKeyPair().private_pem);
  JwsKey new_key_ = Private(GenerateRsaKeyPair().private_pem);
};

TEST_F(JwksKeySetTest, PicksUpARotatedKeyOnItsFirstUnknownKid) {
  Publish({old_key_});
  auto set = Open();
  ASSERT_EQ(loads_ok_, 1);
  EXPECT_TRUE(set->Candidates(old_key_.kid, JwsAlgorithm::kEs256).ok());

  Publish({old_key_, new_key_});  // the provider rotates
  clock_.Advance(absl::Seconds(31));
  absl::StatusOr<std::vector<JwsKey>> found = set->Candidates(new_key_.kid, JwsAlgorithm::kRs256);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->front().kid, new_key_.kid);
  EXPECT_EQ(loads_ok_, 2);
}

TEST_F(JwksKeySetTest, UnknownKidsReloadAtMostOncePerMinimumInterval) {
  Publish({old_key_});
  auto set = Open();
  clock_.Advance(absl::Seconds(31));
  for (int i = 0; i < 50; ++i) {
    absl::StatusOr<std::vector<JwsKey>> found =
        set->Candidates("forged-" + std::to_string(i), JwsAlgorithm::kEs256);
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(std::string(found.status().message()), HasSubstr("no ES256 key with this kid"));
  }
  EXPECT_EQ(loads_ok_, 2);  // the first load and one reload, not 51
  clock_.Advance(absl::Seconds(31));
  EXPECT_FALSE(set->Candidates("forged-again", JwsAlgorithm::kEs256).ok());
  EXPECT_EQ(loads_ok_, 3);
}

TEST_F(JwksKeySetTest, RefreshesPeriodicallyAndKeepsKeysWhenALoadFails) {
  Publish({old_key_});
  auto set = Open();
  std::ofstream(file_) << "{ not json";
  clock_.Advance(absl::Minutes(11));
  // The periodic reload runs on the loader thread; the call goes on with the
  // key we have. The reload fails, the key keeps working and the failure counts.
  EXPECT_TRUE(set->Candidates(old_key_.kid, JwsAlgorithm::kEs256).ok());
  // An unknown kid within the minimum interval waits for that reload, no other.
  absl::StatusOr<std::vector<JwsKey>> unknown = set->Candidates(new_key_.kid, JwsAlgorithm::kRs256);
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("last load failed"));
  EXPECT_EQ(loads_failed_, 1);
  EXPECT_EQ(loads_ok_, 1);
}

// A listening socket that never answers: an HTTPS fetch from it hangs until
// its timeout.
struct HangingServer {
  HangingServer() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(fd, 16), 0);
    socklen_t length = sizeof(addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/jwks";
  }
  ~HangingServer() { close(fd); }

  // A key set on this provider: its first load times out (3 s), so it has no
  // keys, and every unknown kid waits up to `unknown_kid_wait` for a reload.
  JwksOptions Options(FakeClock& clock, absl::Duration unknown_kid_wait) const {
    return {.url = url,
            .fetch_timeout = absl::Seconds(3),
            .unknown_kid_wait = unknown_kid_wait,
            .clock = &clock};
  }

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  std::string url;
};

// A provider that does not answer must not hold a call longer than
// unknown_kid_wait (callback-API handlers run on very few threads).
TEST(JwksKeySetSlowProviderTest, AnUnknownKidWaitsAtMostUnknownKidWait) {
  HangingServer provider;
  FakeClock clock{absl::FromUnixSeconds(1'800'000'000)};
  absl::StatusOr<std::unique_ptr<JwksKeySet>> set =
      JwksKeySet::Create(provider.Options(clock, absl::Milliseconds(200)));
  ASSERT_TRUE(set.ok()) << set.status();
  clock.Advance(absl::Minutes(1));
  const absl::Time start = absl::Now();
  EXPECT_FALSE((*set)->Candidates("new-kid", JwsAlgorithm::kRs256).ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  set->reset();  // waits for the hanging load to time out
}

// While a slow load runs, one call waits for it; a burst of forged kids is
// refused at once instead of each holding a handler thread.
TEST(JwksKeySetSlowProviderTest, OnlyMaxUnknownKidWaitersWaitAtOnce) {
  HangingServer provider;
  FakeClock clock{absl::FromUnixSeconds(1'800'000'000)};
  JwksOptions options = provider.Options(clock, absl::Milliseconds(1500));
  options.max_unknown_kid_waiters = 1;
  absl::StatusOr<std::unique_ptr<JwksKeySet>> set = JwksKeySet::Create(options);
  ASSERT_TRUE(set.ok()) << set.status();
  clock.Advance(absl::Minutes(1));
  std::thread waiter([&] { EXPECT_FALSE((*set)->Candidates("kid-0", JwsAlgorithm::kRs256).ok()); });
  absl::SleepFor(absl::Milliseconds(300));  // the waiter is waiting for the hanging load
  const absl::Time start = absl::Now();
  for (int i = 1; i <= 20; ++i) {
    // Not "bad token": the key may be in the JWKS being loaded, so retry.
    EXPECT_EQ((*set)->Candidates("kid-" + std::to_string(i), JwsAlgorithm::kRs256).status().code(),
              absl::StatusCode::kUnavailable);
  }
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));  // 20 waits would be 30 s
  waiter.join();
  set->reset();
}

TEST(JwksKeySetCreateTest, RefusesBadConfiguration) {
  EXPECT_EQ(JwksKeySet::Create({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(JwksKeySet::Create({.url = "http://idp.example/certs"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(JwksKeySet::Create({.file = "/nonexistent/jwks.json"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  // An unreachable provider at start is not fatal: it may come up later.
  absl::StatusOr<std::unique_ptr<JwksKeySet>> unreachable =
      JwksKeySet::Create({.url = "https://127.0.0.1:1/certs", .fetch_timeout = absl::Seconds(1)});
  ASSERT_TRUE(unreachable.ok()) << unreachable.status();
  EXPECT_FALSE((*unreachable)->Candidates("k", JwsAlgorithm::kRs256).ok());
}

}  // namespace
}  // namespace dermaflow::common
