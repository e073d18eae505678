// dermaflow-patient: flags -> dependencies -> Serve.
#include "common/server/service_runtime.h"
#include "dermaflow/patient/v1/patient_service.grpc.pb.h"

int main(int argc, char** argv) {
  auto runtime = dermaflow::common::ServiceRuntime::Init({"patient", 50051, 9461}, argc, argv);
  // Every RPC answers UNIMPLEMENTED until the patient service lands.
  dermaflow::patient::v1::PatientService::Service service;
  return runtime->Serve({&service});
}
