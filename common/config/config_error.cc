#include "common/config/config_error.h"

#include <cstdlib>
#include <string>

#include "common/logging/log.h"

namespace dermaflow::common {

void ExitWithConfigError(std::string_view message) {
  LogError("invalid configuration", {{"error", std::string(message)}});
  std::exit(2);
}

}  // namespace dermaflow::common
