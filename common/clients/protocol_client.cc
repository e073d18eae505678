#include "common/clients/protocol_client.h"

#include "absl/strings/str_cat.h"
#include "common/clients/remote_status.h"
#include "common/clients/unary_call.h"
#include "common/status/macros.h"

namespace dermaflow::common {

GrpcProtocolClient::GrpcProtocolClient(std::shared_ptr<grpc::Channel> channel,
                                       ClientOptions options)
    : stub_(protocol::v1::ProtocolService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

absl::StatusOr<protocol::v1::Protocol> GrpcProtocolClient::GetProtocol(const CallOrigin& origin,
                                                                       const std::string& id,
                                                                       int64_t version) {
  protocol::v1::GetProtocolRequest request;
  request.set_id(id);
  request.set_version(version);
  return UnaryCall<protocol::v1::Protocol>(
      origin, options_, kProtocolResourceType, id,
      [&](grpc::ClientContext* context, protocol::v1::Protocol* protocol) {
        return stub_->GetProtocol(context, request, protocol);
      });
}

absl::StatusOr<protocol::v1::ScreenEligibilityResponse> GrpcProtocolClient::ScreenEligibility(
    const CallOrigin& origin, const protocol::v1::ScreenEligibilityRequest& request) {
  // NOT_FOUND here is the patient: callers read the protocol first.
  return UnaryCall<protocol::v1::ScreenEligibilityResponse>(
      origin, options_, kPatientResourceType, request.patient_id(),
      [&](grpc::ClientContext* context, protocol::v1::ScreenEligibilityResponse* response) {
        return stub_->ScreenEligibility(context, request, response);
      });
}

void InMemoryProtocolClient::Put(const std::string& id, protocol::v1::Protocol protocol) {
  protocol.set_id(id);
  absl::MutexLock lock(&mu_);
  protocols_[id] = std::move(protocol);
}

absl::StatusOr<protocol::v1::Protocol> InMemoryProtocolClient::GetProtocol(const CallOrigin&,
                                                                           const std::string& id,
                                                                           int64_t version) {
  absl::MutexLock lock(&mu_);
  auto it = protocols_.find(id);
  if (it == protocols_.end() ||
      (version != 0 && it->second.version() != 0 && it->second.version() != version)) {
    return absl::NotFoundError(absl::StrCat("protocol ", id, " version ", version, " not found"));
  }
  return it->second;
}

absl::StatusOr<protocol::v1::ScreenEligibilityResponse> InMemoryProtocolClient::ScreenEligibility(
    const CallOrigin& origin, const protocol::v1::ScreenEligibilityRequest& request) {
  DF_ASSIGN_OR_RETURN(protocol::v1::Protocol protocol,
                      GetProtocol(origin, request.protocol_id(), request.protocol_version()));
  protocol::v1::ScreenEligibilityResponse response;
  response.set_eligible(true);
  response.set_protocol_version(protocol.version());
  return response;
}

}  // namespace dermaflow::common
