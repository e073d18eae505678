// Trims the audit streams nobody writes to any more. A script that appends
// an audit entry trims the streams it writes (audit_retention.h), but the
// trail of a patient nobody has opened for years, or of a tenant that left,
// would stay forever; this sweep walks the keyspace with SCAN (TYPE stream,
// the patient_audit keys only), a bounded number of keys per pass, and trims
// every audit stream it meets to the cutoff of the service's clock, deleting
// those left empty (lua/trim_audit_stream.lua). A whole walk of N keys takes
// N / keys_per_pass passes; each replica walks on its own (trimming twice is
// harmless). Standalone Redis: under Redis Cluster, SCAN covers one node.
//
//   AuditRetentionSweeper sweeper(runtime->redis(), runtime->clock(), registry, options);
//   sweeper.Start();  ...  sweeper.Stop();
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock/clock.h"
#include "common/clock/periodic_thread.h"
#include "common/redis/redis_client.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/patient/store/audit_retention.h"

namespace dermaflow::patient {

// What one pass did.
struct AuditSweepPass {
  int64_t keys_scanned = 0;     // audit streams SCAN returned
  int64_t entries_removed = 0;  // entries before the cutoff, now gone
  bool walk_completed = false;  // SCAN came back to the start of the keyspace
};

class AuditRetentionSweeper {
 public:
  // `redis`, `clock` and `registry` must outlive the sweeper.
  AuditRetentionSweeper(common::RedisClient& redis, const common::Clock& clock,
                        prometheus::Registry& registry, AuditRetentionOptions options);
  ~AuditRetentionSweeper();  // Stops.

  // A pass every sweep_interval until Stop (nothing with retention zero).
  void Start();
  void Stop();
  // One pass: up to keys_per_pass keys of the walk, resumed where the last
  // pass stopped.
  absl::StatusOr<AuditSweepPass> SweepOnce();

 private:
  common::RedisClient& redis_;
  const common::Clock& clock_;
  const AuditRetentionOptions options_;
  prometheus::Counter& entries_removed_;  // dermaflow_audit_entries_expired_total
  prometheus::Counter& walks_;            // dermaflow_audit_sweep_walks_total

  absl::Mutex pass_mu_;  // one pass at a time (the loop, or a test)
  std::string cursor_ ABSL_GUARDED_BY(pass_mu_) = "0";

  common::PeriodicThread thread_;  // last: runs passes on the members above
};

}  // namespace dermaflow::patient
