// Token verification per RPC: HS256 (development), RS256 and ES256 from a
// JWKS (people's tokens) and ES256 service tokens, against the baseline of
// only splitting the token and parsing its JSON (no signature); then the
// same tokens answered by the cache of verified tokens.
//
//   build/bin/auth_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>

#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/auth/jwks.h"
#include "common/auth/jwks_key_set.h"
#include "common/auth/jws.h"
#include "common/auth/jwt_minter.h"
#include "common/auth/jwt_verifier.h"
#include "common/auth/key_source.h"
#include "common/auth/service_token_source.h"
#include "common/clock/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace dermaflow::common {
namespace {

JwsKey NewKey(bool rsa, const std::string& kid) {
  EVP_PKEY* raw = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, raw, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  JwsKey key = *PrivateKeyFromPem(std::string(data, size));
  BIO_free(bio);
  EVP_PKEY_free(raw);
  key.kid = kid;
  return key;
}

struct Fixture {
  JwsKey rsa = NewKey(true, "rsa-1");
  JwsKey ec = NewKey(false, "ec-1");
  JwsKey service = NewKey(false, "");
  JwsKey hs256 = *Hs256Key(std::string(40, 'k'));
  std::unique_ptr<JwtVerifier> verifier;         // no cache: every call checks in full
  std::unique_ptr<JwtVerifier> cached_verifier;  // the services' default cache
  Fixture() {
    const std::string file = "/tmp/dermaflow-auth-bench-jwks.json";
    std::ofstream(file) << *JwksJson({rsa, ec});
    std::shared_ptr<const KeySource> jwks = *JwksKeySet::Create({.file = file});
    service.kid = *JwkThumbprint(service.pkey.get());
    auto service_keys = std::make_shared<StaticKeySource>(
        std::vector<JwsKey>{*PublicKeysFromPem(*PublicKeyPem(service))->begin(), hs256});
    verifier = *JwtVerifier::Create({.user_keys = jwks,
                                     .service_keys = service_keys,
                                     .issuer = "https://idp",
                                     .audience = "dermaflow",
                                     .claims = {.roles = "realm_access.roles"},
                                     .cache = {.max_entries = 0}});
    cached_verifier = *JwtVerifier::Create({.user_keys = jwks,
                                            .service_keys = service_keys,
                                            .issuer = "https://idp",
                                            .audience = "dermaflow",
                                            .claims = {.roles = "realm_access.roles"}});
  }
  std::string Person(const JwsKey& key) const {
    return *MintJwt({.organization = "clinic-a",
                     .subject = "reception-1",
                     .issuer = "https://idp",
                     .audience = "dermaflow",
                     .expires_at = absl::Now() + absl::Hours(1),
                     .extra_claims_json = R"({"realm_access":{"roles":["reception"]}})"},
                    key);
  }
};

const Fixture& F() {
  static const Fixture* f = new Fixture();
  return *f;
}

void Verify(benchmark::State& state, const std::string& token, bool cached = false) {
  const JwtVerifier& verifier = cached ? *F().cached_verifier : *F().verifier;
  for (auto _ : state) {
    absl::StatusOr<Caller> caller = verifier.Verify(token);
    if (!caller.ok()) state.SkipWithError("token refused");
    benchmark::DoNotOptimize(caller);
  }
}

// The baseline: what every algorithm pays before the signature.
void BM_SplitAndParseOnly(benchmark::State& state) {
  const std::string token = F().Person(F().rsa);
  for (auto _ : state) {
    JwsParts parts = *SplitCompactJws(token);
    google::protobuf::Struct header, claims;
    (void)google::protobuf::util::JsonStringToMessage(parts.header_json, &header);
    (void)google::protobuf::util::JsonStringToMessage(parts.payload_json, &claims);
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_SplitAndParseOnly);

void BM_VerifyHs256Person(benchmark::State& state) {
  JwsKey dev = F().hs256;
  // HS256 people's tokens are not in this verifier's IdP keys; use a
  // service token signed with the development secret instead.
  ServiceTokenSource source({.service = "notification", .key = dev}, SystemClock());
  Verify(state, *source.Token("clinic-a"));
}
BENCHMARK(BM_VerifyHs256Person);

void BM_VerifyRs256PersonFromJwks(benchmark::State& state) { Verify(state, F().Person(F().rsa)); }
BENCHMARK(BM_VerifyRs256PersonFromJwks);

void BM_VerifyEs256PersonFromJwks(benchmark::State& state) { Verify(state, F().Person(F().ec)); }
BENCHMARK(BM_VerifyEs256PersonFromJwks);

void BM_VerifyEs256ServiceToken(benchmark::State& state) {
  ServiceTokenSource source({.service = "notification", .key = F().service}, SystemClock());
  Verify(state, *source.Token("clinic-a"));
}
BENCHMARK(BM_VerifyEs256ServiceToken);

// The same tokens again through the cache of verified tokens (the services'
// default): a SHA-256 of the token, a map look-up and a check that the
// signing key is still in the JWKS.
void BM_VerifyRs256PersonFromJwksCached(benchmark::State& state) {
  Verify(state, F().Person(F().rsa), /*cached=*/true);
}
BENCHMARK(BM_VerifyRs256PersonFromJwksCached);

void BM_VerifyEs256PersonFromJwksCached(benchmark::State& state) {
  Verify(state, F().Person(F().ec), /*cached=*/true);
}
BENCHMARK(BM_VerifyEs256PersonFromJwksCached);

void BM_VerifyEs256ServiceTokenCached(benchmark::State& state) {
  ServiceTokenSource source({.service = "notification", .key = F().service}, SystemClock());
  Verify(state, *source.Token("clinic-a"), /*cached=*/true);
}
BENCHMARK(BM_VerifyEs256ServiceTokenCached);

void BM_ServiceTokenCached(benchmark::State& state) {
  ServiceTokenSource source({.service = "notification", .key = F().service}, SystemClock());
  for (auto _ : state) benchmark::DoNotOptimize(source.Token("clinic-a"));
}
BENCHMARK(BM_ServiceTokenCached);

}  // namespace
}  // namespace dermaflow::common

BENCHMARK_MAIN();
