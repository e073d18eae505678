// Mints the JWTs that JwtVerifier accepts, for tests, dermactl and the e2e
// suite (production tokens come from the clinic chain's identity provider).
//
//   DF_ASSIGN_OR_RETURN(std::string token,
//                       MintJwt({.organization = "clinic-a", .subject = "u1",
//                                .roles = {"reception"}, .expires_at = now + absl::Hours(1)},
//                               JwtAlgorithm::kHs256, secret));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::common {

enum class JwtAlgorithm { kHs256, kRs256 };

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
};

// `key` is the HS256 secret or the RS256 private key PEM.
absl::StatusOr<std::string> MintJwt(const JwtClaims& claims, JwtAlgorithm algorithm,
                                    std::string_view key);

}  // namespace dermaflow::common
