// dermaflow-patient: flags -> dependencies -> Serve.
#include <memory>

#include "absl/flags/flag.h"
#include "common/server/handler_executor.h"
#include "common/server/service_runtime.h"
#include "services/patient/api/patient_service.h"
#include "services/patient/app/patient_manager.h"
#include "services/patient/store/redis_patient_store.h"

ABSL_FLAG(int, handler_threads, 0,
          "Threads that run the RPC handlers; 0 runs them on gRPC's own callback threads "
          "(fastest, see bench/patient/RESULTS.md), N > 0 isolates slow calls from the rest at "
          "~50 us of CPU per call");

int main(int argc, char** argv) {
  using namespace dermaflow;  // NOLINT: main only wires things together
  auto runtime = common::ServiceRuntime::Init({"patient", 50051, 9461}, argc, argv);
  patient::RedisPatientStore store(runtime->redis(), runtime->clock(),
                                   runtime->event_stream_options());
  patient::PatientManager manager(store, runtime->clock());
  std::unique_ptr<common::HandlerExecutor> executor;
  if (absl::GetFlag(FLAGS_handler_threads) > 0) {
    executor = std::make_unique<common::HandlerExecutor>(absl::GetFlag(FLAGS_handler_threads));
  }
  patient::PatientGrpcService service(manager, runtime->authenticator(), executor.get());
  return runtime->Serve({&service});
}
