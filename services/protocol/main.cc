// dermaflow-protocol: flags -> dependencies -> Serve.
#include <algorithm>
#include <string>

#include "absl/flags/flag.h"
#include "common/clients/patient_client.h"
#include "common/server/service_runtime.h"
#include "services/protocol/api/protocol_metrics.h"
#include "services/protocol/api/protocol_service.h"
#include "services/protocol/store/caching_protocol_store.h"
#include "services/protocol/store/redis_protocol_store.h"

ABSL_FLAG(std::string, patient_addr, "127.0.0.1:50051",
          "host:port of the patient service (ScreenEligibility reads patients there)");
ABSL_FLAG(int, version_cache_size, 4096,
          "protocol versions kept in memory (they never change; screening reads them); 0 reads "
          "Redis every time");
ABSL_FLAG(absl::Duration, patient_timeout, absl::Seconds(2),
          "deadline of one patient read during screening, retries included");

int main(int argc, char** argv) {
  using namespace dermaflow;  // NOLINT: main only wires things together
  auto runtime =
      common::ServiceRuntime::Init({.name = "protocol",
                                    .default_port = 50052,
                                    .default_metrics_port = 9462,
                                    .api = protocol::v1::ProtocolService::service_full_name(),
                                    .expensive_rpcs = {"SeedCatalog"}},
                                   argc, argv);

  protocol::RedisProtocolStore redis_store(runtime->redis());
  protocol::CachingProtocolStore store(
      redis_store, static_cast<size_t>(std::max(0, absl::GetFlag(FLAGS_version_cache_size))));
  common::GrpcPatientClient patients(
      runtime->Connect(absl::GetFlag(FLAGS_patient_addr)),
      {.via_service = "protocol", .timeout = absl::GetFlag(FLAGS_patient_timeout)});
  protocol::ProtocolMetrics metrics(runtime->metrics().registry());
  protocol::ProtocolGrpcService service(store, patients, runtime->authenticator(), runtime->clock(),
                                        metrics);
  return runtime->Serve({&service});
}
