// dermaflow-patient: flags -> dependencies -> Serve.
#include <memory>

#include "absl/flags/flag.h"
#include "common/config/config_error.h"
#include "common/server/handler_executor.h"
#include "common/server/service_runtime.h"
#include "services/patient/api/patient_service.h"
#include "services/patient/app/patient_manager.h"
#include "services/patient/store/audit_retention.h"
#include "services/patient/store/audit_retention_sweeper.h"
#include "services/patient/store/erasure_rewriter.h"
#include "services/patient/store/redis_patient_store.h"

ABSL_FLAG(int, handler_threads, 0,
          "Threads that run the RPC handlers; 0 runs them on gRPC's own callback threads "
          "(fastest, see bench/patient/RESULTS.md), N > 0 isolates slow calls from the rest at "
          "~50 us of CPU per call");

ABSL_FLAG(absl::Duration, audit_retention, dermaflow::patient::kDefaultAuditRetention,
          "How long the audit trail of access to patient records is kept (26304h: about 3 "
          "years, docs/security.md); older entries are removed. 0: forever");

ABSL_FLAG(absl::Duration, erasure_rewrite_within, absl::Minutes(15),
          "Longest time an erased patient's data may stay in Redis's AOF/RDB files: a rewrite "
          "(BGREWRITEAOF, BGSAVE when snapshots are on) is started and finished within it");
ABSL_FLAG(absl::Duration, erasure_rewrite_min_interval, absl::Minutes(1),
          "Rewrites after erasures start at most this often (at most half the bound)");

int main(int argc, char** argv) {
  using namespace dermaflow;  // NOLINT: main only wires things together
  auto runtime = common::ServiceRuntime::Init(
      {.name = "patient",
       .default_port = 50051,
       .default_metrics_port = 9461,
       .api = patient::v1::PatientService::service_full_name(),
       .expensive_rpcs = {"ListPatients", "ExportPatient", "ListAuditEntries"}},
      argc, argv);
  const absl::Duration audit_retention = absl::GetFlag(FLAGS_audit_retention);
  common::ExitIfInvalid(patient::ValidateAuditRetention(audit_retention));
  patient::RedisPatientStore store(runtime->redis(), runtime->clock(),
                                   runtime->event_stream_options(), audit_retention);
  patient::PatientManager manager(store, runtime->clock());
  const patient::ErasureRewriteOptions rewrite{absl::GetFlag(FLAGS_erasure_rewrite_within),
                                               absl::GetFlag(FLAGS_erasure_rewrite_min_interval)};
  common::ExitIfInvalid(patient::ValidateErasureRewriteOptions(rewrite));
  patient::ErasureRewriter rewriter(runtime->redis(), runtime->metrics().registry(), rewrite);
  rewriter.Start();
  runtime->OnShutdown([&rewriter] { rewriter.Stop(); });
  patient::AuditRetentionSweeper audit_sweeper(runtime->redis(), runtime->clock(),
                                               runtime->metrics().registry(),
                                               {.retention = audit_retention});
  audit_sweeper.Start();
  runtime->OnShutdown([&audit_sweeper] { audit_sweeper.Stop(); });
  std::unique_ptr<common::HandlerExecutor> executor;
  if (absl::GetFlag(FLAGS_handler_threads) > 0) {
    executor = std::make_unique<common::HandlerExecutor>(absl::GetFlag(FLAGS_handler_threads));
  }
  patient::PatientGrpcService service(manager, runtime->authenticator(), executor.get());
  return runtime->Serve({&service});
}
