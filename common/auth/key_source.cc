#include "common/auth/key_source.h"

#include "absl/strings/str_cat.h"

namespace dermaflow::common {

std::vector<JwsKey> MatchingKeys(const std::vector<JwsKey>& keys, std::string_view kid,
                                 JwsAlgorithm algorithm, bool kid_must_match) {
  std::vector<JwsKey> same_algorithm;
  for (const JwsKey& key : keys) {
    if (key.algorithm != algorithm) continue;
    if (!kid.empty() && key.kid == kid) return {key};
    same_algorithm.push_back(key);
  }
  if (!kid.empty() && kid_must_match) return {};
  return same_algorithm;
}

absl::StatusOr<std::vector<JwsKey>> StaticKeySource::Candidates(std::string_view kid,
                                                                JwsAlgorithm algorithm) const {
  std::vector<JwsKey> keys = MatchingKeys(keys_, kid, algorithm, /*kid_must_match=*/false);
  if (keys.empty()) {
    return absl::UnauthenticatedError(
        absl::StrCat("token algorithm ", JwsAlgorithmName(algorithm), " is not accepted"));
  }
  return keys;
}

}  // namespace dermaflow::common
