#include "services/notification/protocol_source.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "grpcpp/client_context.h"

namespace dermaflow::notification {

GrpcProtocolSource::GrpcProtocolSource(std::shared_ptr<grpc::Channel> channel, common::ServiceTokenSource& auth,
                                       absl::Duration deadline)
    : stub_(dermaflow::protocol::v1::ProtocolService::NewStub(std::move(channel))),
      auth_(auth),
      deadline_(deadline) {}

absl::StatusOr<ProtocolPtr> GrpcProtocolSource::Get(const std::string& org, const std::string& id,
                                                    int64_t version) {
  const auto key = std::make_tuple(org, id, version);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  dermaflow::protocol::v1::GetProtocolRequest request;
  request.set_id(id);
  request.set_version(version);
  absl::Status status;
  for (int attempt = 0; attempt < 2; ++attempt) {  // a read: safe to retry once
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline_));
    if (absl::Status s = auth_.Authorize(org, &ctx); !s.ok()) return s;
    auto protocol = std::make_shared<dermaflow::protocol::v1::Protocol>();
    status = common::FromGrpcStatus(stub_->GetProtocol(&ctx, request, protocol.get()));
    if (status.ok()) {
      // Version 0 means "latest", which changes: only exact versions stay.
      if (version != 0) {
        std::lock_guard<std::mutex> lock(mu_);
        cache_[key] = protocol;
      }
      return ProtocolPtr(std::move(protocol));
    }
    if (!absl::IsUnavailable(status)) break;
  }
  return status;
}

void InMemoryProtocolSource::Put(const std::string& id, dermaflow::protocol::v1::Protocol protocol) {
  protocol.set_id(id);
  std::lock_guard<std::mutex> lock(mu_);
  protocols_[id] = std::make_shared<const dermaflow::protocol::v1::Protocol>(std::move(protocol));
}

absl::StatusOr<ProtocolPtr> InMemoryProtocolSource::Get(const std::string&, const std::string& id,
                                                        int64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = protocols_.find(id);
  if (it == protocols_.end() || (version != 0 && it->second->version() != 0 &&
                                 it->second->version() != version)) {
    return absl::NotFoundError(absl::StrCat("protocol ", id, " version ", version, " not found"));
  }
  return it->second;
}

}  // namespace dermaflow::notification
