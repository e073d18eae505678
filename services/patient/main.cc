// dermaflow-patient: flags -> dependencies -> Serve.
#include "common/server/service_runtime.h"
#include "services/patient/api/patient_service.h"
#include "services/patient/app/patient_manager.h"
#include "services/patient/store/redis_patient_store.h"

int main(int argc, char** argv) {
  using namespace dermaflow;  // NOLINT: main only wires things together
  auto runtime = common::ServiceRuntime::Init({"patient", 50051, 9461}, argc, argv);
  patient::RedisPatientStore store(runtime->redis(), runtime->clock(),
                                   runtime->event_stream_options());
  patient::PatientManager manager(store, runtime->clock());
  patient::PatientGrpcService service(manager, runtime->authenticator());
  return runtime->Serve({&service});
}
