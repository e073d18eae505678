// A service's Prometheus registry and the HTTP endpoint that serves it on
// `/metrics` (on --metrics_listen, apart from the gRPC port), together with
// the standard process_* metrics. Each component registers its families here.
//
//   DF_ASSIGN_OR_RETURN(auto metrics, MetricsRegistry::Create("0.0.0.0:9461"));
//   auto& jobs = prometheus::BuildCounter().Name("jobs_total").Register(metrics->registry());
//   int port = metrics->port();  // the bound port, also when asked for port 0
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

class ProcessCollector;

class MetricsRegistry {
 public:
  // Starts serving on `listen_address` ("host:port"; port 0 picks a free one).
  // UNAVAILABLE when it cannot listen there.
  static absl::StatusOr<std::unique_ptr<MetricsRegistry>> Create(const std::string& listen_address);
  ~MetricsRegistry();

  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  prometheus::Registry& registry() { return *registry_; }
  int port() const { return port_; }

 private:
  MetricsRegistry() = default;

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<ProcessCollector> process_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace dermaflow::common
