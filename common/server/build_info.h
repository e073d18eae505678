// Which build a process is: the project version (CMake's project() version)
// and the short git commit it was built from ("unknown" outside a git
// checkout), and the `dermaflow_build_info` gauge that exports them, so
// dashboards and alerts can tell which release every replica runs.
//
//   RegisterBuildInfo(metrics->registry(), "patient");
//   // dermaflow_build_info{service="patient",version="0.1.0",revision="151321b0a2c4"} 1
#pragma once

#include <string_view>

#include "prometheus/registry.h"

namespace dermaflow::common {

struct BuildInfo {
  std::string_view version;
  std::string_view revision;
};

const BuildInfo& GetBuildInfo();

// Adds dermaflow_build_info{version,revision,service} = 1 to `registry`.
void RegisterBuildInfo(prometheus::Registry& registry, std::string_view service);

}  // namespace dermaflow::common
