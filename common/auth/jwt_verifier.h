// Checks a JWT and reads the Caller out of it; no gRPC here (JwtAuthenticator
// adds the metadata part). Only HS256 and RS256 with a configured key are
// accepted: `alg: none` and algorithm switches are refused, `exp` is required,
// `nbf` honoured, both with a small leeway; `iss`/`aud` when configured.
// Claims: `org` (required, [A-Za-z0-9_-]{1,64}), `sub` (required), `roles`
// (optional array of strings).
//
//   auto verifier = JwtVerifier::Create({.hs256_secret = secret});
//   absl::StatusOr<Caller> caller = (*verifier)->Verify(token);  // UNAUTHENTICATED
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/clock/clock.h"

namespace dermaflow::common {

struct JwtVerifierOptions {
  std::string hs256_secret;                   // empty: HS256 tokens are refused
  std::string rs256_public_key_pem;           // empty: RS256 tokens are refused
  std::string issuer;                         // empty: `iss` not checked
  std::string audience;                       // empty: `aud` not checked
  absl::Duration leeway = absl::Seconds(30);  // clock skew allowed on exp/nbf
  const Clock* clock = nullptr;               // nullptr = SystemClock()
};

class JwtVerifier {
 public:
  // INVALID_ARGUMENT when no key is given, the secret is too short or the
  // public key is not an RSA key of at least 2048 bits.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(JwtVerifierOptions options);

  // The caller named by a valid token; UNAUTHENTICATED otherwise.
  absl::StatusOr<Caller> Verify(std::string_view token) const;

 private:
  explicit JwtVerifier(JwtVerifierOptions options);

  JwtVerifierOptions options_;
  const Clock& clock_;
};

}  // namespace dermaflow::common
