// What scheduling needs from the patient and protocol services, behind
// interfaces so the managers never see a stub: protocols (versions are
// immutable, so they are cached), screening, and whether a patient exists.
// Every call acts for the caller: the gRPC implementation forwards the
// caller's token and sets a deadline (grpc_dependencies.h).
//
//   DF_ASSIGN_OR_RETURN(protocol::v1::Protocol p, protocols.GetProtocol(call, id, 0));
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/protocol/v1/protocol_service.pb.h"
#include "grpcpp/server_context.h"

namespace dermaflow::scheduling {

// The RPC being served: who calls, and the incoming call whose token and
// deadline outgoing calls carry on (null outside a server, e.g. in benches).
struct CallContext {
  const common::Caller& caller;
  const grpc::ServerContext* server_context = nullptr;
};

class ProtocolDirectory {
 public:
  virtual ~ProtocolDirectory() = default;
  // `version` 0 means the latest. NOT_FOUND as the protocol service says.
  virtual absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallContext& call,
                                                             const std::string& id,
                                                             int64_t version) = 0;
  virtual absl::StatusOr<protocol::v1::ScreenEligibilityResponse> Screen(
      const CallContext& call, const protocol::v1::ScreenEligibilityRequest& request) = 0;
};

class PatientDirectory {
 public:
  virtual ~PatientDirectory() = default;
  // OK when the patient exists; NOT_FOUND (reason PATIENT_ERASED for an
  // erased one) as the patient service says.
  virtual absl::Status CheckPatient(const CallContext& call, const std::string& id) = 0;
};

}  // namespace dermaflow::scheduling
