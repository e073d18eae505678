// Mints JWTs: the service tokens a dermaflow service signs for itself
// (ServiceTokenSource), and tokens for tests, dermactl and the e2e suite
// (people's production tokens come from the clinic chain's identity provider).
//
//   DF_ASSIGN_OR_RETURN(std::string token,
//                       MintJwt({.organization = "clinic-a", .subject = "u1",
//                                .roles = {"reception"}, .expires_at = now + absl::Hours(1)},
//                               JwtAlgorithm::kHs256, secret));
//   DF_ASSIGN_OR_RETURN(JwsKey key, PrivateKeyFromPem(pem));  // kid = thumbprint
//   DF_ASSIGN_OR_RETURN(std::string es256, MintJwt(claims, key));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/jws_key.h"

namespace dermaflow::common {

enum class JwtAlgorithm { kHs256, kRs256, kEs256 };

// Empty strings and infinite times are left out of the token, so tests can
// mint tokens that lack a claim.
struct JwtClaims {
  std::string organization;                        // `org`
  std::string subject;                             // `sub`
  std::vector<std::string> roles;                  // `roles` (left out when empty)
  std::string issuer;                              // `iss`
  std::string audience;                            // `aud`
  absl::Time expires_at = absl::InfiniteFuture();  // `exp`
  absl::Time not_before = absl::InfinitePast();    // `nbf`
  absl::Time issued_at = absl::InfinitePast();     // `iat`
  // A JSON object merged in last, for claims in other places, e.g.
  // R"({"realm_access":{"roles":["reception"]}})".
  std::string extra_claims_json;
};

// Signs with `key` (its kid goes into the header when not empty).
absl::StatusOr<std::string> MintJwt(const JwtClaims& claims, const JwsKey& key);

// `key` is the HS256 secret or the private key PEM; no kid.
absl::StatusOr<std::string> MintJwt(const JwtClaims& claims, JwtAlgorithm algorithm,
                                    std::string_view key);

}  // namespace dermaflow::common
