// The RPC being served: who calls, and the incoming call whose token and
// deadline the calls scheduling makes to the patient and protocol services
// carry on (common/clients/call_origin.h). The server context is null
// outside a server (benchmarks): then nothing is forwarded.
//
//   DF_ASSIGN_OR_RETURN(protocol::v1::Protocol p,
//                       deps_.protocols.GetProtocol(call.origin(), id, 0));
#pragma once

#include "common/auth/caller.h"
#include "common/clients/call_origin.h"
#include "grpcpp/server_context.h"

namespace dermaflow::scheduling {

struct CallContext {
  const common::Caller& caller;
  const grpc::ServerContext* server_context = nullptr;
  // Scheduling acting on its own (the waitlist's event intake and sweeper):
  // calls carry the service token for caller.organization.
  bool as_service = false;

  common::CallOrigin origin() const {
    if (as_service) return common::CallOrigin::ForService(caller.organization);
    return common::CallOrigin::ForCaller(caller, server_context);
  }
};

}  // namespace dermaflow::scheduling
