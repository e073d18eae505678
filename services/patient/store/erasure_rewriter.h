// Bounds how long erased personal data stays in Redis's files. Redis's AOF
// keeps every write until it is rewritten, so an erased patient's name and
// contacts stay readable on disk; this task has every primary rewrite its
// AOF (BGREWRITEAOF) and, where snapshots are configured, take a new RDB
// (BGSAVE) once erasures are pending (common/redis/erasure_ledger.h), then
// clears those the rewrite covered, only if every primary's rewrite finished
// well (common/redis/persistence_files.h). Every replica runs one; a short
// Redis lock lets one rewrite at a time, and the start time of the last
// rewrite (in Redis) keeps a burst of erasures to one rewrite per
// `min_interval`.
//
// A refused command (a managed Redis whose ACL forbids BGREWRITEAOF) is never
// silent: an error log line per failed primary (naming the node),
// dermaflow_erasure_rewrite_failures_total, and the pending erasures stay,
// so dermaflow_erasure_pending_oldest_seconds grows until the alert fires
// (docs/security.md says what to do).
//
//   ErasureRewriter rewriter(runtime->redis(), runtime->metrics().registry(), options);
//   rewriter.Start();  ...  rewriter.Stop();
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock/periodic_thread.h"
#include "common/redis/persistence_files.h"
#include "common/redis/redis_client.h"
#include "prometheus/registry.h"
#include "services/patient/store/erasure_rewrite_metrics.h"

namespace dermaflow::patient {

struct ErasureRewriteOptions {
  // The most time an erasure may stay in the files before a rewrite covers
  // it (also the longest a rewrite is waited for). Exported as a gauge so the
  // alert follows the flag.
  absl::Duration within = absl::Minutes(15);
  // Rewrites start at most this often (a burst of erasures: one rewrite).
  absl::Duration min_interval = absl::Minutes(1);
};

// INVALID_ARGUMENT unless 0 < min_interval <= within / 2 (so a pending
// erasure always gets its rewrite started well inside `within`).
absl::Status ValidateErasureRewriteOptions(const ErasureRewriteOptions& options);

class ErasureRewriter {
 public:
  // `redis` and `registry` must outlive the rewriter. Options must be valid.
  ErasureRewriter(common::RedisClient& redis, prometheus::Registry& registry,
                  ErasureRewriteOptions options);
  ~ErasureRewriter();  // Stops.

  void Start();  // The background loop (one look every poll_interval()); once.
  // Returns within a poll even during a rewrite (Redis finishes it alone;
  // its erasures stay pending for the next one).
  void Stop();

  // One look: refresh the gauges; if erasures are pending, the last rewrite
  // started min_interval ago and the lock is ours, rewrite and clear the
  // erasures recorded before it started. OK when nothing was due; the error
  // of a failed rewrite (already logged and counted).
  absl::Status RunOnce();

  const ErasureRewriteMetrics& metrics() const { return metrics_; }
  absl::Duration poll_interval() const;

 private:
  struct Due {
    bool due = false;
    int64_t now_ms = 0;
  };
  absl::StatusOr<Due> Refresh();
  // Rewrites under the lock; returns how many erasures it cleared, or -1
  // when another replica had just rewritten (nothing due any more). What
  // each primary did goes to `nodes` (empty if none was asked).
  absl::StatusOr<int64_t> RewriteAndClear(std::vector<common::NodeRewrite>& nodes);

  common::RedisClient& redis_;
  const ErasureRewriteOptions options_;
  ErasureRewriteMetrics metrics_;
  const std::string token_;  // this replica's lock token
  std::atomic<bool> refresh_failing_{false};

  common::PeriodicThread thread_;  // last: runs RunOnce on the members above
};

}  // namespace dermaflow::patient
