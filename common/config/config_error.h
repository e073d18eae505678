// A configuration a service cannot run with ends the process at start with
// exit code 2 and one JSON log line naming the flag and why, the same way in
// every service (Kubernetes shows it as a CrashLoopBackOff with that line).
//
//   ExitIfInvalid(ValidateErasureRewriteOptions(options));
//   RedisOptions redis = OrExitWithConfigError(ParseRedisUrl(url));
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dermaflow::common {

[[noreturn]] void ExitWithConfigError(std::string_view message);
[[noreturn]] inline void ExitWithConfigError(const absl::Status& status) {
  ExitWithConfigError(std::string_view(status.message().data(), status.message().size()));
}

inline void ExitIfInvalid(const absl::Status& status) {
  if (!status.ok()) ExitWithConfigError(status);
}

template <typename T>
T OrExitWithConfigError(absl::StatusOr<T> value) {
  if (!value.ok()) ExitWithConfigError(value.status());
  return *std::move(value);
}

}  // namespace dermaflow::common
