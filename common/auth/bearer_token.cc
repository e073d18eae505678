#include "common/auth/bearer_token.h"

#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace dermaflow::common {

absl::StatusOr<std::string> BearerTokenFromHeader(std::string_view header) {
  // Debian's Abseil keeps its own string_view type.
  const absl::string_view authorization(header.data(), header.size());
  constexpr absl::string_view kScheme = "bearer ";
  if (!absl::StartsWithIgnoreCase(authorization, kScheme)) {
    return absl::UnauthenticatedError("authorization metadata must use the Bearer scheme");
  }
  absl::string_view token = absl::StripAsciiWhitespace(authorization.substr(kScheme.size()));
  if (token.empty()) return absl::UnauthenticatedError("authorization metadata has an empty token");
  return std::string(token);
}

absl::StatusOr<std::string> BearerToken(const grpc::ServerContextBase& ctx) {
  const auto& metadata = ctx.client_metadata();
  auto [first, last] = metadata.equal_range(
      grpc::string_ref(kAuthorizationMetadataKey.data(), kAuthorizationMetadataKey.size()));
  if (first == last) return absl::UnauthenticatedError("missing authorization metadata");
  if (std::next(first) != last) {
    return absl::UnauthenticatedError("authorization metadata must appear once");
  }
  return BearerTokenFromHeader(std::string_view(first->second.data(), first->second.size()));
}

}  // namespace dermaflow::common
