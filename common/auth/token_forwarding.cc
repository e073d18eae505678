#include "common/auth/token_forwarding.h"

#include <string>

#include "common/auth/bearer_token.h"

namespace dermaflow::common {

void ForwardAuth(const grpc::ServerContext& in, grpc::ClientContext* out) {
  auto [first, last] = in.client_metadata().equal_range(
      grpc::string_ref(kAuthorizationMetadataKey.data(), kAuthorizationMetadataKey.size()));
  for (auto it = first; it != last; ++it) {
    out->AddMetadata(std::string(kAuthorizationMetadataKey),
                     std::string(it->second.data(), it->second.size()));
  }
}

}  // namespace dermaflow::common
