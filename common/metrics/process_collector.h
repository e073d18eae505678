// The standard process_* metrics (names as the Go and Python clients export
// them, so stock dashboards work), read from /proc at every scrape:
// prometheus-cpp has no process collector of its own.
//
//   exposer.RegisterCollectable(std::make_shared<ProcessCollector>());
#pragma once

#include <vector>

#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace dermaflow::common {

class ProcessCollector : public prometheus::Collectable {
 public:
  ProcessCollector();
  // process_start_time_seconds, process_cpu_seconds_total,
  // process_resident_memory_bytes, process_virtual_memory_bytes,
  // process_open_fds, process_max_fds. A value /proc cannot give is left out.
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  double start_time_seconds_ = 0;  // 0 when unknown
};

}  // namespace dermaflow::common
