// Where a verifier finds the keys a token may be signed with: a fixed set
// (PEM files, the dev HS256 secret) or an identity provider's JWKS that is
// refreshed as the provider rotates keys (JwksKeySet).
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/jws_key.h"

namespace dermaflow::common {

class KeySource {
 public:
  virtual ~KeySource() = default;
  // The keys a token with this header `kid` ("" when absent) and algorithm
  // may be signed with; UNAUTHENTICATED saying why when there is none.
  virtual absl::StatusOr<std::vector<JwsKey>> Candidates(std::string_view kid,
                                                         JwsAlgorithm algorithm) const = 0;
};

// A fixed set. A token's kid picks the key with that id; a kid that names
// none (IdPs name their keys as they like, a PEM file names none) or no kid
// leaves every key of the token's algorithm to try.
class StaticKeySource : public KeySource {
 public:
  explicit StaticKeySource(std::vector<JwsKey> keys) : keys_(std::move(keys)) {}
  absl::StatusOr<std::vector<JwsKey>> Candidates(std::string_view kid,
                                                 JwsAlgorithm algorithm) const override;
  bool empty() const { return keys_.empty(); }

 private:
  std::vector<JwsKey> keys_;
};

// Keys of `algorithm` from `keys`: the one named `kid` if there is one, else all.
std::vector<JwsKey> MatchingKeys(const std::vector<JwsKey>& keys, std::string_view kid,
                                 JwsAlgorithm algorithm, bool kid_must_match);

}  // namespace dermaflow::common
