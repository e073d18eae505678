#include "common/auth/token_forwarding.h"

#include <string>

#include "common/auth/bearer_token.h"
#include "common/auth/service_token.h"

namespace dermaflow::common {

void ForwardAuth(const grpc::ServerContext& in, grpc::ClientContext* out,
                 std::string_view via_service) {
  auto [first, last] = in.client_metadata().equal_range(
      grpc::string_ref(kAuthorizationMetadataKey.data(), kAuthorizationMetadataKey.size()));
  for (auto it = first; it != last; ++it) {
    out->AddMetadata(std::string(kAuthorizationMetadataKey),
                     std::string(it->second.data(), it->second.size()));
  }
  if (!via_service.empty()) {
    out->AddMetadata(std::string(kViaServiceMetadata), std::string(via_service));
  }
}

}  // namespace dermaflow::common
