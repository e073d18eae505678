// dermaflow-patient: flags -> dependencies -> Serve.
#include "absl/flags/flag.h"
#include "common/server/server_flags.h"
#include "common/server/service_runtime.h"
#include "services/patient/patient_manager.h"
#include "services/patient/patient_service.h"
#include "services/patient/redis_patient_store.h"

int main(int argc, char** argv) {
  using namespace dermaflow;  // NOLINT: main only wires things together
  auto runtime = common::ServiceRuntime::Init({"patient", 50051, 9461}, argc, argv);
  patient::RedisPatientStore store(runtime->redis(), runtime->clock(),
                                   runtime->event_stream_options());
  // --auth=none callers carry no roles: the roles of the API are enforced
  // whenever callers are authenticated.
  patient::PatientManager manager(store, runtime->clock(),
                                  {.enforce_roles = absl::GetFlag(FLAGS_auth) != "none"});
  patient::PatientGrpcService service(manager, runtime->authenticator());
  return runtime->Serve({&service});
}
