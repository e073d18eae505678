// dermaflow-scheduling: flags -> dependencies -> Serve.
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/server/server_flags.h"
#include "common/server/service_runtime.h"
#include "services/scheduling/grpc_dependencies.h"
#include "services/scheduling/redis_appointment_store.h"
#include "services/scheduling/redis_resource_store.h"
#include "services/scheduling/scheduling_service.h"

ABSL_FLAG(std::string, patient_addr, "localhost:50051", "host:port of dermaflow-patient");
ABSL_FLAG(std::string, protocol_addr, "localhost:50052", "host:port of dermaflow-protocol");
ABSL_FLAG(absl::Duration, dependency_timeout, absl::Seconds(3),
          "Deadline of calls to the patient and protocol services (or the caller's, if sooner)");

int main(int argc, char** argv) {
  using namespace dermaflow;
  auto runtime = common::ServiceRuntime::Init({"scheduling", 50053, 9463}, argc, argv);
  const absl::Duration timeout = absl::GetFlag(FLAGS_dependency_timeout);
  scheduling::RedisResourceStore resources(runtime->redis());
  scheduling::RedisAppointmentStore appointments(runtime->redis(), runtime->clock(),
                                                 runtime->event_stream_options());
  scheduling::GrpcProtocolDirectory protocols(runtime->Connect(absl::GetFlag(FLAGS_protocol_addr)),
                                              timeout);
  scheduling::GrpcPatientDirectory patients(runtime->Connect(absl::GetFlag(FLAGS_patient_addr)),
                                            timeout);
  scheduling::SchedulingMetrics metrics(runtime->metrics().registry());
  scheduling::SchedulingGrpcService service(
      runtime->authenticator(), {resources, appointments, protocols, patients, runtime->clock()},
      &metrics, {.enforce_roles = absl::GetFlag(FLAGS_auth) != "none"});
  return runtime->Serve({&service});
}
