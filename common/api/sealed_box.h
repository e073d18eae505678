// Small texts sealed for a client to carry and hand back unchanged: AES-256-
// GCM under a key derived from one secret, bound to a context the client
// cannot change (the list and its filters for a page token, the purpose for
// an action token). A client can neither read a sealed text nor forge or
// alter one; OpenBox returns nothing for any of that, without saying why.
//
//   const std::string key = DeriveKey(secret, "dermaflow page token key v1/acme");
//   DF_ASSIGN_OR_RETURN(std::string token, SealBox(key, bound, JoinParts({"2027", "a1"})));
//   std::optional<std::vector<std::string>> parts = SplitParts(OpenBox(key, bound, token));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dermaflow::common {

// HMAC-SHA256(secret, label): one key per label, none of which tells
// anything about the others or the secret.
absl::StatusOr<std::string> DeriveKey(std::string_view secret, std::string_view label);

// Web-safe base64 of version, random nonce, ciphertext and tag; 39 bytes
// longer than `plain` before base64.
absl::StatusOr<std::string> SealBox(std::string_view key, std::string_view bound,
                                    std::string_view plain);

// The plain text of a SealBox token sealed with `key` and `bound`; nullopt
// for anything else (altered, other key or context, not base64, too short).
std::optional<std::string> OpenBox(std::string_view key, std::string_view bound,
                                   std::string_view token);

// Whether `token` has the shape of a SealBox token (base64, long enough,
// our version): a cheap check before the key is even read.
bool LooksSealed(std::string_view token);

// Parts as "<length>:<bytes>", so {"ab", "c"} and {"a", "bc"} differ.
std::string JoinParts(const std::vector<std::string>& parts);
std::optional<std::vector<std::string>> SplitParts(std::string_view text);

}  // namespace dermaflow::common
