// dermaflow-protocol: flags -> dependencies -> Serve.
#include "common/server/service_runtime.h"
#include "dermaflow/protocol/v1/protocol_service.grpc.pb.h"

int main(int argc, char** argv) {
  auto runtime = dermaflow::common::ServiceRuntime::Init({"protocol", 50052, 9462}, argc, argv);
  // Every RPC answers UNIMPLEMENTED until the protocol service lands.
  dermaflow::protocol::v1::ProtocolService::Service service;
  return runtime->Serve({&service});
}
