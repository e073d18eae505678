#include "common/metrics/metrics_registry.h"

#include <exception>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/metrics/process_collector.h"

namespace dermaflow::common {

absl::StatusOr<std::unique_ptr<MetricsRegistry>> MetricsRegistry::Create(
    const std::string& listen_address) {
  std::unique_ptr<MetricsRegistry> metrics(new MetricsRegistry());
  metrics->registry_ = std::make_shared<prometheus::Registry>();
  metrics->process_ = std::make_shared<ProcessCollector>();
  // civetweb reports a failed bind by throwing; it stops here.
  try {
    metrics->exposer_ = std::make_unique<prometheus::Exposer>(listen_address);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve /metrics on ", listen_address, ": ", e.what()));
  }
  std::vector<int> ports = metrics->exposer_->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot serve /metrics on ", listen_address));
  }
  metrics->port_ = ports.front();
  metrics->exposer_->RegisterCollectable(metrics->registry_);
  metrics->exposer_->RegisterCollectable(metrics->process_);
  return metrics;
}

// The exposer goes first so no scrape runs against freed collectables.
MetricsRegistry::~MetricsRegistry() { exposer_.reset(); }

}  // namespace dermaflow::common
