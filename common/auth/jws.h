// JSON Web Signature, compact form (RFC 7515): splitting a token into its
// parts, and making and checking the signature with a JwsKey. ES256
// signatures are the raw 64-byte R||S of RFC 7518 §3.4, not DER.
//
//   DF_ASSIGN_OR_RETURN(JwsParts parts, SplitCompactJws(token));
//   if (!VerifyJwsSignature(key, parts.signing_input, parts.signature)) ...
//   DF_ASSIGN_OR_RETURN(std::string token, SignCompactJws(key, header_json, claims_json));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/auth/jws_key.h"

namespace dermaflow::common {

struct JwsParts {
  std::string header_json;         // decoded protected header
  std::string payload_json;        // decoded payload (the claims)
  std::string_view signing_input;  // "header.payload" as sent, points into the token
  std::string signature;           // decoded signature bytes
};

// UNAUTHENTICATED "token is malformed" unless `token` is three base64url
// parts. `token` must outlive the result.
absl::StatusOr<JwsParts> SplitCompactJws(std::string_view token);

// True when `signature` is `key`'s valid signature of `signing_input`.
bool VerifyJwsSignature(const JwsKey& key, std::string_view signing_input,
                        std::string_view signature);

// header.payload.signature, base64url without padding; `key` must hold a
// private key (or the HS256 secret).
absl::StatusOr<std::string> SignCompactJws(const JwsKey& key, std::string_view header_json,
                                           std::string_view payload_json);

}  // namespace dermaflow::common
