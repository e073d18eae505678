#include "services/patient/store/erasure_rewrite_metrics.h"

#include "common/redis/persistence_files.h"

namespace dermaflow::patient {
namespace {

prometheus::Family<prometheus::Gauge>& GaugeFamily(prometheus::Registry& r, const char* name,
                                                   const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

prometheus::Family<prometheus::Counter>& Failures(prometheus::Registry& r) {
  return prometheus::BuildCounter()
      .Name("dermaflow_erasure_rewrite_failures_total")
      .Help(
          "Rewrites of a Redis primary's AOF/RDB files after an erasure that did not finish, "
          "by reason")
      .Register(r);
}

}  // namespace

ErasureRewriteMetrics::ErasureRewriteMetrics(prometheus::Registry& r)
    : oldest_pending_seconds(
          GaugeFamily(r, "dermaflow_erasure_pending_oldest_seconds",
                      "Age of the oldest erasure not yet rewritten out of Redis's files (0: none)")
              .Add({})),
      pending(GaugeFamily(r, "dermaflow_erasure_pending",
                          "Erasures not yet rewritten out of Redis's AOF/RDB files")
                  .Add({})),
      within_seconds(GaugeFamily(r, "dermaflow_erasure_rewrite_within_seconds",
                                 "The configured bound --erasure_rewrite_within")
                         .Add({})),
      last_rewrite_seconds(GaugeFamily(r, "dermaflow_erasure_rewrite_last_duration_seconds",
                                       "How long the last good rewrite (AOF and RDB) took")
                               .Add({})),
      rewrites(prometheus::BuildCounter()
                   .Name("dermaflow_erasure_rewrites_total")
                   .Help("Rewrites of Redis's files after erasures that finished OK")
                   .Register(r)
                   .Add({})),
      refused(Failures(r).Add({{"reason", "refused"}})),
      failed(Failures(r).Add({{"reason", "failed"}})),
      timeout(Failures(r).Add({{"reason", "timeout"}})),
      unavailable(Failures(r).Add({{"reason", "unavailable"}})) {}

void ErasureRewriteMetrics::CountFailure(const absl::Status& status) {
  if (common::IsRefusedCommand(status)) {
    refused.Increment();
  } else if (absl::IsDeadlineExceeded(status)) {
    timeout.Increment();
  } else if (absl::IsUnavailable(status)) {
    unavailable.Increment();
  } else {
    failed.Increment();
  }
}

}  // namespace dermaflow::patient
