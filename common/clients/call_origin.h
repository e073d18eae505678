// Whom a call to another dermaflow service acts for, which decides its
// credential and deadline:
// - a person whose RPC is being served: their `authorization` is forwarded
//   (naming this service as the one passing it on, for the callee's audit),
//   and their deadline caps ours;
// - the service on its own (event intake, dispatch): its service token for
//   the organization (common/auth/service_token_source.h).
// Either way the call gets at most ClientOptions::timeout.
//
//   patients.GetPatient(CallOrigin::ForCaller(caller, ctx), id, view);
//   patients.GetPatient(CallOrigin::ForService("clinic-a"), id, view);
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/service_token_source.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_context.h"

namespace dermaflow::common {

// How a client makes its calls; fixed where the client is wired (main.cc).
struct ClientOptions {
  std::string via_service;                       // "scheduling": this service's name
  absl::Duration timeout = absl::Seconds(2);     // per call, retries included
  ServiceTokenSource* service_tokens = nullptr;  // needed for ForService calls
};

class CallOrigin {
 public:
  // Serving `caller`'s RPC. `incoming` may be null outside a server
  // (benchmarks): then nothing is forwarded.
  static CallOrigin ForCaller(const Caller& caller, const grpc::ServerContext* incoming);
  // The service acting on its own for `organization`.
  static CallOrigin ForService(std::string organization);

  // The tenant the call is for (cache keys are per organization).
  const std::string& organization() const { return organization_; }

  // Sets the credential and the deadline of `out`. FAILED_PRECONDITION for
  // a ForService call on a client wired without service tokens.
  absl::Status Prepare(const ClientOptions& options, grpc::ClientContext* out) const;

 private:
  CallOrigin(std::string organization, const grpc::ServerContext* incoming, bool as_service)
      : organization_(std::move(organization)), incoming_(incoming), as_service_(as_service) {}

  std::string organization_;
  const grpc::ServerContext* incoming_;
  bool as_service_;
};

}  // namespace dermaflow::common
