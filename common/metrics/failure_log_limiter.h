// Decides when a repeated failure is worth a log line: the first one of a
// burst, then at most one per interval, carrying how many were left out in
// between. So a dependency that is down for an hour writes a few hundred
// lines, not one per call, and none of them is silently lost from the count.
//
//   FailureLogLimiter limiter(absl::Seconds(30));
//   if (std::optional<int64_t> suppressed = limiter.ShouldLog(absl::Now())) {
//     LogWarning("call failed", {{"suppressed", std::to_string(*suppressed)}});
//   }
//
// One limiter per kind of failure (e.g. per target method and code); it is
// thread-safe and costs one uncontended mutex per failure.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

#include "absl/time/time.h"

namespace dermaflow::common {

class FailureLogLimiter {
 public:
  explicit FailureLogLimiter(absl::Duration interval) : interval_(interval) {}

  // Records one failure at `now`. Returns the number of failures not logged
  // since the last line when this one should be logged, nullopt otherwise.
  std::optional<int64_t> ShouldLog(absl::Time now);

 private:
  const absl::Duration interval_;
  std::mutex mu_;
  absl::Time last_logged_ = absl::InfinitePast();
  int64_t suppressed_ = 0;
};

}  // namespace dermaflow::common
