// The protocol service as the other services call it. ProtocolClient is
// what callers hold (tests and local runs substitute InMemoryProtocolClient
// or their own); GrpcProtocolClient is the one implementation over gRPC:
// credential and deadline from the CallOrigin, retries from the channel's
// service config (retry_policy.h), grpc_client_* metrics from the channel's
// interceptor, errors through FromRemoteStatus. Wrap it in
// CachingProtocolClient (caching_protocol_client.h) to keep versions.
//
//   GrpcProtocolClient protocols(runtime->Connect(addr), {.via_service = "scheduling"});
//   DF_ASSIGN_OR_RETURN(protocol::v1::Protocol p, protocols.GetProtocol(origin, id, 0));
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clients/call_origin.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "grpcpp/channel.h"

namespace dermaflow::common {

class ProtocolClient {
 public:
  virtual ~ProtocolClient() = default;
  // `version` 0 means the latest. NOT_FOUND (naming the protocol) when the
  // protocol or version does not exist; UNAVAILABLE or DEADLINE_EXCEEDED
  // when the protocol service cannot answer in time.
  virtual absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallOrigin& origin,
                                                             const std::string& id,
                                                             int64_t version) = 0;
  // NOT_FOUND here names the patient (callers read the protocol first).
  virtual absl::StatusOr<protocol::v1::ScreenEligibilityResponse> ScreenEligibility(
      const CallOrigin& origin, const protocol::v1::ScreenEligibilityRequest& request) = 0;
};

class GrpcProtocolClient : public ProtocolClient {
 public:
  GrpcProtocolClient(std::shared_ptr<grpc::Channel> channel, ClientOptions options);

  absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallOrigin& origin,
                                                     const std::string& id,
                                                     int64_t version) override;
  absl::StatusOr<protocol::v1::ScreenEligibilityResponse> ScreenEligibility(
      const CallOrigin& origin, const protocol::v1::ScreenEligibilityRequest& request) override;

 private:
  std::unique_ptr<protocol::v1::ProtocolService::Stub> stub_;
  const ClientOptions options_;
};

// Fixed protocols, for tests, benchmarks and local runs without a protocol
// service: GetProtocol ignores the organization; version 0 or the stored
// version matches. ScreenEligibility finds every patient eligible.
class InMemoryProtocolClient : public ProtocolClient {
 public:
  void Put(const std::string& id, protocol::v1::Protocol protocol);

  absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallOrigin& origin,
                                                     const std::string& id,
                                                     int64_t version) override;
  absl::StatusOr<protocol::v1::ScreenEligibilityResponse> ScreenEligibility(
      const CallOrigin& origin, const protocol::v1::ScreenEligibilityRequest& request) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, protocol::v1::Protocol> protocols_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
