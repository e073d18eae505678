// Checks a JWT and reads the Caller out of it; no gRPC here (JwtAuthenticator
// adds the metadata part). Two kinds of token are accepted:
//  - a person's token from the identity provider, checked with its keys
//    (JWKS, a PEM public key, or the HS256 secret of local runs), its
//    issuer and audience when configured, claims read through a
//    ClaimMapping. The role "service" is never taken from such a token.
//  - a service token (service_token.h), checked only with the internal
//    service-identity keys; the caller then names the calling service.
// The algorithm is taken from the key, never trusted from the token: `none`
// and algorithm switches fail, `exp` is required and `nbf` honoured, with a
// small leeway. Errors are UNAUTHENTICATED and never echo the token.
//
//   auto verifier = JwtVerifier::Create({.user_keys = jwks, .service_keys = service_pems});
//   absl::StatusOr<Caller> caller = (*verifier)->Verify(token);
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/claim_mapping.h"
#include "common/auth/key_source.h"
#include "common/auth/verified_token_cache.h"
#include "common/clock/clock.h"

namespace dermaflow::common {

struct JwtVerifierOptions {
  std::shared_ptr<const KeySource> user_keys;     // required
  std::shared_ptr<const KeySource> service_keys;  // nullptr: service tokens refused
  std::string issuer;                             // empty: `iss` not checked
  std::string audience;                           // empty: `aud` not checked
  ClaimMapping claims;
  absl::Duration leeway = absl::Seconds(30);  // clock skew allowed on exp/nbf
  const Clock* clock = nullptr;               // nullptr = SystemClock()
  // Tokens already checked (verified_token_cache.h); max_entries 0 turns it off.
  VerifiedTokenCacheOptions cache;
};

class JwtVerifier {
 public:
  // INVALID_ARGUMENT when no user key source is given.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(JwtVerifierOptions options);

  // The caller named by a valid token; UNAUTHENTICATED otherwise. A token
  // seen before is answered from the cache while the key that signed it is
  // still a current key.
  absl::StatusOr<Caller> Verify(std::string_view token) const;

  // Tokens in the cache now (for tests and the bench).
  size_t cached_tokens() const { return cache_.size(); }

 private:
  explicit JwtVerifier(JwtVerifierOptions options);
  // The full check: parse, signature, claims.
  absl::StatusOr<VerifiedToken> VerifyUncached(std::string_view token) const;
  // Whether the key that signed a cached token is still one of its source's
  // keys (a JWKS source reloads here when due, as on a full check).
  bool StillSignedByCurrentKey(const VerifiedToken& verified) const;

  JwtVerifierOptions options_;
  const Clock& clock_;
  mutable VerifiedTokenCache cache_;
};

}  // namespace dermaflow::common
