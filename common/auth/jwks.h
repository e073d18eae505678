// Reads a JSON Web Key Set (RFC 7517), the document an OIDC identity
// provider publishes at its `jwks_uri`. Signature keys it can use become
// JwsKeys: RSA (RS256) and EC P-256 (ES256). Keys for encryption (`use:
// enc`), of other types or algorithms, are skipped, as providers publish
// those beside their signing keys.
//
//   DF_ASSIGN_OR_RETURN(std::vector<JwsKey> keys, ParseJwks(body));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/jws_key.h"

namespace dermaflow::common {

// INVALID_ARGUMENT when `json` is not a JWKS (no `keys` array) or a usable
// signature key is malformed; an empty vector when it holds no usable key.
absl::StatusOr<std::vector<JwsKey>> ParseJwks(std::string_view json);

// {"keys":[...]} with the public halves of `keys` (for tests and tools).
absl::StatusOr<std::string> JwksJson(const std::vector<JwsKey>& keys);

}  // namespace dermaflow::common
