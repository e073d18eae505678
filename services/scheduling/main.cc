// dermaflow-scheduling: flags -> dependencies -> Serve.
#include "common/server/service_runtime.h"
#include "dermaflow/scheduling/v1/scheduling_service.grpc.pb.h"

int main(int argc, char** argv) {
  auto runtime = dermaflow::common::ServiceRuntime::Init({"scheduling", 50053, 9463}, argc, argv);
  // Every RPC answers UNIMPLEMENTED until the scheduling service lands.
  dermaflow::scheduling::v1::SchedulingService::Service service;
  return runtime->Serve({&service});
}
