// The erasure rewriter's metrics (erasure_rewriter.h), registered once; no
// patient or tenant label. The alerts DermaflowErasureNotOnDisk and
// DermaflowErasureRewriteFailing read them (docs/security.md).
#pragma once

#include "absl/status/status.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace dermaflow::patient {

// The task's metrics, registered once (no patient or tenant label).
struct ErasureRewriteMetrics {
  explicit ErasureRewriteMetrics(prometheus::Registry& registry);

  prometheus::Gauge& oldest_pending_seconds;  // 0 when nothing is pending
  prometheus::Gauge& pending;                 // erasures not yet rewritten
  prometheus::Gauge& within_seconds;          // the configured bound
  prometheus::Gauge& last_rewrite_seconds;    // duration of the last good rewrite
  prometheus::Counter& rewrites;              // rewrites that finished OK
  // By reason: refused (ACL / renamed command), failed (Redis reported a
  // failed rewrite or save), timeout (not done within `within`), unavailable.
  prometheus::Counter& refused;
  prometheus::Counter& failed;
  prometheus::Counter& timeout;
  prometheus::Counter& unavailable;

  // Counts a primary's failed rewrite under its reason.
  void CountFailure(const absl::Status& status);
};

}  // namespace dermaflow::patient
