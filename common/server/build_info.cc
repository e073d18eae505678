#include "common/server/build_info.h"

#include <string>

#include "prometheus/gauge.h"

namespace dermaflow::common {
namespace build_info_internal {
// In the generated build_info_values.cc (cmake/build_info.cmake).
extern const char kVersion[];
extern const char kRevision[];
}  // namespace build_info_internal

const BuildInfo& GetBuildInfo() {
  static const BuildInfo kInfo{build_info_internal::kVersion, build_info_internal::kRevision};
  return kInfo;
}

void RegisterBuildInfo(prometheus::Registry& registry, std::string_view service) {
  const BuildInfo& info = GetBuildInfo();
  prometheus::BuildGauge()
      .Name("dermaflow_build_info")
      .Help("Always 1; the labels say which version and git revision this process runs")
      .Register(registry)
      .Add({{"version", std::string(info.version)},
            {"revision", std::string(info.revision)},
            {"service", std::string(service)}})
      .Set(1);
}

}  // namespace dermaflow::common
