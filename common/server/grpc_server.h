// Builds and starts a service's gRPC server the one way production runs it:
// health and reflection on, unparsable bodies answered INVALID_ARGUMENT
// (unparsable_request_interceptor.h), the RED-metrics interceptor, the
// tenant limits' interceptor when given, a deliberate max receive message
// size, and the options below.
// ServiceRuntime::Serve and the benches share it, so a bench measures the
// server configuration that ships.
//
//   GrpcServerOptions options{.listen = "0.0.0.0:50051"};
//   DF_ASSIGN_OR_RETURN(StartedGrpcServer started,
//                       StartGrpcServer(options, {&service}, metrics->registry()));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/quota/call_admission.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

// gRPC's own default, stated rather than inherited (docs/operations.md).
inline constexpr int kDefaultMaxReceiveMessageBytes = 4 * 1024 * 1024;

struct GrpcServerOptions {
  std::string listen = "127.0.0.1:0";
  // nullptr: plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Larger request bodies are refused with RESOURCE_EXHAUSTED before they
  // are parsed. Services that only take small requests pass less
  // (ServiceIdentity, --max_receive_message_bytes).
  int max_receive_message_bytes = kDefaultMaxReceiveMessageBytes;
  // When set, its interceptor tells it each call's method and end, so the
  // tenant limits apply to every RPC (common/quota/call_admission.h). Must
  // outlive the server.
  CallAdmission* admission = nullptr;
};

struct StartedGrpcServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

// UNAVAILABLE when the address cannot be bound. `metrics` must outlive the
// server (the interceptor's families live in it). Also turns off Abseil's
// mutex deadlock detection for the process (see the .cc).
absl::StatusOr<StartedGrpcServer> StartGrpcServer(const GrpcServerOptions& options,
                                                  const std::vector<grpc::Service*>& services,
                                                  prometheus::Registry& metrics);

}  // namespace dermaflow::common
