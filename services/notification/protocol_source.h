// Protocol versions, which reminders are planned and rendered from. Versions
// are immutable, so the gRPC source asks the protocol service
// (GetProtocol) once per (organization, id, version) and keeps the answer in
// memory for good.
//
//   GrpcProtocolSource protocols(runtime->Connect(addr), auth, {});
//   DF_ASSIGN_OR_RETURN(auto protocol, protocols.Get(org, id, version));
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"
#include "grpcpp/channel.h"
#include "common/auth/service_token_source.h"

namespace dermaflow::notification {

using ProtocolPtr = std::shared_ptr<const dermaflow::protocol::v1::Protocol>;

class ProtocolSource {
 public:
  virtual ~ProtocolSource() = default;
  // NOT_FOUND when the protocol or version does not exist; UNAVAILABLE when
  // the protocol service cannot answer.
  virtual absl::StatusOr<ProtocolPtr> Get(const std::string& org, const std::string& id,
                                          int64_t version) = 0;
};

class GrpcProtocolSource : public ProtocolSource {
 public:
  GrpcProtocolSource(std::shared_ptr<grpc::Channel> channel, common::ServiceTokenSource& auth,
                     absl::Duration deadline = absl::Seconds(3));
  absl::StatusOr<ProtocolPtr> Get(const std::string& org, const std::string& id,
                                  int64_t version) override;

 private:
  std::unique_ptr<dermaflow::protocol::v1::ProtocolService::Stub> stub_;
  common::ServiceTokenSource& auth_;
  const absl::Duration deadline_;
  std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int64_t>, ProtocolPtr> cache_;
};

// Fixed protocols, for tests, benchmarks and local runs: Get ignores the
// organization; version 0 or the stored version matches.
class InMemoryProtocolSource : public ProtocolSource {
 public:
  void Put(const std::string& id, dermaflow::protocol::v1::Protocol protocol);
  absl::StatusOr<ProtocolPtr> Get(const std::string& org, const std::string& id,
                                  int64_t version) override;

 private:
  std::mutex mu_;
  std::map<std::string, ProtocolPtr> protocols_;
};

}  // namespace dermaflow::notification
