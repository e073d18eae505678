#include "common/clients/call_origin.h"

#include <algorithm>
#include <chrono>

#include "common/auth/token_forwarding.h"

namespace dermaflow::common {

CallOrigin CallOrigin::ForCaller(const Caller& caller, const grpc::ServerContext* incoming) {
  return CallOrigin(caller.organization, incoming, /*as_service=*/false);
}

CallOrigin CallOrigin::ForService(std::string organization) {
  return CallOrigin(std::move(organization), nullptr, /*as_service=*/true);
}

absl::Status CallOrigin::Prepare(const ClientOptions& options, grpc::ClientContext* out) const {
  auto deadline = std::chrono::system_clock::now() + absl::ToChronoMilliseconds(options.timeout);
  if (as_service_) {
    if (options.service_tokens == nullptr) {
      return absl::FailedPreconditionError("this client has no service credential to call with");
    }
    absl::Status authorized = options.service_tokens->Authorize(organization_, out);
    if (!authorized.ok()) return authorized;
  } else if (incoming_ != nullptr) {
    ForwardAuth(*incoming_, out, options.via_service);
    deadline = std::min(deadline, incoming_->deadline());
  }
  out->set_deadline(deadline);
  return absl::OkStatus();
}

}  // namespace dermaflow::common
