// Finds the token in an RPC's `authorization: Bearer <token>` metadata.
// Exactly one authorization entry is accepted; the scheme is matched without
// regard to case (RFC 7235).
//
//   DF_ASSIGN_OR_RETURN(std::string token, BearerToken(ctx));
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"

namespace dermaflow::common {

inline constexpr std::string_view kAuthorizationMetadataKey = "authorization";

// The token, or UNAUTHENTICATED when the metadata is missing, repeated, not
// Bearer or empty.
absl::StatusOr<std::string> BearerToken(const grpc::ServerContextBase& ctx);

// The same for one header value (e.g. "Bearer abc.def.ghi").
absl::StatusOr<std::string> BearerTokenFromHeader(std::string_view authorization);

}  // namespace dermaflow::common
